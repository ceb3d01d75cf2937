/*
 * options.h - the jbb command line.
 *
 * Contract: `jbb [--small] [--warehouses W] [--txns N] [--heap MB]
 * [--items N] [--customers N] [--verify]`.  --small picks the test preset
 * (a few tens of millions of instructions); the default preset runs about
 * 2 billion.  --heap is the heap of all warehouses together (a JVM's
 * -Xmx); without it each warehouse gets the preset's heap_kb_default.  The default warehouse count is fixed (JBB_DEFAULT_WAREHOUSES),
 * not the vCPU count, so that the output digest is the same on 1 to 8
 * vCPUs: the warehouses' threads spread over whatever vCPUs there are.
 * Returns 0, or prints one line naming the bad option and returns -1.
 */
#ifndef JBB_OPTIONS_H
#define JBB_OPTIONS_H

#include "schema.h"

#define JBB_DEFAULT_WAREHOUSES 8
#define JBB_MAX_WAREHOUSES 64

int jbb_parse_options(int argc, char **argv, jbb_config *cfg);

#endif
