/*
 * lock.c - picolibc's retargetable locks (<sys/lock.h>, _RETARGETABLE_LOCKING)
 * over vt_mutex_t, so malloc, stdio and the rest of libc are safe with
 * threads.  picolibc's own versions do nothing (single-threaded); these
 * replace all of them (the whole libc_misc_lock object, including the
 * global __lock___libc_recursive_mutex malloc uses).
 *
 * Locks created at run time (one per fdopen'ed FILE) come from a static
 * pool, not malloc, because malloc itself takes a lock; when the pool is
 * exhausted they share one recursive lock, which stays correct (only
 * coarser).
 */
#include <stdint.h>
#include <sys/lock.h>

#include "syscall.h"
#include "ulib_private.h"
#include "vtlab.h"

struct __lock {
	vt_mutex_t m;
	volatile int owner; /* tid holding it (recursive locks), 0 when free */
	unsigned count;
	int in_use; /* pool slot taken */
};

struct __lock __lock___libc_recursive_mutex;
static struct __lock overflow_lock;
#define LOCK_POOL 256
static struct __lock pool[LOCK_POOL];
static vt_mutex_t pool_mutex;

static __thread int self_tid;

int vt_self_tid(void)
{
	if (self_tid == 0)
		self_tid = (int)vt_sys_gettid();
	return self_tid;
}

void vt_self_tid_reset(void)
{
	self_tid = 0;
}

void __retarget_lock_init(_LOCK_T *lock)
{
	struct __lock *l = &overflow_lock;
	vt_mutex_lock(&pool_mutex);
	for (int i = 0; i < LOCK_POOL; i++) {
		if (!pool[i].in_use) {
			l = &pool[i];
			l->in_use = 1;
			l->owner = 0;
			l->count = 0;
			l->m.state = 0;
			break;
		}
	}
	vt_mutex_unlock(&pool_mutex);
	*lock = l;
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	if (!lock || lock == &overflow_lock || lock == &__lock___libc_recursive_mutex)
		return;
	vt_mutex_lock(&pool_mutex);
	lock->in_use = 0;
	vt_mutex_unlock(&pool_mutex);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	__retarget_lock_close(lock);
}

/* Every lock is recursive: the overflow lock may be shared by nested
 * users, and recursion costs one compare. */
void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	if (!lock)
		return; /* a FILE set up before vt_stdio_init: single-threaded then */
	int me = vt_self_tid();
	if (lock->owner == me) {
		lock->count++;
		return;
	}
	vt_mutex_lock(&lock->m);
	lock->owner = me;
	lock->count = 1;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	if (!lock)
		return 1;
	int me = vt_self_tid();
	if (lock->owner == me) {
		lock->count++;
		return 1;
	}
	if (!vt_mutex_trylock(&lock->m))
		return 0;
	lock->owner = me;
	lock->count = 1;
	return 1;
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (!lock || lock->owner != vt_self_tid())
		return;
	if (--lock->count == 0) {
		lock->owner = 0;
		vt_mutex_unlock(&lock->m);
	}
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	__retarget_lock_acquire_recursive(lock);
}
int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return __retarget_lock_try_acquire_recursive(lock);
}
void __retarget_lock_release(_LOCK_T lock)
{
	__retarget_lock_release_recursive(lock);
}
