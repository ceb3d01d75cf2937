/*
 * kvm_reasons.c - the VMX, SVM and RISC-V exit-reason names that Linux KVM
 * prints in its tracepoints, and the tagged numbers vtlab stores for them
 * (contract: kvm_reasons.h).
 *
 * Source of the names and codes: the print format of kvm:kvm_exit in the
 * tracefs of Linux 6.18 (events/kvm/kvm_exit/format, i.e. VMX_EXIT_REASONS
 * and SVM_EXIT_REASONS of arch/x86/include/uapi/asm/{vmx,svm}.h); the codes
 * are the hardware's: Intel SDM vol. 3 appendix C "VMX basic exit reasons",
 * AMD APM vol. 2 appendix C "SVM intercept exit codes".  RISC-V causes:
 * privileged spec, table "scause values" (H extension causes 20-23).
 */
#include "kvm_reasons.h"

#include <stddef.h>
#include <string.h>

struct reason {
	uint32_t code;
	const char *name;
};

static const struct reason vmx_reasons[] = {
	{ 0, "EXCEPTION_NMI" },
	{ 1, "EXTERNAL_INTERRUPT" },
	{ 2, "TRIPLE_FAULT" },
	{ 3, "INIT_SIGNAL" },
	{ 4, "SIPI_SIGNAL" },
	{ 7, "INTERRUPT_WINDOW" },
	{ 8, "NMI_WINDOW" },
	{ 9, "TASK_SWITCH" },
	{ 10, "CPUID" },
	{ 12, "HLT" },
	{ 13, "INVD" },
	{ 14, "INVLPG" },
	{ 15, "RDPMC" },
	{ 16, "RDTSC" },
	{ 18, "VMCALL" },
	{ 19, "VMCLEAR" },
	{ 20, "VMLAUNCH" },
	{ 21, "VMPTRLD" },
	{ 22, "VMPTRST" },
	{ 23, "VMREAD" },
	{ 24, "VMRESUME" },
	{ 25, "VMWRITE" },
	{ 26, "VMOFF" },
	{ 27, "VMON" },
	{ 28, "CR_ACCESS" },
	{ 29, "DR_ACCESS" },
	{ 30, "IO_INSTRUCTION" },
	{ 31, "MSR_READ" },
	{ 32, "MSR_WRITE" },
	{ 33, "INVALID_STATE" },
	{ 34, "MSR_LOAD_FAIL" },
	{ 36, "MWAIT_INSTRUCTION" },
	{ 37, "MONITOR_TRAP_FLAG" },
	{ 39, "MONITOR_INSTRUCTION" },
	{ 40, "PAUSE_INSTRUCTION" },
	{ 41, "MCE_DURING_VMENTRY" },
	{ 43, "TPR_BELOW_THRESHOLD" },
	{ 44, "APIC_ACCESS" },
	{ 45, "EOI_INDUCED" },
	{ 46, "GDTR_IDTR" },
	{ 47, "LDTR_TR" },
	{ 48, "EPT_VIOLATION" },
	{ 49, "EPT_MISCONFIG" },
	{ 50, "INVEPT" },
	{ 51, "RDTSCP" },
	{ 52, "PREEMPTION_TIMER" },
	{ 53, "INVVPID" },
	{ 54, "WBINVD" },
	{ 55, "XSETBV" },
	{ 56, "APIC_WRITE" },
	{ 57, "RDRAND" },
	{ 58, "INVPCID" },
	{ 59, "VMFUNC" },
	{ 60, "ENCLS" },
	{ 61, "RDSEED" },
	{ 62, "PML_FULL" },
	{ 63, "XSAVES" },
	{ 64, "XRSTORS" },
	{ 67, "UMWAIT" },
	{ 68, "TPAUSE" },
	{ 74, "BUS_LOCK" },
	{ 75, "NOTIFY" },
	{ 77, "TDCALL" },
	{ 84, "MSR_READ_IMM" },
	{ 85, "MSR_WRITE_IMM" },
	/* Names older kernels printed (before Linux 5.10). */
	{ 7, "PENDING_INTERRUPT" },
};

