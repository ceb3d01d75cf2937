/*
 * bench_mmu.h - address-space setup shared by vtlab's guest benchmarks
 * (vmm/bench/*.S).  Include after harness.h (and svtlb_defs.h for Svtlb).
 *
 * Contract: every benchmark reaches its data through a "window" of
 * WIN_PAGES_MAX 4 KiB virtual pages at WIN_VA, mapped page by page (page i
 * -> WIN_PA + i * 4 KiB), so that the translation hardware sees one
 * translation per 4 KiB page; code, tohost and the benchmark's small
 * variables stay on one large identity mapping of RAM.  BENCH_MMU_ON (M-mode)
 * builds the mapping of the mode selected at build time and turns
 * translation on; the benchmark then enters S-mode, which is translated.
 *
 *   -DBENCH_SV39   (privileged spec 20211203, 4.4): root[2] is a 1 GiB
 *                  identity gigapage of RAM (RWX); root[1] -> l1 -> eight
 *                  level-0 tables map the window at VA 0x40000000.
 *   -DBENCH_SVTLB  (docs/platform.md 4): region 0 is pinned by one I and one
 *                  D translation register, 256 MiB identity from 0x80000000;
 *                  the window is region 1 (RID 2, 4 KiB preferred size).
 *                  With -DSVTLB_FILL_SW the region's VHPT walker is off and
 *                  the S-mode handler bench_svtlb_miss fills the TC on each
 *                  Alt DTLB miss from a linear OS page table (os_ptes);
 *                  otherwise the walker is on and finds every window page in
 *                  a collision-free 128 KiB VHPT at VHPT_PA.
 *
 * Physical layout: the image at 0x80000000 (its .bss holds the Sv39 tables
 * and os_ptes), the window at WIN_PA (16 MiB), the VHPT at VHPT_PA; all
 * within 0x80000000 + 64 MiB, so a guest with 256 MiB RAM (vtlab's and the
 * bench script's QEMU default) holds them.
 *
 * Registers: BENCH_MMU_ON clobbers t0-t5, a0-a5.  The Svtlb miss handler
 * uses only tp and gp, which the benchmark kernels leave to it (as banked
 * registers would be on Itanium).
 */
#ifndef VTLAB_BENCH_MMU_H
#define VTLAB_BENCH_MMU_H

#define WIN_PAGES_MAX 4096
#define WIN_PA        0x82000000
#define VHPT_PA       0x83000000
#define VHPT_LOG2     17          /* 4096 entries of 32 bytes */

#if defined(BENCH_SV39)
#define WIN_VA 0x40000000
#elif defined(BENCH_SVTLB)
#define WIN_VA REGION(1)
#define RID_WIN 2
#else
#error "build with -DBENCH_SV39 or -DBENCH_SVTLB"
#endif

#if defined(BENCH_SV39)
/* ---- Sv39 ---- */
#define BENCH_MMU_ON \
	/* root[2]: 1 GiB identity gigapage at 0x80000000 */ \
	la a0, bench_root; \
	li t0, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D; \
	sd t0, 2 * 8(a0); \
	/* root[1] -> l1 */ \
	la t1, bench_l1; srli t0, t1, 12; slli t0, t0, 10; ori t0, t0, PTE_V; \
	sd t0, 1 * 8(a0); \
	/* l1[j] -> l0 table j, j = 0..7 */ \
	la t2, bench_l0; li t3, 0; \
8101:	slli t4, t3, 12; add t4, t4, t2; srli t4, t4, 12; slli t4, t4, 10; \
	ori t4, t4, PTE_V; slli t5, t3, 3; add t5, t5, t1; sd t4, 0(t5); \
	addi t3, t3, 1; li t5, WIN_PAGES_MAX / 512; bltu t3, t5, 8101b; \
	/* l0 entry i (tables are contiguous) -> WIN_PA + i * 4 KiB */ \
	li t3, 0; li a1, WIN_PA >> 12; li a2, WIN_PAGES_MAX; \
