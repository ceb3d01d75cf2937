/*
 * rng.c - SplitMix64, ranges, TPC-C's NURand and name syllables (rng.h).
 */
#include "rng.h"

#include <string.h>

void jrng_seed(jrng *r, uint64_t seed)
{
	r->state = seed * 0x9e3779b97f4a7c15ull + 0x7f4a7c159e3779b9ull;
	r->nurand_c = 0;
	r->nurand_c = (uint32_t)(jrng_next(r) % 256);
}

uint64_t jrng_next(jrng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t jrng_range(jrng *r, uint32_t lo, uint32_t hi)
{
	uint64_t span = (uint64_t)hi - lo + 1;
	return lo + (uint32_t)(jrng_next(r) % span);
}

uint32_t jrng_nurand(jrng *r, uint32_t a, uint32_t lo, uint32_t hi)
{
	uint32_t x = jrng_range(r, 0, a) | jrng_range(r, lo, hi);
	return (x + r->nurand_c) % (hi - lo + 1) + lo;
}

uint32_t jrng_nurand_a(uint32_t n)
{
	uint32_t a = 1;
	while (a * 2 + 1 <= n / 3)
		a = a * 2 + 1;
	return a;
}

/* Eight characters per draw: each byte's low five bits added to 'A'
 * gives 'A'..'Z' and [\\]^_` (SIMD within a register). */
void jrng_string(jrng *r, char *out, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = (jrng_next(r) & 0x1f1f1f1f1f1f1f1full) + 0x4141414141414141ull;
		for (size_t k = 0; k < 8 && i + k < n; k++, w >>= 8)
			out[i + k] = (char)w;
	}
}

/* TPC-C clause 4.3.2.3: the syllables of C_LAST. */
void jrng_last_name(uint32_t num, char out[16])
{
	static const char *const syllables[10] = { "BAR", "OUGHT", "ABLE",  "PRI",   "PRES",
						   "ESE", "ANTI",  "CALLY", "ATION", "EING" };
	memset(out, 0, 16);
	size_t len = 0;
	uint32_t digits[3] = { num / 100 % 10, num / 10 % 10, num % 10 };
	for (int i = 0; i < 3; i++) {
		size_t l = strlen(syllables[digits[i]]);
		if (len + l > 15)
			l = 15 - len;
		memcpy(out + len, syllables[digits[i]], l);
		len += l;
	}
}
