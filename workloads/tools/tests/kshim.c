/*
 * kshim.c - the host stand-in for the parts of the kernel that fs/ uses
 * (kernel.h): printing, locks, memory, user copies, the fd layer, time,
 * and a block device over an image file (pread/pwrite).  Single-threaded:
 * a sleep lock taken twice or a sleep_on (nobody could wake it) is a
 * deadlock in the kernel, so both abort with a message.
 */
#include "kshim.h"
#include "fs.h"
#include "kernel.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *image_path;
static int image_fd = -1;
static uint64_t image_sectors, sectors_written, pages_in_use, free_pages = 4096, clock_ns;
static struct proc the_proc = { .pid = 1, .name = "kfs-test" };
static struct thread the_thread = { .tid = 1, .proc = &the_proc };

void kshim_attach(const char *image)
{
	image_path = image;
}
uint64_t kshim_blk_writes(void)
{
	return sectors_written;
}
uint64_t kshim_pages_in_use(void)
{
	return pages_in_use;
}
void kshim_set_free_pages(uint64_t n)
{
	free_pages = n;
}

/* ---- klib ---- */
void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return vsnprintf(buf, n, fmt, ap);
}
void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fflush(stdout); /* the kernel's messages before it, in order */
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
size_t strlcpy(char *d, const char *s, size_t n)
{
	size_t len = strlen(s);
	if (n) {
		size_t m = len < n - 1 ? len : n - 1;
		memcpy(d, s, m);
		d[m] = 0;
	}
	return len;
}

/* ---- locks ---- */
void spin_init(struct spinlock *l, const char *name)
{
	l->locked = 0;
	l->cpu = -1;
	l->name = name;
}
void spin_lock(struct spinlock *l)
{
	if (l->locked)
		panic("spin_lock: %s already held", l->name);
	l->locked = 1;
}
void spin_unlock(struct spinlock *l)
{
	if (!l->locked)
		panic("spin_unlock: %s not held", l->name);
	l->locked = 0;
}
bool spin_holding(struct spinlock *l)
{
	return l->locked;
}
void sleep_init(struct sleeplock *l, const char *name)
{
	spin_init(&l->lk, name);
	l->locked = false;
	l->tid = 0;
}
static void (*lock_hook)(struct sleeplock *l);
static bool in_lock_hook;
void kshim_set_lock_hook(void (*fn)(struct sleeplock *l))
{
	lock_hook = fn;
}
void sleep_lock(struct sleeplock *l)
{
	if (lock_hook && !in_lock_hook) {
		in_lock_hook = true;
		lock_hook(l);
		in_lock_hook = false;
	}
	if (l->locked)
		panic("sleep_lock: %s already held: a deadlock", l->lk.name);
	l->locked = true;
}
void sleep_unlock(struct sleeplock *l)
{
	if (!l->locked)
		panic("sleep_unlock: %s not held", l->lk.name);
	l->locked = false;
}
void sleep_on(void *chan, struct spinlock *lk)
{
	(void)chan;
	panic("sleep_on with %s held: nobody else can wake us", lk->name);
}
void wakeup(void *chan)
{
	(void)chan;
}

const char *boot_option(const char *key)
{
	(void)key;
	return NULL;
}

/* ---- processes, time ---- */
struct thread *mythread(void)
{
	return &the_thread;
}
struct proc *myproc(void)
{
	return &the_proc;
}
uint64_t time_now_ns(void)
{
	return clock_ns += 1000;
}

/* ---- memory ---- */

/* Every block the kernel holds (pages, kmalloc, files), so that
 * kshim_release_all() can drop a whole mount: a remount abandons the
 * caches, and a fuzzer that remounts per input must not leak them. */
static void **live;
static size_t nlive, live_cap;

static void *track(void *p)
{
	if (p && nlive == live_cap) {
		size_t cap = live_cap ? 2 * live_cap : 1024;
		void **grown = realloc(live, cap * sizeof *live);
		if (!grown) {
			free(p);
			return NULL;
		}
		live = grown;
		live_cap = cap;
	}
	if (p)
		live[nlive++] = p;
	return p;
}

static void untrack(void *p)
{
	for (size_t i = nlive; i-- > 0;)
		if (live[i] == p) {
			live[i] = live[--nlive];
			return;
		}
	panic("kshim: free of %p, which the kernel does not hold", p);
}

void kshim_release_all(void)
{
	for (size_t i = 0; i < nlive; i++)
		free(live[i]);
	nlive = 0;
	pages_in_use = 0;
}

