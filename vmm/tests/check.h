/*
 * check.h - the check macro of the host unit tests (the tests/test_*.c
 * programs of every folder).
 *
 * Contract: CHECK(cond, fmt, ...) counts a pass or a failure; a failure
 * prints "FAIL file:line: cond: message" on stderr.  The test's main()
 * prints the closing line "%u passed, %u failed" from `passed` and
 * `failed` and exits non-zero when failed > 0 (scripts/run-tests.sh reads
 * that line).  Include it once, in the test's only translation unit.
 */
#ifndef VMM_TESTS_CHECK_H
#define VMM_TESTS_CHECK_H

#include <stdio.h>

static unsigned passed, failed;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (cond) {                                                                        \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

#endif
