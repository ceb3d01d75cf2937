/*
 * riscv.h - core-private definitions of the RISC-V S-mode machine: CSR
 * access, sstatus/sie bits, exception causes (privileged spec 20211203,
 * sections 4.1.1-4.1.9; Svtlb causes: docs/platform.md 4.8), the trap
 * frame shared with trapvec.S, and the SBI calls (docs/devices.md 10).
 */
#ifndef CORE_RISCV_H
#define CORE_RISCV_H

#include "kernel.h"

#define csr_read(name)                                                                             \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("csrr %0, " #name : "=r"(v_));                                    \
		v_;                                                                                \
	})
#define csr_write(name, v) __asm__ volatile("csrw " #name ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_set(name, v) __asm__ volatile("csrs " #name ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_clear(name, v) __asm__ volatile("csrc " #name ", %0" ::"r"((uint64_t)(v)) : "memory")

#define SSTATUS_SIE (1ull << 1)
#define SSTATUS_SPIE (1ull << 5)
#define SSTATUS_SPP (1ull << 8)
#define SSTATUS_SUM (1ull << 18)
#define SIE_SSIE (1ull << 1)
#define SIE_STIE (1ull << 5)
#define SIE_SEIE (1ull << 9)
#define SIP_SSIP (1ull << 1)
#define SATP_MODE(s) ((s) >> 60)
#define SATP_MODE_SVTLB 14u

#define CAUSE_INTERRUPT (1ull << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define EXC_INSN_MISALIGNED 0
#define EXC_INSN_ACCESS 1
#define EXC_ILLEGAL 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_INSN_PAGE 12
#define EXC_LOAD_PAGE 13
#define EXC_STORE_PAGE 15
#define EXC_SVTLB_FIRST 24 /* itlb_miss ... dirty_bit: 24-31 */
#define EXC_SVTLB_LAST 31
#define EXC_SVTLB_ACCESS_BIT 48
#define EXC_SVTLB_NESTED_DTLB 49 /* a data miss with psr.ic = 0 */

/* One-line helpers, kept as a table. */
/* clang-format off */
static inline void intr_on(void) { csr_set(sstatus, SSTATUS_SIE); }
static inline void intr_off(void) { csr_clear(sstatus, SSTATUS_SIE); }
static inline bool intr_get(void) { return (csr_read(sstatus) & SSTATUS_SIE) != 0; }
static inline uint64_t rdtime(void) { return csr_read(time); }
/* clang-format on */

/* The trap frame (trapvec.S uses the TF_* offsets; keep them in step).
 * regs[i] is register xi; regs[0] is unused. */
struct trapframe {
	uint64_t regs[32];
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
	uint64_t ktp; /* kernel tp, restored on a trap from U */
	uint64_t pad;
};
#define TF_SIZE (38 * 8)
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapvec.S frame layout");
enum {
	REG_RA = 1,
	REG_SP = 2,
	REG_GP = 3,
	REG_TP = 4,
	REG_A0 = 10,
	REG_A1 = 11,
	REG_A2 = 12,
	REG_A3 = 13,
	REG_A4 = 14,
	REG_A5 = 15,
	REG_A7 = 17
};

/* trapvec.S */
void trap_vector(void);
_Noreturn void trap_return(struct trapframe *tf);
/* copy.S: copies n bytes; returns 0, or -1 if a fault in it was not resolved. */
int copy_user_bytes(void *dst, const void *src, size_t n);
int probe_load(uint64_t va, uint64_t *out);
extern char copy_user_begin[], copy_user_end[], copy_user_fault[];

/* sbi.c */
struct sbiret {
	long error;
	long value;
};
struct sbiret sbi_call(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2);
void sbi_set_timer(uint64_t stime);
long sbi_send_ipi(uint64_t mask, uint64_t base);
_Noreturn void machine_poweroff(int code);

#endif
