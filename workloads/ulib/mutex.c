/*
 * mutex.c - futex wait/wake, a mutex, a condition variable and a barrier.
 *
 * The mutex is the three-state one of Ulrich Drepper, "Futexes Are Tricky"
 * (2011), mutex2: 0 free, 1 locked, 2 locked and maybe waited on; unlock
 * calls the kernel only in state 2.  The condition variable is a sequence
 * number: a waiter samples it, releases the mutex and sleeps while it is
 * unchanged, so a signal between the release and the sleep is not lost
 * (the futex compares under the kernel's lock).
 */
#include <limits.h>

#include "syscall.h"
#include "vtlab.h"

int vt_futex_wait(volatile uint32_t *addr, uint32_t val)
{
	return (int)vt_sys_futex(addr, VTLAB_FUTEX_WAIT, val, NULL);
}

int vt_futex_wake(volatile uint32_t *addr, int n)
{
	return (int)vt_sys_futex(addr, VTLAB_FUTEX_WAKE, (uint32_t)n, NULL);
}

static uint32_t cas(volatile uint32_t *p, uint32_t expected, uint32_t desired)
{
	__atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	return expected; /* the value seen */
}

void vt_mutex_lock(vt_mutex_t *m)
{
	uint32_t c = cas(&m->state, 0, 1);
	if (c == 0)
		return;
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		vt_futex_wait(&m->state, 2);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

int vt_mutex_trylock(vt_mutex_t *m)
{
	return cas(&m->state, 0, 1) == 0;
}

void vt_mutex_unlock(vt_mutex_t *m)
{
	if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
		vt_futex_wake(&m->state, 1);
	}
}

void vt_cond_wait(vt_cond_t *c, vt_mutex_t *m)
{
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	vt_mutex_unlock(m);
	vt_futex_wait(&c->seq, seq);
	vt_mutex_lock(m);
}

void vt_cond_signal(vt_cond_t *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	vt_futex_wake(&c->seq, 1);
}

void vt_cond_broadcast(vt_cond_t *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	vt_futex_wake(&c->seq, INT_MAX);
}

void vt_barrier_init(vt_barrier_t *b, unsigned n)
{
	b->m.state = 0;
	b->c.seq = 0;
	b->n = n;
	b->waiting = 0;
	b->generation = 0;
}

void vt_barrier_wait(vt_barrier_t *b)
{
	vt_mutex_lock(&b->m);
	unsigned gen = b->generation;
	if (++b->waiting == b->n) {
		b->waiting = 0;
		b->generation++;
		vt_cond_broadcast(&b->c);
	} else {
		while (gen == b->generation)
			vt_cond_wait(&b->c, &b->m);
	}
	vt_mutex_unlock(&b->m);
}
