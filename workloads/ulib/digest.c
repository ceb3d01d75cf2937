/*
 * digest.c - the output digest: a fast deterministic 64-bit checksum.
 *
 * Eight little-endian bytes at a time: h = rotl(h ^ w, 29) * K, with K the
 * 64-bit golden-ratio constant; the final value mixes in the leftover
 * bytes and the length and goes through the SplitMix64 finaliser (Steele,
 * Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA
 * 2014) so every input bit reaches every output bit.  Bytes are buffered
 * until a word is complete, so the digest does not depend on how the data
 * is split between updates.  Not cryptographic.
 */
#include <string.h>

#include "vtlab.h"

#define K 0x9e3779b97f4a7c15ull

static uint64_t mix_word(uint64_t h, uint64_t w)
{
	h ^= w;
	h = (h << 29) | (h >> 35);
	return h * K;
}

void vt_digest_init(vt_digest_t *d)
{
	d->h = 0x243f6a8885a308d3ull; /* pi's fraction: any fixed non-zero seed */
	d->pending = 0;
	d->npending = 0;
	d->length = 0;
}

void vt_digest_update(vt_digest_t *d, const void *data, size_t n)
{
	const unsigned char *p = data;
	d->length += n;
	while (n > 0 && d->npending != 0) {
		d->pending |= (uint64_t)*p++ << (8 * d->npending);
		n--;
		if (++d->npending == 8) {
			d->h = mix_word(d->h, d->pending);
			d->pending = 0;
			d->npending = 0;
		}
	}
	uint64_t h = d->h;
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8); /* RV64 is little-endian */
		h = mix_word(h, w);
	}
	d->h = h;
	for (; n > 0; n--)
		d->pending |= (uint64_t)*p++ << (8 * d->npending++);
}

uint64_t vt_digest_final(const vt_digest_t *d)
{
	uint64_t h = d->h;
	if (d->npending)
		h = mix_word(h, d->pending);
	h = mix_word(h, d->length);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return h;
}

uint64_t vt_digest(const void *data, size_t n)
{
	vt_digest_t d;
	vt_digest_init(&d);
	vt_digest_update(&d, data, n);
	return vt_digest_final(&d);
}
