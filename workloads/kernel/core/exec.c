/*
 * exec.c - execve: loads a static ELF64 RISC-V executable (ELF-64 Object
 * File Format 1.5; RISC-V psABI: EM_RISCV = 243) from the file system into
 * a new address space and starts it with the System V stack layout
 * (argc, argv[], NULL, envp[], NULL, auxv AT_NULL; psABI "Process
 * initialization"; a0 = argc and a1 = argv as a convenience).
 * Everything in the file is untrusted: every field is checked and a bad
 * executable gives -ENOEXEC; nothing of the old image is touched until
 * the new one is complete.  A process with more than one thread gets
 * -EBUSY (vtlab does not stop sibling threads on exec).
 * Limits: 64 arguments + environment strings, 3072 bytes of them.
 */
#include "proc.h"

#define EM_RISCV 243
#define ET_EXEC 2
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define MAX_PHNUM 16
#define MAX_ARGS 64
#define MAX_ARG_BYTES 3072
#define USTACK_SIZE (8ull << 20)
#define PATH_MAX 256

struct elf64_ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct image {
	struct inode *ip;
	uint64_t size;
	struct elf64_ehdr eh;
	struct elf64_phdr ph[MAX_PHNUM];
	uint64_t brk;
};

static bool read_exact(struct inode *ip, void *dst, uint64_t off, size_t n)
{
	return fs_readi(ip, dst, off, n) == (int64_t)n;
}

static bool ehdr_ok(const struct image *im)
{
	const struct elf64_ehdr *e = &im->eh;
	static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };
	if (memcmp(e->ident, magic, 4) != 0 || e->ident[4] != 2 || e->ident[5] != 1 ||
	    e->ident[6] != 1)
		return false;
	if (e->type != ET_EXEC || e->machine != EM_RISCV || e->version != 1)
		return false;
	if (e->phentsize != sizeof(struct elf64_phdr) || e->phnum == 0 || e->phnum > MAX_PHNUM)
		return false;
	uint64_t phbytes = (uint64_t)e->phnum * sizeof(struct elf64_phdr);
	return e->phoff <= im->size && phbytes <= im->size - e->phoff;
}

/* One PT_LOAD: inside the file, inside user space below the stack. */
static bool segment_ok(const struct image *im, const struct elf64_phdr *ph)
{
	const uint64_t limit = USER_STACK_TOP - USTACK_SIZE;
	if (ph->memsz == 0 || ph->filesz > ph->memsz)
		return false;
	if (ph->offset > im->size || ph->filesz > im->size - ph->offset)
		return false;
	return ph->vaddr >= USER_BASE && ph->vaddr < limit && ph->memsz <= limit - ph->vaddr;
}

static bool pages_overlap(const struct elf64_phdr *a, const struct elf64_phdr *b)
{
	uint64_t a0 = PGROUNDDOWN(a->vaddr), a1 = PGROUNDUP(a->vaddr + a->memsz);
	uint64_t b0 = PGROUNDDOWN(b->vaddr), b1 = PGROUNDUP(b->vaddr + b->memsz);
	return a0 < b1 && b0 < a1;
}

static int check_phdrs(struct image *im)
{
	bool entry_ok = false;
	for (int i = 0; i < im->eh.phnum; i++) {
		struct elf64_phdr *ph = &im->ph[i];
		if (ph->type != PT_LOAD)
			continue;
		if (!segment_ok(im, ph))
			return -VTLAB_ENOEXEC;
		for (int j = 0; j < i; j++)
			if (im->ph[j].type == PT_LOAD && pages_overlap(ph, &im->ph[j]))
				return -VTLAB_ENOEXEC;
		if ((ph->flags & PF_X) && im->eh.entry >= ph->vaddr &&
		    im->eh.entry - ph->vaddr < ph->memsz)
			entry_ok = true;
		uint64_t end = PGROUNDUP(ph->vaddr + ph->memsz);
		if (end > im->brk)
			im->brk = end;
	}
	return entry_ok && (im->eh.entry & 3) == 0 ? 0 : -VTLAB_ENOEXEC;
}

