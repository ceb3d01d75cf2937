/*
 * rng.h - the deterministic random numbers of the jbb workload.
 *
 * Contract: each warehouse owns one generator seeded from its number, so
 * its data and transaction sequence are a function of that number alone,
 * never of timing.  The generator is SplitMix64 (Steele, Lea & Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014); the
 * non-uniform choice of customers and items is TPC-C's NURand (TPC-C
 * standard specification 5.11, clause 2.1.6), whose skew SPECjbb keeps.
 */
#ifndef JBB_RNG_H
#define JBB_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t state;
	uint32_t nurand_c; /* TPC-C's run-time constant C, drawn once */
} jrng;

void jrng_seed(jrng *r, uint64_t seed);
uint64_t jrng_next(jrng *r);
/* Uniform in [lo, hi] (lo <= hi). */
uint32_t jrng_range(jrng *r, uint32_t lo, uint32_t hi);
/* TPC-C NURand(A, lo, hi): ((range(0,A) | range(lo,hi)) + C) % (hi-lo+1) + lo. */
uint32_t jrng_nurand(jrng *r, uint32_t a, uint32_t lo, uint32_t hi);
/* The NURand constant A for a population of n: 2^k - 1 near n / 3, the
 * ratio of TPC-C's 1023 for 3000 customers. */
uint32_t jrng_nurand_a(uint32_t n);
/* n random characters from 'A' to '`', no terminator. */
void jrng_string(jrng *r, char *out, size_t n);
/* TPC-C's customer last name of number num (0..999): three syllables. */
void jrng_last_name(uint32_t num, char out[16]);

#endif
