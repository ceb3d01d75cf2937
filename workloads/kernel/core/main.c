/*
 * main.c - boot in C (core/BOOT.md): boot_hart() is called by entry.S on
 * every hart at KERNBASE addresses.  Hart 0 reads the run's arguments,
 * finds the RAM size, calls mm_init()/mm_init_cpu(), prepares CPUs and
 * processes, releases the other harts, and starts the first process
 * (fs_init, then exec /bin/init with the command words of the arguments)
 * or, with ktest=1, the kernel self-tests.
 * Options (key=value words): mmu=sv39|svtlb (read by mm), debug=1
 * (syscall trace), ktest=1 (self-tests, then power off).
 */
#include "proc.h"

#define RAM_BASE 0x80000000ull
#define RAM_MAX (16ull << 30)
#define MAX_INIT_ARGS 16

extern char _end[];
extern volatile uint64_t boot_release;
bool kdebug;
static char boot_args[2048];
static volatile bool mm_ready;

const char *boot_option(const char *key)
{
	static char value[64];
	size_t klen = strlen(key);
	for (const char *w = boot_args; *w;) {
		while (*w == ' ')
			w++;
		const char *e = w;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - w) > klen && strncmp(w, key, klen) == 0 && w[klen] == '=') {
			size_t n = (size_t)(e - w) - klen - 1;
			if (n >= sizeof value)
				n = sizeof value - 1;
			memcpy(value, w + klen + 1, n);
			value[n] = 0;
			return value;
		}
		w = e;
	}
	return NULL;
}

/* The largest page-aligned size whose last page loads without a fault
 * (access faults are caught by probe_load's recovery, trap.c).  RAM is
 * contiguous from RAM_BASE, so a binary search is exact. */
static uint64_t probe_ram_size(void)
{
	uint64_t lo = 1, hi = RAM_MAX / PAGE_SIZE, v;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		if (probe_load(KERNBASE + RAM_BASE + (mid - 1) * PAGE_SIZE, &v) == 0)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo * PAGE_SIZE;
}

/* Splits the command words (those without '=') into argv. */
static int command_words(char *buf, char *argv[], int max)
{
	int n = 0;
	char *w = buf;
	while (*w && n < max) {
		while (*w == ' ')
			*w++ = 0;
		if (!*w)
			break;
		char *start = w;
		while (*w && *w != ' ')
			w++;
		bool option = false;
		for (char *c = start; c < w; c++)
			option |= *c == '=';
		if (!option)
			argv[n++] = start;
	}
	argv[n] = NULL;
	return n;
}

static void init_main(void *arg)
{
	(void)arg;
	struct kproc *p = mykproc();
	fs_init();
	p->pub.cwd = fs_namei("/");
	for (int fd = 0; fd < 3; fd++) {
		struct file *f = file_alloc(&console_ops, NULL, VTLAB_O_RDWR);
		if (!f || fd_install(&p->pub, f) != fd)
			panic("init: console fd %d", fd);
	}
	static char words[sizeof boot_args];
	static char *argv[MAX_INIT_ARGS + 2];
	strlcpy(words, boot_args, sizeof words);
	argv[0] = "/bin/init";
	command_words(words, argv + 1, MAX_INIT_ARGS);
	char *envp[] = { NULL };
	int64_t r = kexec("/bin/init", argv, envp);
	if (r < 0)
		panic("cannot exec /bin/init: error %ld", (long)-r);
	intr_off();
	trap_return(mykthread()->utf);
}

static void start_first_process(void)
{
	spin_lock(&proc_lock);
	struct kproc *p = proc_alloc();
	if (!p || p->pub.pid != 1)
		panic("no slot for init");
	strlcpy(p->pub.name, "init", sizeof p->pub.name);
	p->state = P_ALIVE;
	initproc = p;
	spin_unlock(&proc_lock);
	if (!kthread_spawn(p, init_main, NULL, false))
		panic("no thread for init");
}

static _Noreturn void cpu_start(void)
{
	trap_init_cpu();
	/* mm's self-tests (boot option mmtest=1, BOOT.md 4): every hart,
	 * interrupts off, before the timer and the scheduler; never returns */
	const char *mt = boot_option("mmtest");
	if (mt && strcmp(mt, "0") != 0)
		mm_selftest();
	timer_start();
	scheduler();
}

static void boot_cpu0(void)
{
	kprintf("vtlab kernel: booting\n");
	lab_args(boot_args, sizeof boot_args);
	const char *d = boot_option("debug");
	kdebug = d && strcmp(d, "0") != 0;
	unsigned n = smp_probe_harts();
	uint64_t ram = probe_ram_size();
	uint64_t kend = PGROUNDUP(V2P(_end));
	kprintf("vtlab kernel: %u cpus, %lu MiB RAM, kernel end 0x%lx, args \"%s\"\n", n,
		(unsigned long)(ram >> 20), (unsigned long)kend, boot_args);
	mm_init(RAM_BASE, ram, kend);
	mm_init_cpu();
	proc_init();
	__atomic_store_n(&mm_ready, true, __ATOMIC_SEQ_CST);
	const char *kt = boot_option("ktest");
	if (kt && strcmp(kt, "0") != 0)
		kthread_spawn(&procs[0], ktest_run, NULL, false);
	else
		start_first_process();
	__atomic_store_n(&boot_release, 1, __ATOMIC_SEQ_CST);
}

_Noreturn void boot_hart(unsigned long hartid)
{
	smp_init_cpu((unsigned)hartid);
	if (hartid == 0)
		boot_cpu0();
	else {
		while (!__atomic_load_n(&mm_ready, __ATOMIC_SEQ_CST))
			;
		mm_init_cpu();
	}
	cpu_start();
}
