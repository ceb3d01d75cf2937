/*
 * tools_test.c - helpers for the vtfs tools' unit tests (tools_test.h).
 */
#include "tools_test.h"
#include "vtfs_tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tt_passed, tt_failed;
static char scratch[256];

void tt_check(bool ok, const char *what, const char *file, int line)
{
	if (ok) {
		tt_passed++;
		return;
	}
	tt_failed++;
	printf("FAIL %s:%d: %s\n", file, line, what);
}

int tt_summary(void)
{
	printf("%d passed, %d failed\n", tt_passed, tt_failed);
	return tt_failed ? 1 : 0;
}

static void remove_scratch(void)
{
	char cmd[300];
	if (scratch[0] && !getenv("TT_KEEP")) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			fprintf(stderr, "tools_test: could not remove %s\n", scratch);
	}
}

const char *tt_scratch(void)
{
	if (!scratch[0]) {
		const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
		snprintf(scratch, sizeof scratch, "%s/vtfs-test-XXXXXX", tmp);
		if (!mkdtemp(scratch)) {
			perror("tools_test: mkdtemp");
			exit(2);
		}
		atexit(remove_scratch);
	}
	return scratch;
}

const char *tt_path(const char *rel)
{
	char *p = malloc(strlen(tt_scratch()) + strlen(rel) + 2);
	sprintf(p, "%s/%s", tt_scratch(), rel);
	return p; /* lives until exit: tests make few paths */
}

void tt_mkdir(const char *rel)
{
	if (mkdir(tt_path(rel), 0755) != 0) {
		perror(rel);
		exit(2);
	}
}

void tt_fill(uint8_t *buf, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}

void tt_write_file(const char *rel, size_t n, uint32_t seed)
{
	uint8_t *buf = malloc(n ? n : 1);
	FILE *f = fopen(tt_path(rel), "wb");
	if (!buf || !f || fwrite(buf, 1, 0, f) != 0) {
		perror(rel);
		exit(2);
	}
	tt_fill(buf, n, seed);
	if (fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
		perror(rel);
		exit(2);
	}
	free(buf);
}

int tt_fsck(const char *image, char **text)
{
	size_t len;
	FILE *out = open_memstream(text, &len);
	int n = vtfs_fsck(image, out);
	fclose(out);
	return n;
}