static int prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? VTLAB_PROT_READ : 0) | ((flags & PF_W) ? VTLAB_PROT_WRITE : 0) |
	       ((flags & PF_X) ? VTLAB_PROT_EXEC : 0);
}

static int load_segment(struct image *im, struct aspace *as, const struct elf64_phdr *ph, void *buf)
{
	uint64_t start = PGROUNDDOWN(ph->vaddr);
	int64_t r = as_map_anon(as, start, PGROUNDUP(ph->vaddr + ph->memsz) - start,
				prot_of(ph->flags), true);
	if (r < 0)
		return (int)r;
	for (uint64_t done = 0; done < ph->filesz;) {
		size_t n = ph->filesz - done < PAGE_SIZE ? ph->filesz - done : PAGE_SIZE;
		if (!read_exact(im->ip, buf, ph->offset + done, n))
			return -VTLAB_EIO;
		if (as_write(as, ph->vaddr + done, buf, n) < 0)
			return -VTLAB_ENOMEM;
		done += n;
	}
	return 0;
}

/* Builds [sp, USER_STACK_TOP) in buf and writes it; returns sp or -errno. */
static int64_t build_stack(struct aspace *as, int argc, char *const argv[], int envc,
			   char *const envp[], void *buf)
{
	uint64_t strbytes = 0;
	for (int i = 0; i < argc; i++)
		strbytes += strlen(argv[i]) + 1;
	for (int i = 0; i < envc; i++)
		strbytes += strlen(envp[i]) + 1;
	if (argc + envc > MAX_ARGS || strbytes > MAX_ARG_BYTES)
		return -VTLAB_E2BIG;
	uint64_t nwords = 1 + (uint64_t)argc + 1 + (uint64_t)envc + 1 + 2;
	uint64_t strs = USER_STACK_TOP - strbytes;
	uint64_t sp = ((strs & ~15ull) - nwords * 8) & ~15ull;
	uint64_t base = sp;
	memset(buf, 0, USER_STACK_TOP - base);
	uint64_t *w = (uint64_t *)buf;
	char *s = (char *)buf + (strs - base);
	uint64_t ustr = strs;
	*w++ = (uint64_t)argc;
	for (int pass = 0; pass < 2; pass++) {
		int n = pass ? envc : argc;
		char *const *v = pass ? envp : argv;
		for (int i = 0; i < n; i++) {
			size_t len = strlen(v[i]) + 1;
			memcpy(s, v[i], len);
			*w++ = ustr;
			s += len;
			ustr += len;
		}
		*w++ = 0; /* NULL after argv, then after envp */
	}
	*w++ = 0; /* auxv: AT_NULL */
	*w++ = 0;
	if (as_write(as, base, buf, USER_STACK_TOP - base) < 0)
		return -VTLAB_ENOMEM;
	return (int64_t)sp;
}

static const char *basename_of(const char *path)
{
	const char *b = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			b = p + 1;
	return b;
}

/* Switches the calling process to the new image; cannot fail. */
static void commit(struct aspace *as, const struct image *im, const char *path, int64_t sp,
		   int argc)
{
	struct kproc *p = mykproc();
	struct kthread *t = mykthread();
	struct aspace *old = p->pub.as;
	as_set_brk_base(as, im->brk);
	intr_off();
	p->pub.as = as;
	t->kfn = NULL;
	as_activate(as);
	mycore()->cur_as = as;
	intr_on();
	if (old)
		as_destroy(old);
	strlcpy(p->pub.name, basename_of(path), sizeof p->pub.name);
	fd_close_on_exec(p);
	struct trapframe *tf = t->utf;
	memset(tf, 0, sizeof *tf);
	tf->sepc = im->eh.entry;
	tf->regs[REG_SP] = (uint64_t)sp;
	tf->regs[REG_A0] = (uint64_t)argc;
	tf->regs[REG_A1] = (uint64_t)sp + 8;
	tf->sstatus =
		(csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM)) | SSTATUS_SPIE;
}

