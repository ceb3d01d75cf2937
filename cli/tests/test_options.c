/*
 * test_options.c - unit test of command-line value parsing (cli/options.c).
 *
 * Checks sizes with and without suffixes, range and overflow limits,
 * rejection of signs, spaces, fractions and junk, TLB geometries under the
 * tlb_model.h rules, and NAME=VALUE pairs; a rejected value must leave the
 * output untouched.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "options.h"

static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int r = parse_size(s, &v);
	CHECK(r == 0 && v == want, "'%s' -> r=%d %llu, want %llu", s, r, (unsigned long long)v,
	      (unsigned long long)want);
}

static void size_bad(const char *s)
{
	uint64_t v = 42;
	int r = parse_size(s, &v);
	CHECK(r == -1 && v == 42, "'%s' accepted (%llu)", s, (unsigned long long)v);
}

static void test_sizes(void)
{
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("512K", 512 * 1024);
	size_ok("010M", 10ull << 20); /* decimal, not octal */
	size_ok("512k", 512 * 1024);
	size_ok("64M", 64ull << 20);
	size_ok("64MB", 64ull << 20);
	size_ok("64MiB", 64ull << 20);
	size_ok("1G", 1ull << 30);
	size_ok("16G", 16ull << 30);
	size_ok("2T", 2ull << 40);
	size_ok("0x1000", 4096);
	size_ok("0x10M", 16ull << 20);
	size_ok("0xff", 255); /* a hex number may start with a letter */
	size_ok("0xAK", 10ull << 10);
	size_ok("16777215T", 16777215ull << 40);
	size_bad("16777216T");            /* 2^64: overflows */
	size_bad("18446744073709551616"); /* 2^64 */
	size_bad("");
	size_bad("M");
	size_bad("-1M");
	size_bad("+1M");
	size_bad(" 1M");
	size_bad("1M ");
	size_bad("1.5G");
	size_bad("1X");
	size_bad("1MM");
	size_bad("1Mb2");
	size_bad("0x");
	size_bad(NULL);
}

static void test_u64(void)
{
	uint64_t v = 7;
	CHECK(parse_u64("1", 1, 8, &v) == 0 && v == 1, "1 in 1..8");
	CHECK(parse_u64("8", 1, 8, &v) == 0 && v == 8, "8 in 1..8");
	v = 7;
	CHECK(parse_u64("9", 1, 8, &v) == -1 && v == 7, "9 in 1..8");
	CHECK(parse_u64("0", 1, 8, &v) == -1 && v == 7, "0 in 1..8");
	CHECK(parse_u64("-1", 0, UINT64_MAX, &v) == -1 && v == 7, "-1");
	CHECK(parse_u64("18446744073709551615", 0, UINT64_MAX, &v) == 0 && v == UINT64_MAX,
	      "UINT64_MAX");
	v = 7;
	CHECK(parse_u64("18446744073709551616", 0, UINT64_MAX, &v) == -1 && v == 7, "2^64");
	CHECK(parse_u64("4x", 0, 100, &v) == -1 && v == 7, "4x");
	CHECK(parse_u64("", 0, 100, &v) == -1 && v == 7, "empty");
	CHECK(parse_u64("0x20", 0, 100, &v) == 0 && v == 32, "hex");
	/* A leading zero is decimal, not octal (strtoull base 0 gave 8). */
	CHECK(parse_u64("010", 0, 100, &v) == 0 && v == 10, "010 is ten");
	v = 7;
	CHECK(parse_u64("0x-1", 0, 100, &v) == -1 && v == 7, "0x-1");
	CHECK(parse_u64("0x 1", 0, 100, &v) == -1 && v == 7, "0x space");
}

static void geometry_ok(const char *s, unsigned we, unsigned ww)
{
	unsigned e = 0, w = 0;
	int r = parse_geometry(s, 65536, &e, &w);
	CHECK(r == 0 && e == we && w == ww, "'%s' -> r=%d %u:%u", s, r, e, w);
}

static void geometry_bad(const char *s)
{
	unsigned e = 3, w = 3;
	int r = parse_geometry(s, 65536, &e, &w);
	CHECK(r == -1 && e == 3 && w == 3, "'%s' accepted (%u:%u)", s, e, w);
}

static void test_geometry(void)
{
	geometry_ok("64:4", 64, 4);
	geometry_ok("1:1", 1, 1);
	geometry_ok("32:32", 32, 32); /* fully associative */
	geometry_ok("48:3", 48, 3);   /* 16 sets */
	geometry_ok("65536:1", 65536, 1);
	geometry_bad("48:4"); /* 12 sets: not a power of two */
	geometry_bad("64:3"); /* not a multiple */
	geometry_bad("4:8");  /* more ways than entries */
	geometry_bad("0:1");
	geometry_bad("64:0");
	geometry_bad("131072:1"); /* above the limit */
	geometry_bad("64");
	geometry_bad("64:");
	geometry_bad(":4");
	geometry_bad("64:4:2");
	geometry_bad("64x4"); /* only ':' separates the two */
	geometry_bad("64 4");
	geometry_bad("-64:4");
	geometry_bad("64:-4");
}

static void test_name_value(void)
{
	char name[16] = "unchanged";
	uint64_t v = 5;
	CHECK(parse_name_value("mmio=400", name, sizeof name, &v) == 0 &&
		      strcmp(name, "mmio") == 0 && v == 400,
	      "mmio=400 -> %s %llu", name, (unsigned long long)v);
	CHECK(parse_name_value("x=0", name, sizeof name, &v) == 0 && strcmp(name, "x") == 0 &&
		      v == 0,
	      "x=0");
	strcpy(name, "unchanged");
	v = 5;
	CHECK(parse_name_value("=4", name, sizeof name, &v) == -1, "=4");
	CHECK(parse_name_value("mmio", name, sizeof name, &v) == -1, "no '='");
	CHECK(parse_name_value("mmio=", name, sizeof name, &v) == -1, "no value");
	CHECK(parse_name_value("mmio=-1", name, sizeof name, &v) == -1, "negative");
	CHECK(parse_name_value("abcdefghijklmnop=1", name, sizeof name, &v) == -1, "name too long");
	CHECK(parse_name_value("abcdefghijklmno=1", name, sizeof name, &v) == 0 &&
		      strcmp(name, "abcdefghijklmno") == 0,
	      "name that just fits");
	strcpy(name, "unchanged");
	v = 5;
	CHECK(parse_name_value("a=1=2", name, sizeof name, &v) == -1, "two '='");
	CHECK(strcmp(name, "unchanged") == 0 && v == 5, "rejected pair changed outputs");
}

/* parse_list: items split at ',' only, empty items dropped, at most max
 * held (the ones that fit are kept). */
static void test_list(void)
{
	char s[] = "exits;x,,faults,";
	const char *list[3] = { NULL, NULL, NULL };
	unsigned n = 0;
	CHECK(parse_list(s, list, &n, 3) == 0 && n == 2 && strcmp(list[0], "exits;x") == 0 &&
		      strcmp(list[1], "faults") == 0,
	      "'exits;x,,faults,' -> %u items", n);
	char t[] = "a";
	CHECK(parse_list(t, list, &n, 3) == 0 && n == 3 && strcmp(list[2], "a") == 0,
	      "appended: %u items", n);
	char u[] = "c";
	CHECK(parse_list(u, list, &n, 3) == -1 && n == 3 && strcmp(list[2], "a") == 0,
	      "a fourth item past max 3 refused: %u items", n);
}

int main(void)
{
	test_sizes();
	test_u64();
	test_geometry();
	test_name_value();
	test_list();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
