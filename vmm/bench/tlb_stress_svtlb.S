/*
 * tlb_stress_svtlb.S - the TLB-miss benchmark (tlb_stress_body.inc) under
 * Svtlb translation (satp.MODE = 14): every miss is a hardware VHPT walk
 * that hits, or with -DSVTLB_FILL_SW an Alt DTLB miss trap to the S-mode
 * handler, which inserts the translation with itc_d.  Address space:
 * bench_mmu.inc.
 */
#define BENCH_SVTLB 1
#include "harness.h"
#include "svtlb_defs.h"
#include "bench_mmu.inc"
#include "tlb_stress_body.inc"
