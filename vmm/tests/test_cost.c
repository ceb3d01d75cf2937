/*
 * test_cost.c - unit test of the cost table (vmm/cost.c).
 *
 * Checks that defaults, names and sources come from cost.def, that
 * cost_set/cost_get agree by name and index, and that cost_load_file
 * accepts comments, blank lines and spacing, rejects unknown names and
 * malformed values with "file:line" messages, and leaves the table
 * unchanged when a file is rejected; plus the fuzzer's findings (leading
 * zeros are decimal, NUL bytes are rejected).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cost.h"

static char path[64];

/* Writes n bytes of text (NULs included) to a fresh temporary file named
 * by path. */
static void write_bytes(const char *text, size_t n)
{
	strcpy(path, "/tmp/test_cost_XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n)
		perror("test_cost: temporary file");
	close(fd);
}

static void write_file(const char *text)
{
	write_bytes(text, strlen(text));
}

static size_t index_of(const char *name)
{
	for (size_t i = 0; i < cost_count(); i++)
		if (strcmp(cost_name(i), name) == 0)
			return i;
	return (size_t)-1;
}

static void test_table(void)
{
	struct cost_table c;
	memset(&c, 0xff, sizeof c);
	cost_defaults(&c);
	size_t n = 0;
#define X(field, def, unit, source)                                                                \
	n++;                                                                                       \
	CHECK(c.field == (uint64_t)(def), "%s default", #field);                                   \
	CHECK(index_of(#field) != (size_t)-1, "%s not named", #field);                             \
	CHECK(cost_get(&c, index_of(#field)) == (uint64_t)(def), "%s get", #field);                \
	CHECK(strcmp(cost_source(index_of(#field)), source) == 0, "%s source", #field);
#include "cost.def"
#undef X
	CHECK(cost_count() == n, "count %zu, cost.def has %zu", cost_count(), n);
	CHECK(sizeof c == n * sizeof(uint64_t), "table has fields not in the list");
	CHECK(cost_name(n) == NULL && cost_source(n) == NULL, "out-of-range name");

	CHECK(cost_set(&c, "mmio", 1234) == 0 && c.mmio == 1234, "cost_set mmio");
	CHECK(cost_get(&c, index_of("mmio")) == 1234, "cost_get after set");
	struct cost_table before = c;
	CHECK(cost_set(&c, "nosuch", 1) == -1, "unknown name accepted");
	CHECK(memcmp(&before, &c, sizeof c) == 0, "unknown name changed the table");
}

static void test_file_ok(void)
{
	struct cost_table c;
	char err[1024] = "";
	cost_defaults(&c);
	write_file("# costs for a slow I/O bus\n"
		   "\n"
		   "mmio = 400\n"
		   "   div=40   # trailing comment\n"
		   "\tpt_ref\t=\t0x20\n"
		   "mmio = 450\n"
		   "   \n");
	int r = cost_load_file(&c, path, err, sizeof err);
	CHECK(r == 0, "valid file rejected: %s", err);
	CHECK(c.mmio == 450, "later line wins: %llu", (unsigned long long)c.mmio);
	CHECK(c.div == 40, "div %llu", (unsigned long long)c.div);
	CHECK(c.pt_ref == 0x20, "hex value %llu", (unsigned long long)c.pt_ref);
	struct cost_table d;
	cost_defaults(&d);
	CHECK(c.cpi_base == d.cpi_base && c.vhpt_walk == d.vhpt_walk, "untouched costs changed");
	unlink(path);
}

/* Expects text to be rejected with exactly the message want (with PATH
 * standing for the file name), leaving the table as it was. */
static void expect_error(const char *text, const char *want_fmt, const char *what)
{
	struct cost_table c, before;
	char err[1024] = "", want[2048];
	cost_defaults(&c);
	c.mmio = 777;
	before = c;
	write_file(text);
	snprintf(want, sizeof want, want_fmt, path);
	int r = cost_load_file(&c, path, err, sizeof err);
	CHECK(r == -1, "%s: accepted", what);
	CHECK(strcmp(err, want) == 0, "%s: got '%s', want '%s'", what, err, want);
	CHECK(memcmp(&c, &before, sizeof c) == 0, "%s: table changed by a rejected file", what);
	unlink(path);
}

static void test_file_errors(void)
{
	static const char expected[] = "expected 'name = value' with a non-negative integer value";
	char fmt[2048];
	snprintf(fmt, sizeof fmt, "vtlab: %%s:3: %s", expected);
	expect_error("mmio = 1\n\nmmio = -1\n", fmt, "negative");
	snprintf(fmt, sizeof fmt, "vtlab: %%s:1: %s", expected);
	expect_error("mmio 5\n", fmt, "no equals sign");
	expect_error("mmio =\n", fmt, "no value");
	expect_error("= 5\n", fmt, "no name");
	expect_error("mmio = 5x\n", fmt, "trailing junk");
	expect_error("mmio = 1.5\n", fmt, "fraction");
	expect_error("mmio = 99999999999999999999999\n", fmt, "overflow");
	expect_error("mmio = 5 6\n", fmt, "two values");
	expect_error("mmio = + 5\n", fmt, "sign");

	/* The unknown-name message lists every known name, in cost.def order. */
	char known[1024] = "";
	for (size_t i = 0; i < cost_count(); i++) {
		strcat(known, i ? ", " : "");
		strcat(known, cost_name(i));
	}
	snprintf(fmt, sizeof fmt, "vtlab: %%s:7: unknown cost 'foo' (known: %s)", known);
	expect_error("# a\n\n\n\n\nmmio = 3\nfoo = 1\n", fmt, "unknown name");
	CHECK(strncmp(known, "cpi_base, mul, ", 15) == 0, "known list '%s'", known);
	expect_error("ticks_div = 0\n",
		     "vtlab: %s:1: ticks_div must be at least 1 (it is a divisor)", "zero divisor");

	struct cost_table c;
	char err[256];
	cost_defaults(&c);
	int r = cost_load_file(&c, "/nonexistent/costs.txt", err, sizeof err);
	CHECK(r == -1 && strcmp(err, "vtlab: /nonexistent/costs.txt: cannot open: No such file or "
				     "directory") == 0,
	      "message '%s'", err);
}

/* Found by vmm/tests/fuzz/fuzz_costs.c: values were read with strtoull's
 * base 0, so a leading 0 meant octal ("hv_mmio = 05000" loaded 2560), and a
 * NUL byte ended a line's text, so what followed it was never parsed. */
static void test_fuzz_findings(void)
{
	struct cost_table c;
	char err[1024] = "";
	cost_defaults(&c);
	write_file("mmio = 010\nhv_mmio = 05000\ndiv = 0X1f\npt_ref = 0x0\n");
	int r = cost_load_file(&c, path, err, sizeof err);
	CHECK(r == 0 && c.mmio == 10 && c.hv_mmio == 5000 && c.div == 31 && c.pt_ref == 0,
	      "leading zeros are decimal, 0x/0X hex: %d %s mmio %llu hv_mmio %llu div %llu", r, err,
	      (unsigned long long)c.mmio, (unsigned long long)c.hv_mmio, (unsigned long long)c.div);
	unlink(path);

	char fmt[256];
	snprintf(fmt, sizeof fmt, "vtlab: %%s:1: %s",
		 "expected 'name = value' with a non-negative integer value");
	expect_error("mmio = 0x\n", fmt, "0x without digits");
	expect_error("mmio = 0x0x10\n", fmt, "0x twice");
	expect_error("mmio = 0x -1\n", fmt, "0x and a sign");
	expect_error("mmio = 09z\n", fmt, "letters after decimal digits");

	static const char nul[] = "mmio = 5\0junk\ndiv = 4\n";
	struct cost_table before;
	cost_defaults(&c);
	before = c;
	write_bytes(nul, sizeof nul - 1);
	char want[256];
	snprintf(want, sizeof want, "vtlab: %s:1: a NUL byte (a cost file is text)", path);
	r = cost_load_file(&c, path, err, sizeof err);
	CHECK(r == -1 && strcmp(err, want) == 0, "NUL byte: %d '%s'", r, err);
	CHECK(memcmp(&c, &before, sizeof c) == 0, "NUL byte: the table changed");
	unlink(path);
	static const char comment_nul[] = "# a\0b\nmmio = 5\n";
	write_bytes(comment_nul, sizeof comment_nul - 1);
	r = cost_load_file(&c, path, err, sizeof err);
	CHECK(r == -1 && strstr(err, ":1: a NUL byte") != NULL, "NUL in a comment: %d '%s'", r,
	      err);
	unlink(path);
}

int main(void)
{
	test_table();
	test_file_ok();
	test_file_errors();
	test_fuzz_findings();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
