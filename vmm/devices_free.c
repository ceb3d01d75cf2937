/*
 * devices_free.c - releases everything the *_attach() functions allocated.
 *
 * Contract: safe to call on a machine where only some devices (or none)
 * were attached, and twice.  The CLINT and the syscon keep no state of
 * their own; the block controller closes the disk image it opened.
 */
#include "devices.h"
#include "devices_private.h"

void devices_free(struct machine *m)
{
	pvblk_free(m);
	blk_free(m);
	lab_free(m);
	uart_free(m);
	plic_free(m);
}
