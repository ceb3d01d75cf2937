/*
 * kcc_util.c - kcc's small infrastructure: fatal errors, allocation,
 * identifier interning, the Name-keyed hash map, growable vectors and
 * byte buffers.  Nothing is freed but the buffers realloc outgrows: the
 * memory goes back when the process exits (a compiler's profile: a few MB
 * of small objects, released at exit).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcc.h"

_Noreturn void kcc_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("kcc: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* Small objects (nodes, types, symbols, names) come from 64 KiB chunks,
 * as GCC allocates its trees from pages of its own (ggc-page.c) rather
 * than one malloc each; larger ones (tables) from calloc. */
#define CHUNK_SIZE 65536
#define BIG_OBJECT 4096
static unsigned char *chunk;
static size_t chunk_used = CHUNK_SIZE;

void *kcc_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n > BIG_OBJECT) {
		void *p = calloc(1, n);
		if (!p)
			kcc_fatal("out of memory (%zu bytes)", n);
		return p;
	}
	if (chunk_used + n > CHUNK_SIZE) {
		chunk = calloc(1, CHUNK_SIZE);
		if (!chunk)
			kcc_fatal("out of memory (a %d-byte chunk)", CHUNK_SIZE);
		chunk_used = 0;
	}
	void *p = chunk + chunk_used;
	chunk_used += n;
	return p;
}

char *kcc_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kcc_alloc(n);
	memcpy(p, s, n);
	return p;
}

/* ---- interning: a chained hash table of FNV-1a hashed names ---- */
#define INTERN_BUCKETS 4096
static Name *intern_table[INTERN_BUCKETS];

static uint32_t fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

Name *intern(const char *s, size_t len)
{
	uint32_t h = fnv1a(s, len);
	Name **slot = &intern_table[h % INTERN_BUCKETS];
	for (Name *n = *slot; n; n = n->next)
		if (n->hash == h && n->len == len && memcmp(n->s, s, len) == 0)
			return n;
	Name *n = kcc_alloc(sizeof(Name) + len + 1);
	n->hash = h;
	n->len = (uint32_t)len;
	memcpy(n->s, s, len);
	n->next = *slot;
	*slot = n;
	return n;
}

/* ---- Map: open addressing, linear probing, keys are interned ---- */
void map_init(Map *m, uint32_t cap)
{
	uint32_t c = 8;
	while (c < cap)
		c *= 2;
	m->cap = c;
	m->count = 0;
	m->keys = kcc_alloc(c * sizeof(Name *));
	m->vals = kcc_alloc(c * sizeof(void *));
}

void *map_get(const Map *m, const Name *k)
{
	if (m->cap == 0)
		return NULL;
	for (uint32_t i = k->hash & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == k)
			return m->vals[i];
		if (!m->keys[i])
			return NULL;
	}
}

static void map_grow(Map *m)
{
	Map bigger;
	map_init(&bigger, m->cap * 2);
	for (uint32_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			map_put(&bigger, m->keys[i], m->vals[i]);
	/* the old arrays stay allocated: kcc never frees */
	*m = bigger;
}

void map_put(Map *m, Name *k, void *v)
{
	if (m->cap == 0)
		map_init(m, 8);
	if ((m->count + 1) * 4 > m->cap * 3)
		map_grow(m);
	uint32_t i = k->hash & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->count++;
	m->keys[i] = k;
	m->vals[i] = v;
}

/* ---- vectors and buffers ---- */
void vec_push(Vec *vec, void *p)
{
	if (vec->n == vec->cap) {
		int cap = vec->cap ? vec->cap * 2 : 4;
		void **v = kcc_alloc((size_t)cap * sizeof(void *));
		if (vec->n)
			memcpy(v, vec->v, (size_t)vec->n * sizeof(void *));
		vec->v = v;
		vec->cap = cap;
	}
	vec->v[vec->n++] = p;
}

void tok_push(TokVec *v, const Token *t)
{
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 256;
		Token *nt = realloc(v->t, (size_t)cap * sizeof(Token));
		if (!nt)
			kcc_fatal("out of memory (%d tokens)", cap);
		v->t = nt;
		v->cap = cap;
	}
	v->t[v->n++] = *t;
}

void buf_put(Buf *b, const void *p, size_t n)
{
	if (n == 0)
		return; /* p may be an empty Buf's NULL, which memcpy must not get */
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n)
			cap *= 2;
		unsigned char *nb = realloc(b->b, cap);
		if (!nb)
			kcc_fatal("out of memory (%zu bytes)", cap);
		b->b = nb;
		b->cap = cap;
	}
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

void buf_u8(Buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;
	buf_put(b, &c, 1);
}

void buf_u32(Buf *b, uint32_t v)
{
	buf_put(b, &v, 4); /* little-endian host and guest */
}

void buf_u64(Buf *b, uint64_t v)
{
	buf_put(b, &v, 8);
}

uint64_t hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xbf58476d1ce4e5b9ull;
}