static const struct reason svm_reasons[] = {
	{ 0, "read_cr0" },
	{ 2, "read_cr2" },
	{ 3, "read_cr3" },
	{ 4, "read_cr4" },
	{ 8, "read_cr8" },
	{ 16, "write_cr0" },
	{ 18, "write_cr2" },
	{ 19, "write_cr3" },
	{ 20, "write_cr4" },
	{ 24, "write_cr8" },
	{ 32, "read_dr0" },
	{ 33, "read_dr1" },
	{ 34, "read_dr2" },
	{ 35, "read_dr3" },
	{ 36, "read_dr4" },
	{ 37, "read_dr5" },
	{ 38, "read_dr6" },
	{ 39, "read_dr7" },
	{ 48, "write_dr0" },
	{ 49, "write_dr1" },
	{ 50, "write_dr2" },
	{ 51, "write_dr3" },
	{ 52, "write_dr4" },
	{ 53, "write_dr5" },
	{ 54, "write_dr6" },
	{ 55, "write_dr7" },
	{ 64, "DE excp" },
	{ 65, "DB excp" },
	{ 67, "BP excp" },
	{ 68, "OF excp" },
	{ 69, "BR excp" },
	{ 70, "UD excp" },
	{ 71, "NM excp" },
	{ 72, "DF excp" },
	{ 74, "TS excp" },
	{ 75, "NP excp" },
	{ 76, "SS excp" },
	{ 77, "GP excp" },
	{ 78, "PF excp" },
	{ 80, "MF excp" },
	{ 81, "AC excp" },
	{ 82, "MC excp" },
	{ 83, "XF excp" },
	{ 96, "interrupt" },
	{ 97, "nmi" },
	{ 98, "smi" },
	{ 99, "init" },
	{ 100, "vintr" },
	{ 101, "cr0_sel_write" },
	{ 102, "read_idtr" },
	{ 103, "read_gdtr" },
	{ 104, "read_ldtr" },
	{ 105, "read_rt" },
	{ 106, "write_idtr" },
	{ 107, "write_gdtr" },
	{ 108, "write_ldtr" },
	{ 109, "write_rt" },
	{ 110, "rdtsc" },
	{ 111, "rdpmc" },
	{ 112, "pushf" },
	{ 113, "popf" },
	{ 114, "cpuid" },
	{ 115, "rsm" },
	{ 116, "iret" },
	{ 117, "swint" },
	{ 118, "invd" },
	{ 119, "pause" },
	{ 120, "hlt" },
	{ 121, "invlpg" },
	{ 122, "invlpga" },
	{ 123, "io" },
	{ 124, "msr" },
	{ 125, "task_switch" },
	{ 126, "ferr_freeze" },
	{ 127, "shutdown" },
	{ 128, "vmrun" },
	{ 129, "hypercall" },
	{ 130, "vmload" },
	{ 131, "vmsave" },
	{ 132, "stgi" },
	{ 133, "clgi" },
	{ 134, "skinit" },
	{ 135, "rdtscp" },
	{ 136, "icebp" },
	{ 137, "wbinvd" },
	{ 138, "monitor" },
	{ 139, "mwait" },
	{ 141, "xsetbv" },
	{ 143, "write_efer_trap" },
	{ 144, "write_cr0_trap" },
	{ 148, "write_cr4_trap" },
	{ 152, "write_cr8_trap" },
	{ 162, "invpcid" },
	{ 165, "buslock" },
	{ 166, "idle-halt" },
	{ 1024, "npf" },
	{ 1025, "avic_incomplete_ipi" },
	{ 1026, "avic_unaccelerated_access" },
	{ 1027, "vmgexit" },
	{ 0x80000001u, "vmgexit_mmio_read" },
	{ 0x80000002u, "vmgexit_mmio_write" },
	{ 0x80000003u, "vmgexit_nmi_complete" },
	{ 0x80000004u, "vmgexit_ap_hlt_loop" },
	{ 0x80000005u, "vmgexit_ap_jump_table" },
	{ 0x80000010u, "vmgexit_page_state_change" },
	{ 0x80000011u, "vmgexit_guest_request" },
	{ 0x80000012u, "vmgexit_ext_guest_request" },
	{ 0x80000013u, "vmgexit_ap_creation" },
	{ 0x8000fffdu, "vmgexit_hypervisor_feature" },
	{ 0xffffffffu, "invalid_guest_state" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *kvm_isa_name(enum kvm_isa isa)
{
	switch (isa) {
	case KVM_ISA_VMX: return "vmx";
	case KVM_ISA_SVM: return "svm";
	case KVM_ISA_RISCV: return "riscv";
	default: return "unknown";
	}
}

static const struct reason *find_name(const struct reason *t, size_t n, const char *name,
				      unsigned len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].name) == len && memcmp(t[i].name, name, len) == 0)
			return &t[i];
	return NULL;
}

