/*
 * ulib_private.h - declarations shared between ulib's files (not for
 * programs).
 */
#ifndef VTLAB_ULIB_PRIVATE_H
#define VTLAB_ULIB_PRIVATE_H

#include <stddef.h>

/* start.c: thread-local storage blocks (see the comment there). */
size_t vt_tls_size(void);
size_t vt_tls_align(void);
void vt_tls_init(void *block);
void vt_set_tp(void *block);

/* stdio.c: gives stdin/stdout/stderr their locks (before any thread). */
void vt_stdio_init(void);
void vt_stdio_flush(void); /* stdout and stderr */

/* lock.c: the calling thread's id, cached in TLS. */
int vt_self_tid(void);
void vt_self_tid_reset(void); /* after fork: the child has a new tid */

#endif
