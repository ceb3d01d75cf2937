/*
 * kvm_event.h - the fields of the KVM tracepoints in ftrace text.
 *
 * Contract: kvm_event_parse() reads the FIELDS part of one event line (see
 * kvm_line.h) of a known KVM event into a struct kvm_event.  Every format
 * the kernel has printed for these events is accepted (see the formats in
 * kvm_event.c): kvm_exit old ("reason R rip 0x.. info A B"), with info1/
 * info2, with intr_info/error_code, with "vcpu N" and "requests", VMX and
 * SVM names, RISC-V's "SEPC:.., SCAUSE:.., ..."; kvm_nested_vmexit old
 * ("rip: .. reason: .. ext_inf1: ..") and new; kvm_entry, kvm_page_fault,
 * kvm_inj_exception, kvm_mmio, kvm_pio, kvm_emulate_insn,
 * kvm_userspace_exit, kvm_hypercall and the kvmmmu events.  Returns
 * KVM_PARSE_OK, KVM_PARSE_OTHER for an event this file does not know (the
 * caller skips and counts it), or KVM_PARSE_BAD for a known event whose
 * fields do not match any format (the caller reports the line).
 */
#ifndef ANALYZE_KVM_EVENT_H
#define ANALYZE_KVM_EVENT_H

#include <stdint.h>

#include "kvm_reasons.h"

enum kvm_ev {
	KVM_EV_EXIT,           /* kvm_exit */
	KVM_EV_NESTED_EXIT,    /* kvm_nested_vmexit */
	KVM_EV_ENTRY,          /* kvm_entry */
	KVM_EV_PAGE_FAULT,     /* kvm_page_fault */
	KVM_EV_INJ_EXCEPTION,  /* kvm_inj_exception */
	KVM_EV_MMIO,           /* kvm_mmio */
	KVM_EV_PIO,            /* kvm_pio */
	KVM_EV_EMULATE_INSN,   /* kvm_emulate_insn */
	KVM_EV_USERSPACE_EXIT, /* kvm_userspace_exit */
	KVM_EV_HYPERCALL,      /* kvm_hypercall */
	KVM_EV_MMU_WALK,       /* kvmmmu:kvm_mmu_pagetable_walk */
	KVM_EV_MMU_ELEMENT,    /* kvmmmu:kvm_mmu_paging_element */
	KVM_EV_MMU_WALK_ERROR, /* kvmmmu:kvm_mmu_walker_error */
	KVM_EV_MMU_ZAP_PAGE,   /* kvmmmu:kvm_mmu_prepare_zap_page */
	KVM_EV_MMU_ZAP_ALL,    /* kvmmmu:kvm_mmu_zap_all_fast */
	KVM_EV_MMU_OTHER,      /* the other kvmmmu events: recognised, not stored */
};

enum kvm_parse { KVM_PARSE_OK, KVM_PARSE_OTHER, KVM_PARSE_BAD };

#define KVM_REASON_MAX 40

struct kvm_event {
	enum kvm_ev kind;
	long vcpu;                   /* -1 when the line does not say */
	enum kvm_isa isa;            /* exits: which reason table matched */
	uint32_t code;               /* exit code, scause (irq: 0x80000000|code), vector,
				    KVM_EXIT_* number, hypercall number */
	char reason[KVM_REASON_MAX]; /* exits, userspace exits: the name printed */
	uint64_t rip;                /* guest pc (exit, entry, page fault, emulate) */
	uint64_t addr;               /* fault address, gpa, port, walk address, gfn<<12 */
	uint64_t info1, info2;       /* exit info1/info2 (RISC-V: stval, htval) */
	uint64_t val;                /* mmio/pio value, pte, hypercall a0, RISC-V htinst */
	uint64_t error_code;         /* page fault / exception error code, walk pferr */
	unsigned size;               /* mmio len, pio size, instruction bytes */
	unsigned count;              /* pio count, paging element level */
	int write;                   /* mmio/pio direction */
	int unsatisfied;             /* kvm_mmio "unsatisfied-read": the read goes to user space */
	int has_error;               /* kvm_inj_exception carries an error code */
	int failed;                  /* VMX FAILED_VMENTRY, emulation failed */
};

/* `name` is the event name (name_len bytes), `body` its fields. */
enum kvm_parse kvm_event_parse(const char *name, unsigned name_len, const char *body,
			       struct kvm_event *ev);

#endif
