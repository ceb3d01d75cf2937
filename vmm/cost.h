/*
 * cost.h - the cost table of the modeled-time model (see cost.def).
 *
 * Contract: all values are non-negative integers of modeled cycles.  A run
 * stores the table it used.  cost_load_file() reads "name = value" lines
 * ('#' comments), rejecting unknown names with file:line in the message.
 */
#ifndef VMM_COST_H
#define VMM_COST_H

#include <stddef.h>
#include <stdint.h>

struct cost_table {
#define X(field, def, unit, source) uint64_t field;
#include "cost.def"
#undef X
};

void cost_defaults(struct cost_table *c);
/* Returns 0, or -1 with a one-line message naming file and line in err. */
int cost_load_file(struct cost_table *c, const char *path, char *err, size_t errlen);
/* Sets one field by name; returns 0 or -1 if the name is unknown. */
int cost_set(struct cost_table *c, const char *name, uint64_t value);
/* Iteration for summaries and storage. */
size_t cost_count(void);
const char *cost_name(size_t i);
const char *cost_meaning(size_t i);
const char *cost_source(size_t i);
uint64_t cost_get(const struct cost_table *c, size_t i);

#endif
