/*
 * test_files.h - file helpers shared by the host unit tests (the
 * tests/test_*.c programs of every folder): a whole file read into memory,
 * and a scratch folder removed at the end.
 *
 * Contract: header-only (static functions), so each test program stays one
 * file.  test_read_file() returns the file's bytes, NUL-terminated, in a
 * malloc'ed buffer (free() it), or NULL when it cannot be read.
 * test_remove_dir() removes a folder and everything in it, printing a
 * warning (not a failure) when it cannot.
 */
#ifndef VMM_TESTS_TEST_FILES_H
#define VMM_TESTS_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>

static inline char *test_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

static inline void test_remove_dir(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("warning: could not remove %s\n", dir);
}

#endif
