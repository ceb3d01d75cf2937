/*
 * futex.c - futex WAIT/WAKE (Linux futex(2) semantics for these two ops,
 * private futexes keyed by (address space, user address)), with an
 * optional relative timeout (struct vtlab_timespec).
 * WAIT: under futex_lock, if *uaddr != val -> -EAGAIN, else sleep until a
 * WAKE on the key (0), the timeout (-ETIMEDOUT), or the process dying
 * (-EINTR).  WAKE wakes up to n waiters, oldest thread slot first, and
 * returns how many.  The word is touched once before the lock is taken so
 * that the locked read rarely needs to page it in.  It still may fault
 * (an Svtlb TLB refill, or the page unmapped and mapped again since the
 * touch); that is safe under futex_lock because mm resolves a fault with
 * spinlocks only (the aspace lock, the page allocator's), never sleeps
 * (there is no file-backed mmap or swap) and never takes futex_lock, so
 * futex_lock -> aspace lock is the only order.  Should mm ever sleep in a
 * fault, the locked read must become a non-faulting one with a retry
 * outside the lock (Linux's get_futex_value_locked() with page faults
 * disabled).  kaddr != NULL: the word is a kernel address (self-tests).
 */
#include "proc.h"

static struct spinlock futex_lock = { 0, -1, "futex" };

static int read_word(uint64_t uaddr, const volatile uint32_t *kaddr, uint32_t *out)
{
	if (kaddr) {
		*out = *kaddr;
		return 0;
	}
	return copyin(out, uaddr, sizeof *out);
}

int64_t futex_wait(void *as, uint64_t uaddr, const volatile uint32_t *kaddr, uint32_t val,
		   uint64_t timeout_ns)
{
	uint32_t cur;
	if ((uaddr & 3) || read_word(uaddr, kaddr, &cur) < 0)
		return (uaddr & 3) ? -VTLAB_EINVAL : -VTLAB_EFAULT;
	uint64_t deadline = timeout_ns ? time_now_ns() + timeout_ns : 0;
	struct kthread *t = mykthread();
	spin_lock(&futex_lock);
	/* A failed re-read (another thread unmapped the word since the
	 * first touch) is EFAULT whatever cur holds (futex(2)): cur is
	 * then the first read's value, or part of a half-done copy. */
	int rc = read_word(uaddr, kaddr, &cur);
	if (rc < 0 || cur != val) {
		spin_unlock(&futex_lock);
		return rc < 0 ? -VTLAB_EFAULT : -VTLAB_EAGAIN;
	}
	t->futex_as = as;
	t->futex_addr = uaddr;
	t->futex_waiting = true;
	int64_t r = 0;
	while (t->futex_waiting) {
		if (thread_killed()) {
			r = -VTLAB_EINTR;
			break;
		}
		if (deadline && time_now_ns() >= deadline) {
			r = -VTLAB_ETIMEDOUT;
			break;
		}
		sleep_intr_until(t, &futex_lock, deadline);
	}
	t->futex_waiting = false;
	spin_unlock(&futex_lock);
	return r;
}

int64_t futex_wake(void *as, uint64_t uaddr, int n)
{
	int woken = 0;
	spin_lock(&futex_lock);
	for (int i = 0; i < NTHREAD && woken < n; i++) {
		struct kthread *t = &threads[i];
		if (t->futex_waiting && t->futex_as == as && t->futex_addr == uaddr) {
			t->futex_waiting = false;
			wakeup(t);
			woken++;
		}
	}
	spin_unlock(&futex_lock);
	return woken;
}

int64_t sys_futex(uint64_t uaddr, int op, uint32_t val, uint64_t utimeout)
{
	void *as = myproc()->as;
	op &= 0x7f; /* FUTEX_PRIVATE_FLAG (128) is the only kind there is */
	if (op == VTLAB_FUTEX_WAKE)
		return futex_wake(as, uaddr, (int)val);
	if (op != VTLAB_FUTEX_WAIT)
		return -VTLAB_ENOSYS;
	uint64_t timeout_ns = 0;
	if (utimeout) {
		struct vtlab_timespec ts;
		if (copyin(&ts, utimeout, sizeof ts) < 0)
			return -VTLAB_EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -VTLAB_EINVAL;
		timeout_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		if (timeout_ns == 0)
			timeout_ns = 1;
	}
	return futex_wait(as, uaddr, NULL, val, timeout_ns);
}
