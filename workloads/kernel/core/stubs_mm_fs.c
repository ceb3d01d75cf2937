/*
 * stubs_mm_fs.c - stand-ins for mm/ and fs/ so that core can boot and run
 * its self-tests alone (core/standalone.mk builds with -DCORE_STANDALONE).
 * Never part of the real kernel: the whole file is empty without the
 * define.  Memory: a bump/free-list allocator over a static pool; the
 * boot page table stays on; no address spaces; no file system.
 */
#ifdef CORE_STANDALONE
#include "proc.h"

#define POOL_PAGES 256

static uint8_t pool[POOL_PAGES][PAGE_SIZE] __attribute__((aligned(4096)));
static void *free_list;
static int pool_next;
static struct spinlock pool_lock = { 0, -1, "pool" };

void mm_init(uint64_t ram_base, uint64_t ram_size, uint64_t kernel_end_pa)
{
	(void)ram_base, (void)ram_size, (void)kernel_end_pa;
}
void mm_init_cpu(void)
{
}
void mm_tlb_ipi(void)
{
}

void *page_alloc(void)
{
	spin_lock(&pool_lock);
	void *p = free_list;
	if (p)
		free_list = *(void **)p;
	else if (pool_next < POOL_PAGES)
		p = pool[pool_next++];
	spin_unlock(&pool_lock);
	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

void page_free(void *va)
{
	spin_lock(&pool_lock);
	*(void **)va = free_list;
	free_list = va;
	spin_unlock(&pool_lock);
}

void *kmalloc(size_t n)
{
	return n <= PAGE_SIZE ? page_alloc() : NULL;
}
void kfree(void *p)
{
	page_free(p);
}
uint64_t mm_free_pages(void)
{
	return (uint64_t)(POOL_PAGES - pool_next);
}

struct aspace *as_create(void)
{
	return NULL;
}
struct aspace *as_fork(struct aspace *parent)
{
	(void)parent;
	return NULL;
}
void as_destroy(struct aspace *as)
{
	(void)as;
}
void as_activate(struct aspace *as)
{
	(void)as;
}
int64_t as_map_anon(struct aspace *as, uint64_t va, uint64_t len, int prot, bool fixed)
{
	(void)as, (void)va, (void)len, (void)prot, (void)fixed;
	return -VTLAB_ENOMEM;
}
int as_unmap(struct aspace *as, uint64_t va, uint64_t len)
{
	(void)as, (void)va, (void)len;
	return -VTLAB_EINVAL;
}
int as_write(struct aspace *as, uint64_t va, const void *src, size_t n)
{
	(void)as, (void)va, (void)src, (void)n;
	return -VTLAB_EFAULT;
}
int as_read(struct aspace *as, uint64_t va, void *dst, size_t n)
{
	(void)as, (void)va, (void)dst, (void)n;
	return -VTLAB_EFAULT;
}
int64_t as_brk(struct aspace *as, uint64_t new_brk)
{
	(void)as, (void)new_brk;
	return 0;
}
void as_set_brk_base(struct aspace *as, uint64_t base)
{
	(void)as, (void)base;
}
int mm_fault(uint64_t scause, uint64_t va, uint64_t sepc, bool user)
{
	(void)scause, (void)va, (void)sepc, (void)user;
	return VTLAB_SIGSEGV;
}
_Noreturn void mm_selftest(void)
{
	panic("mmtest=1: mm's self-tests are not in the standalone core");
}

void fs_init(void)
{
}
int64_t sys_openat(int dirfd, uint64_t upath, int flags, int mode)
{
	(void)dirfd, (void)upath, (void)flags, (void)mode;
	return -VTLAB_ENOSYS;
}
int64_t sys_mkdirat(int dirfd, uint64_t upath, int mode)
{
	(void)dirfd, (void)upath, (void)mode;
	return -VTLAB_ENOSYS;
}
int64_t sys_unlinkat(int dirfd, uint64_t upath, int flags)
{
	(void)dirfd, (void)upath, (void)flags;
	return -VTLAB_ENOSYS;
}
int64_t sys_newfstatat(int dirfd, uint64_t upath, uint64_t ustat, int flags)
{
	(void)dirfd, (void)upath, (void)ustat, (void)flags;
	return -VTLAB_ENOSYS;
}
int64_t sys_getdents64(int fd, uint64_t ubuf, size_t n)
{
	(void)fd, (void)ubuf, (void)n;
	return -VTLAB_ENOSYS;
}
int64_t sys_ftruncate(int fd, int64_t len)
{
	(void)fd, (void)len;
	return -VTLAB_ENOSYS;
}
int64_t sys_fsync(int fd)
{
	(void)fd;
	return -VTLAB_ENOSYS;
}
int64_t sys_chdir(uint64_t upath)
{
	(void)upath;
	return -VTLAB_ENOSYS;
}
int64_t sys_getcwd(uint64_t ubuf, size_t n)
{
	(void)ubuf, (void)n;
	return -VTLAB_ENOSYS;
}
int64_t sys_sync(void)
{
	return 0;
}
struct inode *fs_namei(const char *path)
{
	(void)path;
	return NULL;
}
int64_t fs_readi(struct inode *ip, void *dst, uint64_t off, size_t n)
{
	(void)ip, (void)dst, (void)off, (void)n;
	return -VTLAB_EIO;
}
uint64_t fs_size(struct inode *ip)
{
	(void)ip;
	return 0;
}
struct inode *fs_idup(struct inode *ip)
{
	return ip;
}
void fs_iput(struct inode *ip)
{
	(void)ip;
}
struct inode *fs_cwd_ref(struct proc *p)
{
	return p->cwd;
}
#endif
