/*
 * tools_test.h - helpers shared by the vtfs tools' unit tests: checks that
 * count passes and failures (the program ends with "N passed, N failed"),
 * scratch directories, host files, and running fsck into a string.
 */
#ifndef VTLAB_TOOLS_TEST_H
#define VTLAB_TOOLS_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern int tt_passed, tt_failed;
#define CHECK(cond) tt_check((cond), #cond, __FILE__, __LINE__)
void tt_check(bool ok, const char *what, const char *file, int line);
int tt_summary(void); /* prints the closing line; the exit status */

/* A fresh scratch directory (removed at exit); returns its path. */
const char *tt_scratch(void);
/* Joins the scratch directory and rel into a static-lifetime path. */
const char *tt_path(const char *rel);
void tt_mkdir(const char *rel);
/* Writes n deterministic pseudo-random bytes (seeded by seed) to rel. */
void tt_write_file(const char *rel, size_t n, uint32_t seed);
void tt_fill(uint8_t *buf, size_t n, uint32_t seed);

/* Runs vtfs_fsck on image; returns its result and its output in *text
 * (malloc'd, caller frees). */
int tt_fsck(const char *image, char **text);

#endif
