/*
 * int_svtlb.S - the integer benchmark (int_body.inc) under Svtlb translation
 * (satp.MODE = 14), the kernel running in S-mode; window pages are filled
 * into the TC by the hardware VHPT walker, or with -DSVTLB_FILL_SW by the
 * S-mode miss handler.  Address space: bench_mmu.inc.
 */
#define BENCH_SVTLB 1
#include "harness.h"
#include "svtlb_defs.h"
#include "bench_mmu.inc"
#include "int_body.inc"
