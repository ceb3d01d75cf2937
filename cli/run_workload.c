/*
 * run_workload.c - the guest workloads behind `vtlab run --workload`
 * (contract in run_workload.h).
 *
 * The workloads (workloads/kbuild, workloads/jbb, workloads/sysbench) are
 * programs on the workload disk image, run by the guest kernel's /bin/init
 * with the command found in the boot arguments.
 */
#include "run_workload.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "machine.h"
#include "vtlab/fs_format.h"

static const char *const sysbench_tests[] = {
	"cpu", "memory", "fileio", "oltp", "threads", "mutex"
};
#define NTESTS (sizeof sysbench_tests / sizeof sysbench_tests[0])

int workload_check_name(const char *name)
{
	if (strcmp(name, "kbuild") == 0 || strcmp(name, "jbb") == 0)
		return 0;
	if (strncmp(name, "sysbench:", 9) == 0)
		for (size_t i = 0; i < NTESTS; i++)
			if (strcmp(name + 9, sysbench_tests[i]) == 0)
				return 0;
	fprintf(stderr,
		"vtlab run: --workload: expected kbuild, jbb or sysbench:TEST with TEST one of "
		"cpu, memory, fileio, oltp, threads, mutex; got '%s'\n",
		name);
	return -1;
}

int workload_check_mmu(const char *mmu)
{
	if (strcmp(mmu, "sv39") == 0 || strcmp(mmu, "svtlb") == 0)
		return 0;
	fprintf(stderr, "vtlab run: --mmu: expected sv39 or svtlb, got '%s'\n", mmu);
	return -1;
}

/* Appends " word" (or "word" at the start); -1 when it does not fit. */
static int append(char *buf, size_t len, const char *word)
{
	size_t used = strlen(buf);
	int n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", word);
	return n < 0 || (size_t)n >= len - used ? -1 : 0;
}

/* dir/guest/file next to the vtlab binary, into out. */
static void beside_binary(char *out, size_t len, const char *exe_path, const char *file)
{
	const char *slash = strrchr(exe_path, '/');
	int dir = slash ? (int)(slash - exe_path) : 1;
	snprintf(out, len, "%.*s/guest/%s", dir, slash ? exe_path : ".", file);
}

static int build_args(struct workload_opts *w, const char *user_args)
{
	char prog[64];
	w->args[0] = '\0';
	if (w->mmu) {
		char opt[32];
		snprintf(opt, sizeof opt, "mmu=%s", w->mmu);
		if (append(w->args, sizeof w->args, opt))
			return -1;
	}
	if (user_args && append(w->args, sizeof w->args, user_args))
		return -1;
	if (!w->name)
		return 0;
	const char *colon = strchr(w->name, ':');
	snprintf(prog, sizeof prog, "/bin/%.*s", colon ? (int)(colon - w->name) : 50, w->name);
	if (append(w->args, sizeof w->args, prog) ||
	    (colon && append(w->args, sizeof w->args, colon + 1)) ||
	    (w->small && append(w->args, sizeof w->args, "--small")))
		return -1;
	for (int i = 0; i < w->nextra; i++)
		if (append(w->args, sizeof w->args, w->extra[i]))
			return -1;
	return 0;
}

/* The workload disk must be a vtfs image (vtlab/fs_format.h).  Its
 * superblock is checked here, where the file can be named: the guest
 * kernel would only say "cannot mount the disk" and panic.  Deeper damage
 * is for vtlab-fsck (and the guest's own errors) to find. */
static int check_disk(const char *workload, const char *path)
{
	struct vtfs_super sb = { 0 };
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(&sb, 1, sizeof sb, f) : 0;
	int unreadable = !f || ferror(f) ? errno : 0; /* a folder: EISDIR */
	long size = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (f)
		fclose(f);
	const char *fix = "give an image made by vtlab-mkfs, or leave out --disk for the "
			  "workloads' own (`make workloads` builds it)";
	if (unreadable) {
		fprintf(stderr, "vtlab run: --workload %s: %s: cannot read it: %s\n", workload,
			path, strerror(unreadable));
		return -1;
	}
	if (got < sizeof sb || sb.magic != VTFS_MAGIC) {
		fprintf(stderr, "vtlab run: --workload %s: %s is not a vtfs image (%s): %s\n",
			workload, path,
			got < sizeof sb ? "shorter than a superblock" : "no \"VTFS\" magic", fix);
		return -1;
	}
	if (sb.version != VTFS_VERSION || sb.block_size != VTFS_BLOCK_SIZE) {
		fprintf(stderr,
			"vtlab run: --workload %s: %s is vtfs version %u with %u-byte blocks; "
			"this vtlab reads version %u with %u-byte blocks: %s\n",
			workload, path, sb.version, sb.block_size, VTFS_VERSION, VTFS_BLOCK_SIZE,
			fix);
		return -1;
	}
	if (size < 0 || (uint64_t)size / VTFS_BLOCK_SIZE < sb.nblocks) {
		fprintf(stderr,
			"vtlab run: --workload %s: %s holds %ld bytes, but its superblock "
			"says %u blocks of %u: the file was cut short; %s\n",
			workload, path, size, sb.nblocks, VTFS_BLOCK_SIZE, fix);
		return -1;
	}
	return 0;
}

int workload_apply(struct workload_opts *w, struct machine_config *cfg, const char *exe_path)
{
	static char kernel[4096], disk[4096];
	if (!w->name && !w->mmu)
		return 0;
	if (build_args(w, cfg->args)) {
		fprintf(stderr, "vtlab run: the guest argument string is longer than %zu bytes\n",
			sizeof w->args - 1);
		return -1;
	}
	cfg->args = w->args;
	if (!w->name)
		return 0;
	if (!cfg->kernel) {
		beside_binary(kernel, sizeof kernel, exe_path,
			      w->pv ? "kernel-pv.elf" : "kernel.elf");
		cfg->kernel = kernel;
	}
	if (!cfg->disk) {
		beside_binary(disk, sizeof disk, exe_path, "disk-workloads.img");
		cfg->disk = disk;
	}
	if (access(cfg->kernel, R_OK) != 0 || access(cfg->disk, R_OK) != 0) {
		fprintf(stderr,
			"vtlab run: --workload %s: %s is missing: run `make workloads` first\n",
			w->name, access(cfg->kernel, R_OK) != 0 ? cfg->kernel : cfg->disk);
		return -1;
	}
	if (check_disk(w->name, cfg->disk))
		return -1;
	cfg->disk_snapshot = true;
	return 0;
}
