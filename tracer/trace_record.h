/*
 * trace_record.h - the fixed-size binary trace record and the tracepoint
 * type and category enums (from tracepoints.def).
 *
 * Contract: a record is 48 bytes, naturally aligned, little-endian, with no
 * pointers, so a ring can be shared between processes and a record stored
 * as is.  `type` is the tracepoint's position in tracepoints.def (stable:
 * stored in databases).
 */
#ifndef TRACER_TRACE_RECORD_H
#define TRACER_TRACE_RECORD_H

#include <stddef.h>
#include <stdint.h>

enum tp_category {
#define CAT(name, bit, desc) TPC_##name = (bit),
#include "tracepoints.def"
	TPC_COUNT
};

enum tp_type {
#define TP(id, cat, desc, reason, addr0, addr1, aux) TP_##id,
#include "tracepoints.def"
	TP_COUNT
};

struct trace_record {
	uint64_t cycles; /* modeled cycles of the vCPU at the event */
	uint16_t type;   /* enum tp_type */
	uint8_t vcpu;
	uint8_t level; /* virtualization level: 0 host/L0, 1 guest, 2 nested guest */
	uint32_t reason;
	uint64_t addr0, addr1;
	uint64_t aux;
	uint64_t seq; /* per-vCPU sequence number: gaps are lost records */
};

_Static_assert(sizeof(struct trace_record) == 48, "trace_record is 48 bytes");

/* Names and metadata (tracepoints.c). */
const char *tp_name(unsigned type);
unsigned tp_category_of(unsigned type);
const char *tp_category_name(unsigned cat);
/* "exits, faults, ...": every category's name, for help texts and errors
 * (truncated to len). */
void tp_category_list(char *buf, size_t len);

#endif