static int count(char *const v[])
{
	int n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* exec with kernel strings; on success returns argc (the new a0). */
int64_t kexec(const char *path, char *const argv[], char *const envp[])
{
	if (mykproc()->nthreads > 1)
		return -VTLAB_EBUSY;
	struct image *im = kmalloc(sizeof *im);
	void *buf = page_alloc();
	struct aspace *as = NULL;
	int64_t r = -VTLAB_ENOMEM;
	if (!im || !buf)
		goto out;
	memset(im, 0, sizeof *im);
	r = -VTLAB_ENOENT;
	if (!(im->ip = fs_namei(path)))
		goto out;
	im->size = fs_size(im->ip);
	r = -VTLAB_ENOEXEC;
	if (!read_exact(im->ip, &im->eh, 0, sizeof im->eh) || !ehdr_ok(im) ||
	    !read_exact(im->ip, im->ph, im->eh.phoff, im->eh.phnum * sizeof im->ph[0]))
		goto out;
	if ((r = check_phdrs(im)) < 0)
		goto out;
	r = -VTLAB_ENOMEM;
	if (!(as = as_create()))
		goto out;
	for (int i = 0; i < im->eh.phnum; i++)
		if (im->ph[i].type == PT_LOAD && (r = load_segment(im, as, &im->ph[i], buf)) < 0)
			goto out;
	r = as_map_anon(as, USER_STACK_TOP - USTACK_SIZE, USTACK_SIZE,
			VTLAB_PROT_READ | VTLAB_PROT_WRITE, true);
	if (r < 0)
		goto out;
	int argc = count(argv);
	int64_t sp = build_stack(as, argc, argv, count(envp), envp, buf);
	if ((r = sp) < 0)
		goto out;
	commit(as, im, path, sp, argc);
	as = NULL;
	r = argc;
out:
	if (as)
		as_destroy(as);
	if (im && im->ip)
		fs_iput(im->ip);
	if (im)
		kfree(im);
	if (buf)
		page_free(buf);
	return r;
}

/* Copies a NULL-terminated user vector of strings into page: pointers
 * in vec (MAX_ARGS + 1 slots), bytes after *used.  Returns the count. */
static int copy_vector(uint64_t uvec, char **vec, char *page, size_t *used)
{
	int n = 0;
	for (; uvec; n++) {
		uint64_t up;
		if (n >= MAX_ARGS)
			return -VTLAB_E2BIG;
		if (copyin(&up, uvec + 8 * (uint64_t)n, sizeof up) < 0)
			return -VTLAB_EFAULT;
		if (!up)
			break;
		int r = copyinstr(page + *used, up, PAGE_SIZE - *used);
		if (r < 0)
			return r == -VTLAB_ENAMETOOLONG ? -VTLAB_E2BIG : r;
		vec[n] = page + *used;
		*used += strlen(vec[n]) + 1;
	}
	vec[n] = NULL;
	return n;
}

int64_t sys_execve(uint64_t upath, uint64_t uargv, uint64_t uenvp)
{
	char path[PATH_MAX];
	int r = copyinstr(path, upath, sizeof path);
	if (r < 0)
		return r;
	char *page = page_alloc();
	char **vecs = kmalloc(2 * (MAX_ARGS + 1) * sizeof(char *));
	int64_t ret = -VTLAB_ENOMEM;
	if (page && vecs) {
		size_t used = 0;
		char **argv = vecs, **envp = vecs + MAX_ARGS + 1;
		ret = copy_vector(uargv, argv, page, &used);
		if (ret >= 0)
			ret = copy_vector(uenvp, envp, page, &used);
		if (ret >= 0)
			ret = kexec(path, argv, envp);
	}
	if (page)
		page_free(page);
	if (vecs)
		kfree(vecs);
	return ret;
}
