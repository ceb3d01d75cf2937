/*
 * options.h - parsing of command-line values: unsigned integers within a
 * range, byte sizes with binary suffixes (512K, 64M, 1G), TLB geometries
 * (ENTRIES:WAYS), NAME=VALUE pairs and comma-separated lists.
 *
 * Contract: each parser accepts the whole string or nothing: it returns 0
 * and stores the value, or -1 leaving the output untouched.  No parser
 * prints; callers build the one-line message naming the option.  Numbers
 * are decimal, or hexadecimal with 0x; signs, spaces and empty strings are
 * rejected, and so is any value that overflows 64 bits.
 */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include <stdint.h>

/* An integer in [min, max]. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* A size in bytes: a number with an optional suffix K, M, G or T (powers of
 * 1024, case-insensitive, optionally followed by "B" or "iB"). */
int parse_size(const char *s, uint64_t *out);
/* "ENTRIES:WAYS" where entries is a multiple of ways, entries / ways (the
 * number of sets) is a power of two, and entries <= max_entries
 * (tlb_model.h geometry rules). */
int parse_geometry(const char *s, unsigned max_entries, unsigned *entries, unsigned *ways);
/* Splits "NAME=VALUE" into name (copied into a buffer of namelen bytes) and
 * a non-negative integer value. */
int parse_name_value(const char *s, char *name, unsigned namelen, uint64_t *value);

/* Splits a comma-separated list in place, appending each non-empty item
 * to list[*n..]; -1 (the list keeps the items that fit) when more than
 * max items would be held. */
int parse_list(char *s, const char **list, unsigned *n, unsigned max);

#endif
