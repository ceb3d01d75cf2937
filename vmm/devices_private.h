/*
 * devices_private.h - per-device destructors used by devices_free(); not for
 * use outside the device files.
 *
 * Contract: each frees its device's state (closing the disk image for the
 * block controller), clears the machine's pointer, and does nothing when the
 * device was never attached.
 */
#ifndef VMM_DEVICES_PRIVATE_H
#define VMM_DEVICES_PRIVATE_H

struct machine;

void uart_free(struct machine *m);
void plic_free(struct machine *m);
void blk_free(struct machine *m);
void pvblk_free(struct machine *m);
void lab_free(struct machine *m);

#endif
