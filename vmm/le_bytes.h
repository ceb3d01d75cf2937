/*
 * le_bytes.h - little-endian words in byte buffers: guest memory (RISC-V is
 * little-endian), the VMM's machine VHPT, ELF files.
 *
 * Contract: le16_load, le32_load and le64_load read, le32_store and
 * le64_store write, 2, 4 or 8 bytes at any alignment, with the same result
 * on any host: one move on a little-endian host, byte by byte elsewhere.
 */
#ifndef VMM_LE_BYTES_H
#define VMM_LE_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint16_t le16_load(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__

static inline uint32_t le32_load(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t le64_load(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline void le32_store(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static inline void le64_store(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

#else /* any other host: byte by byte */

static inline uint32_t le32_load(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64_load(const uint8_t *p)
{
	return le32_load(p) | (uint64_t)le32_load(p + 4) << 32;
}

static inline void le32_store(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void le64_store(uint8_t *p, uint64_t v)
{
	le32_store(p, (uint32_t)v);
	le32_store(p + 4, (uint32_t)(v >> 32));
}

#endif

#endif
