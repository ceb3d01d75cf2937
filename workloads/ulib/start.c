/*
 * start.c - what runs between crt0's _start and main: thread-local
 * storage for the main thread, environ, picolibc's constructors, main,
 * exit.
 *
 * TLS (RISC-V psABI, "Thread Local Storage": variant I, tp points at the
 * start of the executable's TLS block, local-exec offsets are relative to
 * the PT_TLS segment's start): picolibc keeps errno and other state in TLS
 * (it is built with TLS, see picolibc.h _HAVE_PICOLIBC_TLS_API), so tp
 * must point at a block initialised from .tdata, .tbss zeroed, before any
 * libc call.  user.ld defines the symbols used here; threads.c builds one
 * block per thread with vt_tls_init().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syscall.h"
#include "ulib_private.h"
#include "vtlab.h"

extern char __tdata_start[], __tdata_end[], __tbss_end[];
extern char __tls_align_sym[]; /* its address is the TLS segment's alignment */

char **environ;
extern int main(int argc, char **argv, char **envp);
extern void __libc_init_array(void);

size_t vt_tls_size(void)
{
	return (size_t)(__tbss_end - __tdata_start);
}

size_t vt_tls_align(void)
{
	size_t a = (size_t)(uintptr_t)__tls_align_sym;
	return a < 16 ? 16 : a;
}

void vt_tls_init(void *block)
{
	size_t data = (size_t)(__tdata_end - __tdata_start);
	memcpy(block, __tdata_start, data);
	memset((char *)block + data, 0, vt_tls_size() - data);
}

void vt_set_tp(void *block)
{
	__asm__ volatile("mv tp, %0" : : "r"(block) : "memory");
}

/* The main thread's TLS block: picolibc's is a few dozen bytes. */
#define MAIN_TLS_MAX 1024
static char main_tls[MAIN_TLS_MAX] __attribute__((aligned(64)));

static void die(const char *msg)
{
	vt_sys_write(2, msg, strlen(msg));
	vt_sys_exit_group(127);
}

_Noreturn void __vt_start(int argc, char **argv, char **envp)
{
	if (vt_tls_size() > MAIN_TLS_MAX || vt_tls_align() > 64)
		die("ulib/start.c: TLS segment larger than main_tls (MAIN_TLS_MAX) or over-aligned\n");
	vt_tls_init(main_tls);
	vt_set_tp(main_tls);
	environ = envp;
	vt_stdio_init();
	__libc_init_array();
	exit(main(argc, argv, envp));
}
