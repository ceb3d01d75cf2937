/*
 * heap.c - bump allocation and the mark-compact collector of heap.h.
 *
 * The four phases of the Lisp 2 collector (Jones, Hosking & Moss, "The
 * Garbage Collection Handbook", 2011, section 3.2): mark from the roots
 * with an explicit stack; sweep the arena computing each live object's new
 * offset (live objects keep their order, so the heap stays a function of
 * the allocation sequence); update every reference slot of the live
 * objects and the roots; slide the live objects down.
 */
#include "heap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR ((uint32_t)sizeof(jobj))

void jheap_init(jheap *h, void *base, size_t capacity)
{
	memset(h, 0, sizeof *h);
	h->base = base;
	h->capacity = capacity & ~(size_t)7;
}

void jheap_add_root(jheap *h, jobj **slot)
{
	if (h->nroots == JHEAP_MAX_ROOTS) {
		fprintf(stderr, "jbb: heap.c: more than %d roots\n", JHEAP_MAX_ROOTS);
		exit(1);
	}
	h->roots[h->nroots++] = slot;
}

size_t jheap_free_bytes(const jheap *h)
{
	return h->capacity - h->top;
}

JHEAP_NO_LIBCALL void jwords_fill(uint64_t *p, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++)
		p[i] = v;
}

JHEAP_NO_LIBCALL void jwords_move_down(uint64_t *dst, const uint64_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

jobj *jheap_alloc(jheap *h, uint16_t type, uint32_t nrefs, uint32_t data_bytes)
{
	uint64_t size = (uint64_t)HDR + (uint64_t)nrefs * sizeof(jobj *) + data_bytes;
	size = (size + 7) & ~(uint64_t)7;
	if (size > jheap_free_bytes(h))
		return NULL;
	jobj *o = (jobj *)(h->base + h->top);
	jwords_fill((uint64_t *)o, size / 8, 0);
	o->size = (uint32_t)size;
	o->nrefs = nrefs;
	o->type = type;
	h->top += size;
	h->stats.bytes_allocated += size;
	h->stats.objects_allocated++;
	return o;
}

static jobj *at(const jheap *h, size_t off)
{
	return (jobj *)(h->base + off);
}

/* ---- mark ---- */

static void push(jheap *h, size_t *n, jobj *o)
{
	if (*n == h->mark_cap) {
		size_t cap = h->mark_cap ? 2 * h->mark_cap : 4096;
		jobj **s = realloc(h->mark_stack, cap * sizeof *s);
		if (!s) {
			fprintf(stderr, "jbb: heap.c: mark stack: out of memory (%zu entries)\n",
				cap);
			exit(1);
		}
		h->mark_stack = s;
		h->mark_cap = cap;
	}
	h->mark_stack[(*n)++] = o;
}

static void mark_and_push(jheap *h, size_t *n, jobj *o)
{
	if (o && !o->mark) {
		o->mark = 1;
		push(h, n, o);
	}
}

static void mark(jheap *h)
{
	size_t n = 0;
	for (unsigned r = 0; r < h->nroots; r++)
		mark_and_push(h, &n, *h->roots[r]);
	while (n > 0) {
		jobj *o = h->mark_stack[--n];
		jobj **refs = jobj_refs(o);
		for (uint32_t i = 0; i < o->nrefs; i++)
			mark_and_push(h, &n, refs[i]);
	}
}

/* ---- compute forwarding offsets; returns the new top ---- */

static size_t compute_forwarding(jheap *h)
{
	size_t free_off = 0;
	uint64_t live = 0;
	for (size_t off = 0; off < h->top; off += at(h, off)->size) {
		jobj *o = at(h, off);
		if (!o->mark)
			continue;
		o->forward = (uint32_t)free_off;
		free_off += o->size;
		live++;
	}
	h->stats.live_objects = live;
	return free_off;
}

/* ---- update references ---- */

static jobj *forwarded(const jheap *h, jobj *o)
{
	return o ? at(h, o->forward) : NULL;
}

static void update_references(jheap *h)
{
	for (size_t off = 0; off < h->top; off += at(h, off)->size) {
		jobj *o = at(h, off);
		if (!o->mark)
			continue;
		jobj **refs = jobj_refs(o);
		for (uint32_t i = 0; i < o->nrefs; i++)
			refs[i] = forwarded(h, refs[i]);
	}
	for (unsigned r = 0; r < h->nroots; r++)
		*h->roots[r] = forwarded(h, *h->roots[r]);
}

/* ---- slide the live objects down (to lower or equal offsets, so an
 * object not yet moved is never overwritten) ---- */

static void relocate(jheap *h)
{
	size_t off = 0;
	while (off < h->top) {
		jobj *o = at(h, off);
		uint32_t size = o->size;
		if (o->mark) {
			jobj *to = at(h, o->forward);
			if (to != o)
				jwords_move_down((uint64_t *)to, (const uint64_t *)o, size / 8);
			to->mark = 0;
		}
		off += size;
	}
}

void jheap_collect(jheap *h)
{
	mark(h);
	size_t new_top = compute_forwarding(h);
	update_references(h);
	relocate(h);
	h->stats.collections++;
	h->stats.bytes_reclaimed += h->top - new_top;
	h->stats.live_bytes = new_top;
	h->top = new_top;
}

/* ---- verification ---- */

/* Bitmap of object starts, one bit per 8 bytes of the used heap. */
static uint8_t *object_starts(const jheap *h)
{
	uint8_t *bits = calloc(h->top / 64 + 1, 1);
	if (!bits)
		return NULL;
	for (size_t off = 0; off < h->top; off += at(h, off)->size)
		bits[off / 64] |= (uint8_t)(1u << (off / 8 % 8));
	return bits;
}

static int is_object_start(const jheap *h, const uint8_t *bits, const jobj *o)
{
	if ((const char *)o < h->base || (const char *)o >= h->base + h->top)
		return 0;
	size_t off = (size_t)((const char *)o - h->base);
	return off % 8 == 0 && (bits[off / 64] >> (off / 8 % 8) & 1);
}

static const char *verify_tiling(const jheap *h)
{
	size_t off = 0;
	while (off < h->top) {
		const jobj *o = at(h, off);
		if (o->size < HDR || o->size % 8 || o->size > h->top - off)
			return "an object size does not tile the heap";
		if ((uint64_t)HDR + (uint64_t)o->nrefs * sizeof(jobj *) > o->size)
			return "an object has more references than its size holds";
		if (o->mark)
			return "a mark bit is left set";
		off += o->size;
	}
	return NULL;
}

static const char *verify_references(const jheap *h, const uint8_t *bits)
{
	for (size_t off = 0; off < h->top; off += at(h, off)->size) {
		jobj *o = at(h, off);
		jobj **refs = jobj_refs(o);
		for (uint32_t i = 0; i < o->nrefs; i++)
			if (refs[i] && !is_object_start(h, bits, refs[i]))
				return "a reference does not point at an object";
	}
	for (unsigned r = 0; r < h->nroots; r++)
		if (*h->roots[r] && !is_object_start(h, bits, *h->roots[r]))
			return "a root does not point at an object";
	return NULL;
}

const char *jheap_verify(const jheap *h)
{
	const char *err = verify_tiling(h);
	if (err)
		return err;
	uint8_t *bits = object_starts(h);
	if (!bits)
		return "out of memory for the verifier's bitmap";
	err = verify_references(h, bits);
	free(bits);
	return err;
}
