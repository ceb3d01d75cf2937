/*
 * lock.c - spinlocks that disable interrupts (nesting counted per CPU in
 * struct cpu: noff/intena, after xv6-riscv's push_off/pop_off), and sleep
 * locks that may be held across sleep_on().
 */
#include "proc.h"
#include "riscv.h"

static void push_off(void)
{
	bool old = intr_get();
	intr_off();
	struct cpu *c = mycpu();
	if (c->noff == 0)
		c->intena = old;
	c->noff++;
}

static void pop_off(void)
{
	struct cpu *c = mycpu();
	if (intr_get())
		panic("pop_off: interrupts enabled");
	if (c->noff < 1)
		panic("pop_off: not pushed");
	c->noff--;
	if (c->noff == 0 && c->intena)
		intr_on();
}

void spin_init(struct spinlock *l, const char *name)
{
	l->locked = 0;
	l->cpu = -1;
	l->name = name;
}

bool spin_holding(struct spinlock *l)
{
	return l->locked && l->cpu == (int)mycpu()->id;
}

void spin_lock(struct spinlock *l)
{
	push_off();
	if (spin_holding(l))
		panic("spin_lock: %s already held by this cpu", l->name);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
		;
	l->cpu = (int)mycpu()->id;
}

void spin_unlock(struct spinlock *l)
{
	if (!spin_holding(l))
		panic("spin_unlock: %s not held", l->name);
	l->cpu = -1;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	pop_off();
}

void sleep_init(struct sleeplock *l, const char *name)
{
	spin_init(&l->lk, name);
	l->locked = false;
	l->tid = 0;
}

void sleep_lock(struct sleeplock *l)
{
	spin_lock(&l->lk);
	while (l->locked)
		sleep_on(l, &l->lk);
	l->locked = true;
	l->tid = mythread() ? mythread()->tid : 0;
	spin_unlock(&l->lk);
}

void sleep_unlock(struct sleeplock *l)
{
	spin_lock(&l->lk);
	l->locked = false;
	l->tid = 0;
	wakeup(l);
	spin_unlock(&l->lk);
}
