/*
 * heap.h - a Java-like object heap for one warehouse of the jbb workload.
 *
 * Contract: a heap is one contiguous arena owned by one thread.  Objects
 * are bump-allocated, zero-filled, and start with a 16-byte header (size,
 * number of reference slots, type, mark bit, forwarding offset: the roles
 * of a JVM's mark word and class pointer).  The reference slots come right
 * after the header, then the object's plain data; the collector finds every
 * pointer from the header alone, as a JVM does from the object's class.
 *
 * jheap_collect() is a full mark-compact collection (the "Lisp 2"
 * algorithm: mark from the roots, compute forwarding addresses by a sweep
 * over the whole arena, update every reference, slide the live objects
 * down; Jones, Hosking & Moss, "The Garbage Collection Handbook", 2011,
 * section 3.2), so it reads and writes the whole used heap as a JVM's
 * full collection does.  It moves objects: every C pointer to a heap
 * object is stale afterwards except the registered roots, so callers only
 * collect between transactions, holding no other heap pointers.
 *
 * Nothing here depends on the arena's address: object placement and
 * collection are a function of the allocation sequence alone.
 */
#ifndef JBB_HEAP_H
#define JBB_HEAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct jobj {
	uint32_t size;    /* bytes, header included, a multiple of 8 */
	uint32_t nrefs;   /* reference slots right after the header */
	uint16_t type;    /* the object's kind (schema.h), for checks */
	uint16_t mark;    /* set by the mark phase */
	uint32_t forward; /* compaction: arena offset of the new place */
} jobj;

#define JHEAP_MAX_ROOTS 8

typedef struct {
	uint64_t collections;
	uint64_t bytes_allocated;
	uint64_t bytes_reclaimed;
	uint64_t objects_allocated;
	uint64_t live_bytes; /* after the last collection */
	uint64_t live_objects;
} jheap_stats;

typedef struct {
	char *base;
	size_t capacity;
	size_t top; /* bytes in use: [base, base + top) is a run of objects */
	jobj **roots[JHEAP_MAX_ROOTS];
	unsigned nroots;
	jobj **mark_stack; /* grows with malloc; its contents never matter */
	size_t mark_cap;
	jheap_stats stats;
} jheap;

/* Sets up a heap over [base, base + capacity) (8-byte aligned). */
void jheap_init(jheap *h, void *base, size_t capacity);
/* Registers a root slot: its object and everything reachable from it
 * survive collections, and the slot is updated when the object moves. */
void jheap_add_root(jheap *h, jobj **slot);
/* A zeroed object with nrefs NULL references and data_bytes of data;
 * NULL when the arena is full (the caller decides to collect or fail). */
jobj *jheap_alloc(jheap *h, uint16_t type, uint32_t nrefs, uint32_t data_bytes);
size_t jheap_free_bytes(const jheap *h);
/* Full mark-compact collection. */
void jheap_collect(jheap *h);
/* Checks the heap's structure (object sizes tile the used part, every
 * reference points at an object start, no mark left set); NULL when
 * sound, else a static message naming what is wrong. */
const char *jheap_verify(const jheap *h);

/* Word loops for clearing and moving objects: picolibc's memset and
 * memmove for rv64 go a byte at a time, four instructions per byte, which
 * would make the collector's traffic mostly loop overhead.  GCC would turn
 * these loops back into library calls; the attribute keeps them loops. */
#if defined(__GNUC__) && !defined(__clang__)
#define JHEAP_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define JHEAP_NO_LIBCALL
#endif

/* Sets n 8-byte words at p to v. */
void jwords_fill(uint64_t *p, size_t n, uint64_t v);
/* Copies n words from src to dst <= src (the regions may overlap). */
void jwords_move_down(uint64_t *dst, const uint64_t *src, size_t n);

static inline jobj **jobj_refs(jobj *o)
{
	return (jobj **)(o + 1);
}

static inline void *jobj_data(jobj *o)
{
	return (char *)(o + 1) + (size_t)o->nrefs * sizeof(jobj *);
}

#endif
