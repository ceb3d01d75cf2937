/*
 * tlb_stress_sv39.S - the TLB-miss benchmark (tlb_stress_body.inc) under Sv39
 * translation (satp.MODE = 8): every miss is a hardware page walk.
 * Address space: bench_mmu.inc.
 */
#define BENCH_SV39 1
#include "harness.h"
#include "bench_mmu.inc"
#include "tlb_stress_body.inc"
