/*
 * kbuild.c - /bin/kbuild, the driver of the kernel-build workload: a
 * make-style parallel build of a generated source tree.
 *
 *   kbuild [--small] [-j N] [--files M] [--verbose]
 *
 * Reads the build list SRC/Kbuild.list (SRC is /src, or /src-small with
 * --small; gen_tree.c writes both), compiles the first M sources (all by
 * default) with up to N (default: the number of vCPUs) concurrent
 * /bin/kcc processes, one fork + execve per file, as `make -jN` does,
 * writing /obj/DIR/FILE.o; then runs /bin/kld over the objects (in list
 * order, through /obj/objects.list) to write /out/kernel.img.
 *
 * Reports to the lab device: the metric "build_seconds", the modeled time
 * (CLOCK_MONOTONIC) of the compile and link phases, and the digest of
 * /out/kernel.img, which depends only on the sources: identical for any
 * -j, vCPU count or MMU.  Stops at the first failing job, like make.
 * Exit 0 on success, 1 on a failed build, 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vtlab.h"

#define MAX_FILES 4096
#define MAX_JOBS 32
#define PATH_LEN 128
#define INCLUDE_SUBDIR "/include"

typedef struct {
	const char *src_dir;
	int jobs, max_files, verbose;
} Options;

typedef struct {
	char src[PATH_LEN], obj[PATH_LEN];
} Job;

static Job jobs[MAX_FILES];
static int njobs;

static int usage(void)
{
	fprintf(stderr, "usage: kbuild [--small] [-j N] [--files M] [--verbose]\n");
	return 2;
}

static int parse_count(const char *s, int lo, int hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi) {
		fprintf(stderr, "kbuild: %s: expected a number from %d to %d, got '%s'\n", what, lo,
			hi, s);
		exit(2);
	}
	return (int)v;
}

static int parse_options(int argc, char **argv, Options *o)
{
	o->src_dir = "/src";
	o->jobs = vt_nprocs();
	o->max_files = MAX_FILES;
	o->verbose = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--small") == 0)
			o->src_dir = "/src-small";
		else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc)
			o->jobs = parse_count(argv[++i], 1, MAX_JOBS, "-j");
		else if (strncmp(argv[i], "-j", 2) == 0 && argv[i][2])
			o->jobs = parse_count(argv[i] + 2, 1, MAX_JOBS, "-j");
		else if (strcmp(argv[i], "--files") == 0 && i + 1 < argc)
			o->max_files = parse_count(argv[++i], 1, MAX_FILES, "--files");
		else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
			o->verbose = 1;
		else
			return usage();
	}
	if (o->jobs < 1)
		o->jobs = 1;
	return 0;
}

static char *read_text(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t cap = 8192, n = 0;
	char *b = malloc(cap + 1);
	ssize_t r;
	while (b && (r = read(fd, b + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap)
			b = realloc(b, (cap *= 2) + 1);
	}
	close(fd);
	if (b)
		b[n] = 0;
	return b;
}

/* mkdir -p of the directory part of path (all but the last component). */
static void make_parent_dirs(const char *path)
{
	char dir[PATH_LEN];
	for (const char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		memcpy(dir, path, (size_t)(p - path));
		dir[p - path] = 0;
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "kbuild: mkdir %s: %s\n", dir, strerror(errno));
			exit(1);
		}
	}
}

/* Reads SRC/Kbuild.list into jobs[]; each object goes to /obj/REL.o. */
static int load_list(const Options *o)
{
	char path[PATH_LEN];
	snprintf(path, sizeof path, "%s/Kbuild.list", o->src_dir);
	char *text = read_text(path);
	if (!text) {
		fprintf(stderr, "kbuild: %s: cannot read the build list\n", path);
		return -1;
	}
	for (char *line = strtok(text, "\n"); line && njobs < o->max_files;
	     line = strtok(NULL, "\n")) {
		size_t len = strlen(line);
		if (len < 3 || strcmp(line + len - 2, ".c") != 0 || len + 16 > PATH_LEN) {
			fprintf(stderr,
				"kbuild: %s: line %d: expected a relative path ending in .c\n",
				path, njobs + 1);
			return -1;
		}
		Job *j = &jobs[njobs++];
		snprintf(j->src, sizeof j->src, "%s/%s", o->src_dir, line);
		snprintf(j->obj, sizeof j->obj, "/obj/%.*s.o", (int)(len - 2), line);
		make_parent_dirs(j->obj);
	}
	free(text);
	return njobs > 0 ? 0 : -1;
}

