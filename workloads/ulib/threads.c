/*
 * threads.c - vt_thread_create/join/exit over SYS_thread_create and
 * SYS_thread_join.
 *
 * Each thread gets one anonymous mapping: its stack grows down from the
 * top of the mapping, under a block holding the thread's descriptor and
 * its TLS block (start.c, RISC-V psABI TLS variant I), so errno and
 * picolibc's other per-thread state are per thread.  The lowest page of
 * the mapping is a guard (PROT_NONE): mmap places each thread's mapping
 * right under the previous one, so without it a stack overflow would
 * write on into the next thread's TLS and stack instead of faulting
 * (glibc's pthread_create keeps a guard the same way; POSIX
 * pthread_attr_setguardsize).  Frames larger than the guard can still
 * jump it, as with glibc's default one page.  The thread's return
 * value is kept in the descriptor (the kernel's exit code is an int); the
 * joiner frees the mapping once the kernel says the thread is gone.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "syscall.h"
#include "ulib_private.h"
#include "vtlab.h"

#define THREAD_MAP_SIZE (256u * 1024u) /* stack + descriptor + TLS */
#define GUARD_SIZE 4096u               /* one page under it, never accessible */
#define MAP_TOTAL (GUARD_SIZE + THREAD_MAP_SIZE)

struct vt_thread {
	void *(*fn)(void *);
	void *arg;
	void *ret;
	int tid;
	void *map;
	void *tls;
};

static __thread struct vt_thread *self;

extern void __vt_thread_entry(void *arg);
_Noreturn void vt_thread_main(struct vt_thread *t);

_Noreturn void vt_thread_main(struct vt_thread *t)
{
	vt_set_tp(t->tls);
	self = t;
	vt_thread_exit(t->fn(t->arg));
}

_Noreturn void vt_thread_exit(void *ret)
{
	if (self)
		self->ret = ret;
	vt_sys_exit(0);
}

static uintptr_t align_down(uintptr_t x, uintptr_t a)
{
	return x & ~(a - 1);
}

/* Maps a thread's memory with its lowest page made inaccessible (there is
 * no mprotect: a MAP_FIXED PROT_NONE mapping replaces that page); the
 * address, or -errno as the kernel returns it. */
static int64_t map_thread(void)
{
	int64_t m = vt_sys_mmap(NULL, MAP_TOTAL, VTLAB_PROT_READ | VTLAB_PROT_WRITE,
				VTLAB_MAP_PRIVATE | VTLAB_MAP_ANONYMOUS, -1, 0);
	if (m < 0 && m >= -4095)
		return m;
	int64_t g = vt_sys_mmap((void *)(uintptr_t)m, GUARD_SIZE, 0,
				VTLAB_MAP_PRIVATE | VTLAB_MAP_ANONYMOUS | VTLAB_MAP_FIXED, -1, 0);
	if (g != m) {
		vt_sys_munmap((void *)(uintptr_t)m, MAP_TOTAL);
		return g < 0 && g >= -4095 ? g : -VTLAB_ENOMEM;
	}
	return m;
}

int vt_thread_create(vt_thread_t *out, void *(*fn)(void *), void *arg)
{
	int64_t m = map_thread();
	if (m < 0 && m >= -4095) {
		errno = vt_errno_from_abi((int)-m);
		return -1;
	}
	uintptr_t top = (uintptr_t)m + MAP_TOTAL;
	uintptr_t tls = align_down(top - vt_tls_size(), vt_tls_align());
	uintptr_t desc = align_down(tls - sizeof(struct vt_thread), 16);
	struct vt_thread *t = (struct vt_thread *)desc;
	memset(t, 0, sizeof *t);
	t->fn = fn;
	t->arg = arg;
	t->map = (void *)(uintptr_t)m;
	t->tls = (void *)tls;
	vt_tls_init(t->tls);
	int64_t tid = vt_sys_thread_create(__vt_thread_entry, t, (void *)align_down(desc, 16));
	if (tid < 0) {
		vt_sys_munmap(t->map, MAP_TOTAL);
		errno = vt_errno_from_abi((int)-tid);
		return -1;
	}
	t->tid = (int)tid;
	*out = t;
	return 0;
}

int vt_thread_join(vt_thread_t t, void **ret)
{
	uint64_t code = 0;
	if (vt_ret(vt_sys_thread_join(t->tid, &code)) < 0)
		return -1;
	if (ret)
		*ret = t->ret;
	vt_sys_munmap(t->map, MAP_TOTAL);
	return 0;
}