8102:	add t4, a1, t3; slli t4, t4, 10; \
	ori t4, t4, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D; \
	slli t5, t3, 3; add t5, t5, t2; sd t4, 0(t5); \
	addi t3, t3, 1; bltu t3, a2, 8102b; \
	/* satp: Sv39, ASID 0, root */ \
	srli t0, a0, 12; li t1, SATP_SV39; or t0, t0, t1; \
	csrw satp, t0; sfence.vma

#define BENCH_MMU_DATA \
	.section .bss; .balign 4096; \
bench_root: .skip 4096; \
bench_l1: .skip 4096; \
bench_l0: .skip WIN_PAGES_MAX * 8

/* Flush every translation (privileged spec 4.2.1). */
#define BENCH_FLUSH_ALL sfence.vma

#else
/* ---- Svtlb ---- */
#ifdef SVTLB_FILL_SW
#define WIN_VE 0
#define PTA_VAL (VHPT_PA | (VHPT_LOG2 << 2))
#else
#define WIN_VE 1
#define PTA_VAL (VHPT_PA | (VHPT_LOG2 << 2) | PTA_VE)
#endif

#define BENCH_MMU_ON \
	/* region 0: identity TRs over 256 MiB of RAM (I and D) */ \
	li t0, RR(1, 12, 0); csrw CSR_RR0, t0; \
	li t0, 0x80000000 | SV_ALL; \
	ITR_REG(I, 0, 0x80000000, t0, 28); \
	ITR_REG(D, 0, 0x80000000, t0, 28); \
	/* region 1: the window */ \
	li t0, RR(RID_WIN, 12, WIN_VE); csrw CSR_RR1, t0; \
	li t0, PTA_VAL; csrw CSR_PTA, t0; \
	/* OS page table and VHPT entry for every window page */ \
	la a0, os_ptes; li a1, WIN_VA; li a2, WIN_PA | SV_RWAD; \
	li a3, WIN_PAGES_MAX; li a4, 4096; li a5, ITIR(12); \
8103:	sd a2, 0(a0); \
	csrw CSR_THASH, a1; csrr t1, CSR_THASH; csrr t2, CSR_TTAG; \
	sd a2, 0(t1); sd a5, 8(t1); sd t2, 16(t1); \
	addi a0, a0, 8; add a1, a1, a4; add a2, a2, a4; \
	addi a3, a3, -1; bnez a3, 8103b; \
	/* Alt DTLB misses go to the S handler */ \
	la t0, bench_svtlb_miss; csrw stvec, t0; \
	li t0, 1 << CAUSE_ALT_DTLB_MISS; csrw medeleg, t0; \
	li t0, SATP_SVTLB; csrw satp, t0; \
	csrw CSR_PTC_E, zero

/* The guest OS's Alt DTLB miss handler: the Svtlb PTE of the faulting
 * window page, read from the linear table os_ptes, goes into the data TC
 * (ifa and itir are those the fault wrote, docs/platform.md 4.8).  An
 * address outside the window is a bug: fail. */
#define BENCH_MMU_HANDLER \
	.balign 4; \
bench_svtlb_miss: \
	csrr tp, CSR_IFA; \
	slli tp, tp, 3; srli tp, tp, 15;   /* page index in region 1 */ \
	li gp, WIN_PAGES_MAX; bltu tp, gp, 8104f; j harness_fail; \
8104:		slli tp, tp, 3; la gp, os_ptes; add tp, tp, gp; ld tp, 0(tp); \
	csrw CSR_ITC_D, tp; \
	sret

#define BENCH_MMU_DATA \
	.section .bss; .balign 8; \
os_ptes: .skip WIN_PAGES_MAX * 8

/* Purge the whole TC; the TRs stay (docs/platform.md 4.6). */
#define BENCH_FLUSH_ALL csrw CSR_PTC_E, zero
#endif

#ifndef BENCH_MMU_HANDLER
#define BENCH_MMU_HANDLER
#endif

#endif
