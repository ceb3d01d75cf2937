/*
 * int_sv39.S - the integer benchmark (int_body.inc) under Sv39 translation
 * (satp.MODE = 8), the kernel running in S-mode.  Address space: bench_mmu.inc.
 */
#define BENCH_SV39 1
#include "harness.h"
#include "bench_mmu.inc"
#include "int_body.inc"