static pid_t spawn(char *const argv[])
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *envp[] = { "PATH=/bin", NULL };
		execve(argv[0], argv, envp);
		fprintf(stderr, "kbuild: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "kbuild: fork: %s\n", strerror(errno));
	return pid;
}

static pid_t start_compile(const Options *o, const Job *j, char *include_dir)
{
	char *argv[] = { "/bin/kcc",
			 "-I",
			 include_dir,
			 "-o",
			 (char *)j->obj,
			 (char *)j->src,
			 o->verbose ? "-v" : NULL,
			 NULL };
	if (o->verbose)
		printf("  CC      %s\n", j->src);
	return spawn(argv);
}

/* Waits for one child; 0 if it exited with 0. */
static int reap(const char **what, pid_t *pids, int n)
{
	int status;
	pid_t pid = wait(&status);
	if (pid < 0) {
		fprintf(stderr, "kbuild: wait: %s\n", strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (pids[i] == pid) {
			pids[i] = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				return 0;
			fprintf(stderr, "kbuild: *** [%s] Error %d\n", what[i],
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (status & 0x7f));
			return -1;
		}
	return 0; /* not one of ours */
}

/* The compile phase: at most o->jobs kcc processes at a time. */
static int compile_all(const Options *o)
{
	static pid_t pids[MAX_FILES];
	static const char *names[MAX_FILES];
	char include_dir[PATH_LEN];
	snprintf(include_dir, sizeof include_dir, "%s%s", o->src_dir, INCLUDE_SUBDIR);
	int running = 0, failed = 0;
	for (int i = 0; i < njobs && !failed; i++) {
		while (running >= o->jobs) {
			failed |= reap(names, pids, i) != 0;
			running--;
		}
		if (failed)
			break;
		names[i] = jobs[i].src;
		pids[i] = start_compile(o, &jobs[i], include_dir);
		if (pids[i] < 0)
			failed = 1;
		else
			running++;
	}
	for (; running > 0; running--) /* make waits for the jobs it started */
		failed |= reap(names, pids, njobs) != 0;
	return failed ? -1 : 0;
}

static int write_object_list(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (int i = 0; i < njobs; i++) {
		size_t n = strlen(jobs[i].obj);
		jobs[i].obj[n] = '\n';
		ssize_t w = write(fd, jobs[i].obj, n + 1);
		jobs[i].obj[n] = 0;
		if (w != (ssize_t)(n + 1)) {
			close(fd);
			return -1;
		}
	}
	return close(fd);
}

static int link_image(const Options *o)
{
	static const char *list = "/obj/objects.list";
	if (write_object_list(list) != 0) {
		fprintf(stderr, "kbuild: %s: cannot write the object list\n", list);
		return -1;
	}
	if (o->verbose)
		printf("  LD      /out/kernel.img\n");
	make_parent_dirs("/out/kernel.img");
	char *argv[] = { "/bin/kld", "-o", "/out/kernel.img", "@/obj/objects.list", NULL };
	pid_t pid = spawn(argv);
	const char *what[] = { "/out/kernel.img" };
	return pid < 0 ? -1 : reap(what, &pid, 1);
}

/* Digest and size of the image; -1 if it cannot be read. */
static long digest_image(uint64_t *digest)
{
	int fd = open("/out/kernel.img", O_RDONLY);
	if (fd < 0)
		return -1;
	static char buf[16384];
	vt_digest_t d;
	vt_digest_init(&d);
	long total = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0) {
		vt_digest_update(&d, buf, (size_t)r);
		total += r;
	}
	close(fd);
	*digest = vt_digest_final(&d);
	return r < 0 ? -1 : total;
}

int main(int argc, char **argv)
{
	Options o;
	if (parse_options(argc, argv, &o) != 0)
		return 2;
	if (load_list(&o) != 0)
		return 1;
	printf("kbuild: %d files from %s, -j%d\n", njobs, o.src_dir, o.jobs);
	uint64_t t0 = vt_now_ns();
	if (compile_all(&o) != 0 || link_image(&o) != 0) {
		fprintf(stderr, "kbuild: build failed\n");
		return 1;
	}
	uint64_t t1 = vt_now_ns();
	uint64_t digest;
	long size = digest_image(&digest);
	if (size < 0) {
		fprintf(stderr, "kbuild: /out/kernel.img: cannot read\n");
		return 1;
	}
	double secs = (double)(t1 - t0) / 1e9;
	printf("kbuild: built /out/kernel.img (%ld bytes) in %.6f modeled seconds\n", size, secs);
	printf("kbuild: image digest %016llx\n", (unsigned long long)digest);
	vt_lab_metric("build_seconds", secs);
	vt_lab_digest(digest);
	return 0;
}