static const struct reason *find_code(const struct reason *t, size_t n, uint32_t code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return &t[i];
	return NULL;
}

int kvm_reason_lookup(const char *name, unsigned len, enum kvm_isa *isa, uint32_t *code)
{
	const struct reason *r = find_name(vmx_reasons, COUNT(vmx_reasons), name, len);
	if (r) {
		*isa = KVM_ISA_VMX;
		*code = r->code;
		return 0;
	}
	r = find_name(svm_reasons, COUNT(svm_reasons), name, len);
	if (r) {
		*isa = KVM_ISA_SVM;
		*code = r->code;
		return 0;
	}
	return -1;
}

const char *kvm_reason_name(enum kvm_isa isa, uint32_t code)
{
	const struct reason *r = NULL;
	if (isa == KVM_ISA_VMX)
		r = find_code(vmx_reasons, COUNT(vmx_reasons), code);
	else if (isa == KVM_ISA_SVM)
		r = find_code(svm_reasons, COUNT(svm_reasons), code);
	else if (isa == KVM_ISA_RISCV)
		return kvm_riscv_cause_name(code & 0x80000000u ? (1ull << 63) | (code & 0x7fffffffu)
							       : code);
	return r ? r->name : NULL;
}

uint32_t kvm_reason_stored(enum kvm_isa isa, uint32_t code)
{
	switch (isa) {
	case KVM_ISA_VMX: return KVM_REASON_TAG_VMX | (code & 0xffffu);
	case KVM_ISA_SVM:
		if (code < 0x10000u)
			return KVM_REASON_TAG_SVM | code;
		if (code == 0xffffffffu)
			return KVM_REASON_TAG_SVM | 0x1ffffu;
		return KVM_REASON_TAG_SVM | 0x10000u | (code & 0xffffu);
	case KVM_ISA_RISCV: return KVM_REASON_TAG_RISCV | (code & 0x8fffffffu); /* bit 31: irq */
	default: return code;
	}
}

/* scause: the interrupt flag is the top bit of the XLEN-wide register. */
static const char *const riscv_exceptions[24] = {
	[0] = "INST_MISALIGNED",
	[1] = "INST_ACCESS_FAULT",
	[2] = "ILLEGAL_INST",
	[3] = "BREAKPOINT",
	[4] = "LOAD_MISALIGNED",
	[5] = "LOAD_ACCESS_FAULT",
	[6] = "STORE_MISALIGNED",
	[7] = "STORE_ACCESS_FAULT",
	[8] = "USER_ECALL",
	[9] = "SUPERVISOR_ECALL",
	[10] = "VIRTUAL_SUPERVISOR_ECALL",
	[11] = "MACHINE_ECALL",
	[12] = "INST_PAGE_FAULT",
	[13] = "LOAD_PAGE_FAULT",
	[15] = "STORE_PAGE_FAULT",
	[20] = "INST_GUEST_PAGE_FAULT",
	[21] = "LOAD_GUEST_PAGE_FAULT",
	[22] = "VIRTUAL_INST_FAULT",
	[23] = "STORE_GUEST_PAGE_FAULT",
};

static const char *const riscv_interrupts[14] = {
	[1] = "IRQ_S_SOFT",   [2] = "IRQ_VS_SOFT", [3] = "IRQ_M_SOFT",   [5] = "IRQ_S_TIMER",
	[6] = "IRQ_VS_TIMER", [7] = "IRQ_M_TIMER", [9] = "IRQ_S_EXT",    [10] = "IRQ_VS_EXT",
	[11] = "IRQ_M_EXT",   [12] = "IRQ_S_GEXT", [13] = "IRQ_PMU_OVF",
};

const char *kvm_riscv_cause_name(uint64_t scause)
{
	int irq = (scause >> 63) != 0 || (scause >> 31) == 1; /* RV64 or RV32 flag */
	uint64_t code = irq ? scause & 0x7fffffffull : scause;
	if (irq)
		return code < COUNT(riscv_interrupts) ? riscv_interrupts[code] : NULL;
	return code < COUNT(riscv_exceptions) ? riscv_exceptions[code] : NULL;
}
