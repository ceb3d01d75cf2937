/*
 * fuzz_fsck.c - libFuzzer target: vtlab-fsck's checker, vtfs_fsck()
 * (workloads/tools/fsck.c), on an arbitrary disk image.
 *
 * Feeds: the input is the image itself, written to a memfd and checked
 * through its /proc/self/fd path, the way vtlab-fsck opens a file.  The
 * seeds are images vtlab-mkfs made (make_seeds.sh), so mutations reach the
 * inode table, the indirect blocks and the directories behind a valid
 * superblock.
 *
 * Must hold (vtfs_tools.h, fsck.c; the rule "a corrupt guest image gets a
 * clear error", shared/DESIGN.md): no sanitizer report and no allocation
 * beyond what the image's own size justifies (libFuzzer's -rss_limit_mb and
 * -malloc_limit_mb catch the rest); the result is -1 or a count of problems;
 * every line printed is "vtlab-fsck: PATH: WHAT" (the image named; no
 * control byte, whatever the names on the image hold), one line a problem
 * up to the checker's cap of 200 (then one line "N more problems not
 * shown"), besides the notes on orphans; an image called clean holds all
 * the blocks its superblock counts (one cut short is a problem); and a
 * second check of the same bytes prints the same report (fsck reads, it
 * never writes).
 *
 * Build and run: scripts/fuzz.sh fsck.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vtfs_tools.h"
#include "vtlab/fs_format.h"

#define MAX_LINES 200 /* fsck.c's MAX_REPORTED */
#define ORPHAN_NOTE ": orphan (unlinked while open), freed at the next mount\n"

static int file_fd = -1;
static char file_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_fsck.c: %s%s\n", what, detail);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	file_fd = memfd_create("fuzz_fsck", 0);
	if (file_fd < 0)
		die("memfd_create failed", "");
	snprintf(file_path, sizeof file_path, "/proc/self/fd/%d", file_fd);
	return 0;
}

/* Runs the checker on the memfd; its report in *out (malloc'd). */
static int check(char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	if (!f)
		die("open_memstream failed", "");
	int n = vtfs_fsck(file_path, f);
	fclose(f);
	return n;
}

/* Every line is "vtlab-fsck: PATH: " and more; returns the count of lines
 * that report a problem: all but the notes on orphans (inodes unlinked
 * while open, which the kernel frees at the next mount: not a problem). */
static int check_lines(const char *report, size_t len)
{
	char prefix[96];
	int plen = snprintf(prefix, sizeof prefix, "vtlab-fsck: %s: ", file_path);
	int lines = 0;
	for (const char *p = report; p < report + len; lines++) {
		const char *nl = memchr(p, '\n', (size_t)(report + len - p));
		if (!nl)
			die("a report line without its newline: ", p);
		if ((size_t)(nl - p) <= (size_t)plen || strncmp(p, prefix, (size_t)plen) != 0)
			die("a report line that does not name the image: ", p);
		for (const char *q = p; q < nl; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				die("a control byte in a report line (a name printed raw): ", p);
		if (memmem(p, (size_t)(nl - p) + 1, ORPHAN_NOTE, strlen(ORPHAN_NOTE)))
			lines--;
		p = nl + 1;
	}
	return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(file_fd, 0) != 0 || pwrite(file_fd, data, size, 0) != (ssize_t)size)
		die("writing the image to the memfd failed", "");
	char *first = NULL, *second = NULL;
	size_t first_len = 0, second_len = 0;
	int n = check(&first, &first_len);
	int lines = check_lines(first, first_len);
	if (n < -1)
		die("vtfs_fsck returned less than -1", "");
	/* Past the cap, one last line says how many more there are. */
	if (n >= 0 && lines != (n <= MAX_LINES ? n : MAX_LINES + 1))
		die("the report's lines are not one per problem: ", first);
	if (n == -1 && lines == 0)
		die("an unreadable image without a line saying why", "");
	struct vtfs_super sb;
	if (n == 0) {
		if (size < sizeof sb)
			die("an image smaller than a superblock was called clean", "");
		memcpy(&sb, data, sizeof sb);
		if ((uint64_t)sb.nblocks * VTFS_BLOCK_SIZE > size)
			die("an image cut short was called clean", "");
	}
	int again = check(&second, &second_len);
	if (again != n || second_len != first_len || memcmp(first, second, first_len) != 0)
		die("a second check of the same image differs: ", second);
	free(first);
	free(second);
	return 0;
}