void *page_alloc(void)
{
	if (pages_in_use >= free_pages + 100000)
		return NULL;
	void *p = track(aligned_alloc(PAGE_SIZE, PAGE_SIZE));
	if (p) {
		memset(p, 0, PAGE_SIZE);
		pages_in_use++;
	}
	return p;
}
void page_free(void *va)
{
	untrack(va);
	free(va);
	pages_in_use--;
}
void *kmalloc(size_t n)
{
	return track(malloc(n));
}
void kfree(void *p)
{
	if (!p)
		return;
	untrack(p);
	free(p);
}
uint64_t mm_free_pages(void)
{
	return free_pages;
}

/* User memory is host memory here. */
int copyin(void *dst, uint64_t usrc, size_t n)
{
	if (!usrc)
		return -VTLAB_EFAULT;
	memcpy(dst, (const void *)usrc, n);
	return 0;
}
int copyout(uint64_t udst, const void *src, size_t n)
{
	if (!udst)
		return -VTLAB_EFAULT;
	memcpy((void *)udst, src, n);
	return 0;
}
int copyinstr(char *dst, uint64_t usrc, size_t max)
{
	if (!usrc)
		return -VTLAB_EFAULT;
	size_t len = strnlen((const char *)usrc, max);
	if (len == max)
		return -VTLAB_ENAMETOOLONG;
	memcpy(dst, (const char *)usrc, len + 1);
	return 0;
}

/* ---- files ---- */
struct file *file_alloc(const struct file_ops *ops, void *priv, int flags)
{
	struct file *f = track(calloc(1, sizeof *f));
	if (f) {
		f->ops = ops;
		f->priv = priv;
		f->flags = flags;
		f->ref = 1;
	}
	return f;
}
struct file *file_dup(struct file *f)
{
	f->ref++;
	return f;
}
void file_close(struct file *f)
{
	if (--f->ref == 0) {
		f->ops->close(f);
		untrack(f);
		free(f);
	}
}
struct file *fd_ref(int fd)
{
	struct proc *p = myproc();
	return fd >= 0 && fd < NOFILE && p->ofile[fd] ? file_dup(p->ofile[fd]) : NULL;
}
int fd_install(struct proc *p, struct file *f)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (!p->ofile[fd]) {
			p->ofile[fd] = f;
			return fd;
		}
	return -VTLAB_EMFILE;
}

/* ---- block device over the image ---- */
int blk_init(void)
{
	if (image_fd >= 0)
		close(image_fd);
	image_fd = image_path ? open(image_path, O_RDWR) : -1;
	if (image_fd < 0)
		return -VTLAB_EIO;
	image_sectors = (uint64_t)lseek(image_fd, 0, SEEK_END) / 512;
	return 0;
}
uint64_t blk_sectors(void)
{
	return image_sectors;
}
static uint32_t failing_block;
void kshim_fail_reads(uint32_t blockno)
{
	failing_block = blockno;
}
static int xfer(bool write, uint64_t sector, void *buf, uint32_t n)
{
	if (n == 0 || n > 256 || sector >= image_sectors || n > image_sectors - sector)
		return -VTLAB_EIO;
	uint64_t fail = (uint64_t)failing_block * VTFS_SECTORS_PER_BLOCK;
	if (!write && failing_block && fail < sector + n && sector < fail + VTFS_SECTORS_PER_BLOCK)
		return -VTLAB_EIO;
	ssize_t r = write ? pwrite(image_fd, buf, (size_t)n * 512, (off_t)sector * 512)
			  : pread(image_fd, buf, (size_t)n * 512, (off_t)sector * 512);
	if (write)
		sectors_written += n;
	return r == (ssize_t)n * 512 ? 0 : -VTLAB_EIO;
}
int blk_read(uint64_t sector, void *buf, uint32_t n)
{
	return xfer(false, sector, buf, n);
}
int blk_write(uint64_t sector, const void *buf, uint32_t n)
{
	return xfer(true, sector, (void *)buf, n);
}
int blk_submit(struct blk_req *reqs, unsigned n)
{
	int rc = 0;
	for (unsigned i = 0; i < n; i++)
		if (xfer(reqs[i].op == BLK_OP_WRITE, reqs[i].sector, reqs[i].buf, reqs[i].nsectors))
			rc = -VTLAB_EIO;
	return rc;
}
int blk_flush(void)
{
	return image_fd >= 0 && fsync(image_fd) == 0 ? 0 : -VTLAB_EIO;
}
