/*
 * kvm_reasons.h - exit-reason names of Linux KVM traces and the numbers
 * vtlab stores for them.
 *
 * Contract: kvm_reason_lookup() maps a reason exactly as the kernel prints
 * it in kvm_exit / kvm_nested_vmexit (Intel VMX names such as
 * "EPT_VIOLATION", AMD SVM names such as "npf" or "PF excp") to its ISA and
 * hardware code; kvm_reason_stored() gives the number stored in
 * events.reason.  The VMX, SVM and RISC-V code spaces overlap each other
 * and vtlab's own exit reasons (small numbers, enum hv_exit_reason in
 * vmm/hv_priv.h, named in the same reason_names rows of event "vm_exit"),
 * so stored numbers carry a tag (documented in analyze/README.md):
 *   VMX:    0x40000000 | basic exit reason (Intel SDM vol. 3, appendix C)
 *   SVM:    0x20000000 | exit code (AMD APM vol. 2, appendix C); the SEV-ES
 *           VMGEXIT codes 0x8000xxxx as 0x20010000 | low 16 bits, and -1
 *           (invalid guest state) as 0x2001ffff
 *   RISC-V: 0x10000000 | scause exception code, interrupts as
 *           0x90000000 | code (RISC-V privileged spec, scause/mcause)
 */
#ifndef ANALYZE_KVM_REASONS_H
#define ANALYZE_KVM_REASONS_H

#include <stdint.h>

enum kvm_isa { KVM_ISA_UNKNOWN, KVM_ISA_VMX, KVM_ISA_SVM, KVM_ISA_RISCV };

#define KVM_REASON_TAG_VMX 0x40000000u
#define KVM_REASON_TAG_SVM 0x20000000u
#define KVM_REASON_TAG_RISCV 0x10000000u
/* x86 exception vectors (the #PF of kvm_page_fault as an exception event,
 * kvm_inj_exception's vector as an inject event) meet RISC-V causes in
 * those events' reason_names rows, so they are tagged too. */
#define KVM_VECTOR_TAG_X86 0x08000000u

/* "vmx", "svm", "riscv" or "unknown". */
const char *kvm_isa_name(enum kvm_isa isa);

/* Finds a VMX or SVM reason name of length len; returns 0 and sets *isa and
 * *code, or -1 when the name is not a known one. */
int kvm_reason_lookup(const char *name, unsigned len, enum kvm_isa *isa, uint32_t *code);

/* The number stored in events.reason for a hardware code of an ISA. */
uint32_t kvm_reason_stored(enum kvm_isa isa, uint32_t code);

/* The name of a RISC-V scause value (interrupt bit included), e.g.
 * "LOAD_GUEST_PAGE_FAULT", "IRQ_VS_TIMER"; NULL when not a standard one. */
const char *kvm_riscv_cause_name(uint64_t scause);

/* The name of a VMX or SVM code, NULL when unknown. */
const char *kvm_reason_name(enum kvm_isa isa, uint32_t code);

#endif
