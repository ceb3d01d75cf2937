/*
 * kvm_event.c - parsing of the KVM tracepoints' fields (contract:
 * kvm_event.h).
 *
 * The formats, from the kernel's TP_printk() strings (arch/x86/kvm/trace.h,
 * arch/x86/kvm/mmu/mmutrace.h, arch/riscv/kvm/trace.h,
 * include/trace/events/kvm.h), old and new:
 *   kvm_exit          "reason %s rip 0x%lx info %llx %llx"                (<= 5.9)
 *                     "[vcpu %u ]reason %s%s%s rip 0x%lx info1 0x%016llx info2 0x%016llx
 *                      [intr_info 0x%08x error_code 0x%08x][ requests 0x%016llx]"
 *                     RISC-V "SEPC:0x%lx, SCAUSE:0x%lx[(%s/%s)], STVAL:0x%lx, HTVAL:0x%lx,
 *                      HTINST:0x%lx"
 *   kvm_nested_vmexit "rip: 0x%016llx reason: %s ext_inf1: 0x%016llx ext_inf2: 0x%016llx
 *                      ext_int: 0x%08x ext_int_err: 0x%08x"   (old), then as kvm_exit
 *   kvm_entry         "vcpu %u[, rip 0x%lx[ intr_info 0x%08x error_code 0x%08x]]",
 *                     RISC-V "PC: 0x%016lx"
 *   kvm_page_fault    "address %lx error_code %x" (old),
 *                     "vcpu %u rip 0x%lx address 0x%016llx error_code 0x%llx"
 *   kvm_inj_exception "%s[ (0x%x)][ [reinjected]]" with "#PF" style names
 *   kvm_mmio          "mmio %s len %u gpa 0x%llx val 0x%llx"
 *   kvm_pio           "pio_%s at 0x%x size %d count %d[ val 0x%x %s]"
 *   kvm_emulate_insn  "%x:%llx:%s (%s)[ failed]"
 *   kvm_userspace_exit "reason %s (%d)"
 *   kvm_hypercall     "nr 0x%lx a0 0x%lx a1 0x%lx a2 0x%lx a3 0x%lx"
 *   kvm_mmu_pagetable_walk "addr %llx pferr %x %s", kvm_mmu_paging_element
 *                     "pte %llx level %u", kvm_mmu_walker_error "pferr %x %s",
 *   kvm_mmu_prepare_zap_page "sp gen %u gfn %llx l%u ...", kvm_mmu_zap_all_fast
 *                     "kvm-mmu-valid-gen %u used_pages %x"
 */
#include "kvm_event.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- fields */

/* The value after the word `key` (followed by ' ' or ':'), or NULL.  Keys
 * are matched as whole words so "info" does not match "info1". */
static const char *value_of(const char *body, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = strstr(body, key); p; p = strstr(p + 1, key)) {
		if (p != body && p[-1] != ' ' && p[-1] != ',')
			continue;
		const char *v = p + n;
		if (*v == ':')
			v++;
		if (*v != ' ' && !(v != p + n && *v == '0')) /* "SCAUSE:0x.." has no space */
			continue;
		while (*v == ' ')
			v++;
		return v;
	}
	return NULL;
}

/* A number in `base` (16 accepts an optional 0x) ending at a space, comma,
 * '(' or the end.  Returns the end or NULL. */
static const char *num(const char *s, int base, uint64_t *out)
{
	if (!s || !isxdigit((unsigned char)*s))
		return NULL;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, base);
	if (errno || end == s || (*end && *end != ' ' && *end != ',' && *end != '(' && *end != ')'))
		return NULL;
	*out = v;
	return end;
}

static int hex_field(const char *body, const char *key, uint64_t *out)
{
	return num(value_of(body, key), 16, out) ? 0 : -1;
}

static int dec_field(const char *body, const char *key, uint64_t *out)
{
	return num(value_of(body, key), 10, out) ? 0 : -1;
}

static void copy_word(char *dst, const char *s, size_t n)
{
	if (n >= KVM_REASON_MAX)
		n = KVM_REASON_MAX - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* ---------------------------------------------------------------- exits */

/* The reason text runs from after "reason" up to the next field. */
static int parse_reason(const char *body, struct kvm_event *ev)
{
	const char *r = value_of(body, "reason");
	if (!r)
		return -1;
	const char *end = NULL;
	static const char *const next[] = { " rip ", " rip:", " ext_inf1" };
	for (unsigned i = 0; i < 3; i++) {
		const char *e = strstr(r, next[i]);
		if (e && (!end || e < end))
			end = e;
	}
	if (!end || end == r)
		return -1;
	static const char failed[] = " FAILED_VMENTRY";
	size_t flen = sizeof failed - 1;
	if ((size_t)(end - r) > flen && memcmp(end - flen, failed, flen) == 0) {
		ev->failed = 1;
		end -= flen;
	}
	copy_word(ev->reason, r, (size_t)(end - r));
	uint64_t code;
	if (kvm_reason_lookup(r, (unsigned)(end - r), &ev->isa, &ev->code) == 0)
		return 0;
	/* __print_symbolic prints an unknown value as 0x%lx. */
	if (num(r, 16, &code) == end && strncmp(r, "0x", 2) == 0) {
		ev->isa = KVM_ISA_UNKNOWN;
		ev->code = (uint32_t)code;
		return 0;
	}
	return -1;
}

static int parse_x86_exit(const char *body, struct kvm_event *ev)
{
	uint64_t v;
	if (dec_field(body, "vcpu", &v) == 0)
		ev->vcpu = (long)v;
	if (parse_reason(body, ev) || hex_field(body, "rip", &ev->rip))
		return -1;
	const char *info = value_of(body, "info");
	if (info) { /* old: "info %llx %llx" */
		const char *e = num(info, 16, &ev->info1);
		return e && *e == ' ' && num(e + 1, 16, &ev->info2) ? 0 : -1;
	}
	if (hex_field(body, "info1", &ev->info1) == 0)
		return hex_field(body, "info2", &ev->info2);
	if (hex_field(body, "ext_inf1", &ev->info1) == 0) /* old kvm_nested_vmexit */
		return hex_field(body, "ext_inf2", &ev->info2);
	return -1;
}

static int parse_riscv_exit(const char *body, struct kvm_event *ev)
{
	uint64_t scause;
	if (hex_field(body, "SEPC", &ev->rip) || hex_field(body, "SCAUSE", &scause) ||
	    hex_field(body, "STVAL", &ev->info1) || hex_field(body, "HTVAL", &ev->info2) ||
	    hex_field(body, "HTINST", &ev->val))
		return -1;
	ev->isa = KVM_ISA_RISCV;
	int irq = (scause >> 63) != 0;
	ev->code = irq ? 0x80000000u | (uint32_t)(scause & 0x7fffffffu) : (uint32_t)scause;
	const char *name = kvm_riscv_cause_name(scause);
	if (name)
		copy_word(ev->reason, name, strlen(name));
	else
		copy_word(ev->reason, body, 0);
	return 0;
}

static int parse_exit(const char *body, struct kvm_event *ev)
{
	if (strncmp(body, "SEPC:", 5) == 0)
		return parse_riscv_exit(body, ev);
	return parse_x86_exit(body, ev);
}

static int parse_entry(const char *body, struct kvm_event *ev)
{
	uint64_t v;
	if (strncmp(body, "PC:", 3) == 0) /* RISC-V */
		return hex_field(body, "PC", &ev->rip);
	if (dec_field(body, "vcpu", &v))
		return -1;
	ev->vcpu = (long)v;
	if (value_of(body, "rip"))
		return hex_field(body, "rip", &ev->rip);
	return 0;
}

/* ---------------------------------------------------------------- faults */

static int parse_page_fault(const char *body, struct kvm_event *ev)
{
	uint64_t v;
	if (value_of(body, "vcpu")) {
		if (dec_field(body, "vcpu", &v) || hex_field(body, "rip", &ev->rip))
			return -1;
		ev->vcpu = (long)v;
	}
	return hex_field(body, "address", &ev->addr) ||
			       hex_field(body, "error_code", &ev->error_code)
		       ? -1
		       : 0;
}

/* x86 exception vectors by mnemonic (Intel SDM vol. 3, table 6-1). */
static const struct {
	const char *name;
	unsigned vector;
} x86_vectors[] = {
	{ "DE", 0 },  { "DB", 1 },  { "BP", 3 },  { "OF", 4 },  { "BR", 5 },  { "UD", 6 },
	{ "NM", 7 },  { "DF", 8 },  { "TS", 10 }, { "NP", 11 }, { "SS", 12 }, { "GP", 13 },
	{ "PF", 14 }, { "MF", 16 }, { "AC", 17 }, { "MC", 18 }, { "XM", 19 }, { "VE", 20 },
	{ "CP", 21 }, { "HV", 28 }, { "VC", 29 }, { "SX", 30 },
};

static int parse_inj_exception(const char *body, struct kvm_event *ev)
{
	const char *p = body;
	size_t n = strcspn(p, " ");
	uint64_t v;
	int found = 0;
	if (*p == '#') {
		for (unsigned i = 0; i < sizeof x86_vectors / sizeof x86_vectors[0]; i++)
			if (n == 3 && memcmp(p + 1, x86_vectors[i].name, 2) == 0) {
				ev->code = x86_vectors[i].vector;
				found = 1;
			}
	} else if (strncmp(p, "0x", 2) == 0 && num(p, 16, &v) == p + n) {
		ev->code = (uint32_t)v;
		found = 1;
	}
	if (!found)
		return -1;
	copy_word(ev->reason, p, n);
	p += n;
	if (strncmp(p, " (", 2) == 0) {
		const char *e = num(p + 2, 16, &ev->error_code);
		if (!e || *e != ')')
			return -1;
		ev->has_error = 1;
		p = e + 1;
	}
	while (*p == ' ')
		p++;
	return *p == '\0' || strcmp(p, "[reinjected]") == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- I/O */

static int parse_mmio(const char *body, struct kvm_event *ev)
{
	const char *t = value_of(body, "mmio");
	uint64_t len;
	if (!t)
		return -1;
	if (strncmp(t, "unsatisfied-read ", 17) == 0)
		ev->unsatisfied = 1;
	else if (strncmp(t, "write ", 6) == 0)
		ev->write = 1;
	else if (strncmp(t, "read ", 5) != 0)
		return -1;
	if (dec_field(body, "len", &len) || hex_field(body, "gpa", &ev->addr) ||
	    hex_field(body, "val", &ev->val))
		return -1;
	ev->size = (unsigned)len;
	return 0;
}

static int parse_pio(const char *body, struct kvm_event *ev)
{
	uint64_t size, count;
	if (strncmp(body, "pio_write ", 10) == 0)
		ev->write = 1;
	else if (strncmp(body, "pio_read ", 9) != 0)
		return -1;
	if (hex_field(body, "at", &ev->addr) || dec_field(body, "size", &size) ||
	    dec_field(body, "count", &count))
		return -1;
	if (value_of(body, "val") && hex_field(body, "val", &ev->val))
		return -1;
	ev->size = (unsigned)size;
	ev->count = (unsigned)count;
	return 0;
}

static int parse_emulate_insn(const char *body, struct kvm_event *ev)
{
	char *end;
	strtoull(body, &end, 16); /* code segment base */
	if (end == body || *end != ':')
		return -1;
	const char *p = end + 1;
	ev->rip = strtoull(p, &end, 16);
	if (end == p || *end != ':')
		return -1;
	p = end + 1;
	const char *mode = strstr(p, " (");
	if (!mode)
		return -1;
	for (const char *b = p; b < mode; b += 3) { /* "ba f8 03": 3 characters per byte */
		if (!isxdigit((unsigned char)b[0]) || !isxdigit((unsigned char)b[1]))
			return -1;
		ev->size++;
	}
	const char *close = strchr(mode, ')');
	if (!close)
		return -1;
	copy_word(ev->reason, mode + 2, (size_t)(close - mode - 2));
	ev->failed = strcmp(close + 1, " failed") == 0;
	return ev->failed || close[1] == '\0' ? 0 : -1;
}

static int parse_userspace_exit(const char *body, struct kvm_event *ev)
{
	const char *r = value_of(body, "reason");
	const char *open = r ? strstr(r, " (") : NULL;
	uint64_t code;
	if (!open || open == r)
		return -1;
	const char *e = num(open + 2, 10, &code);
	if (!e || *e != ')')
		return -1;
	copy_word(ev->reason, r, (size_t)(open - r));
	ev->code = (uint32_t)code;
	return 0;
}

static int parse_hypercall(const char *body, struct kvm_event *ev)
{
	uint64_t nr;
	if (hex_field(body, "nr", &nr) || hex_field(body, "a0", &ev->val) ||
	    hex_field(body, "a1", &ev->info1))
		return -1;
	ev->code = (uint32_t)nr;
	return 0;
}

/* ---------------------------------------------------------------- kvmmmu */

static int parse_mmu(enum kvm_ev kind, const char *body, struct kvm_event *ev)
{
	uint64_t v;
	switch (kind) {
	case KVM_EV_MMU_WALK:
		return hex_field(body, "addr", &ev->addr) ||
		       hex_field(body, "pferr", &ev->error_code);
	case KVM_EV_MMU_ELEMENT:
		if (hex_field(body, "pte", &ev->val) || dec_field(body, "level", &v))
			return -1;
		ev->count = (unsigned)v;
		return 0;
	case KVM_EV_MMU_WALK_ERROR: return hex_field(body, "pferr", &ev->error_code);
	case KVM_EV_MMU_ZAP_PAGE:
		if (hex_field(body, "gfn", &v))
			return -1;
		ev->addr = v << 12; /* x86 4 KiB frames */
		return 0;
	case KVM_EV_MMU_ZAP_ALL: return hex_field(body, "used_pages", &ev->val);
	default: return 0;
	}
}

/* ---------------------------------------------------------------- dispatch */

static const struct {
	const char *name;
	enum kvm_ev kind;
} events[] = {
	{ "kvm_exit", KVM_EV_EXIT },
	{ "kvm_nested_vmexit", KVM_EV_NESTED_EXIT },
	{ "kvm_entry", KVM_EV_ENTRY },
	{ "kvm_page_fault", KVM_EV_PAGE_FAULT },
	{ "kvm_inj_exception", KVM_EV_INJ_EXCEPTION },
	{ "kvm_mmio", KVM_EV_MMIO },
	{ "kvm_pio", KVM_EV_PIO },
	{ "kvm_emulate_insn", KVM_EV_EMULATE_INSN },
	{ "kvm_userspace_exit", KVM_EV_USERSPACE_EXIT },
	{ "kvm_hypercall", KVM_EV_HYPERCALL },
	{ "kvm_mmu_pagetable_walk", KVM_EV_MMU_WALK },
	{ "kvm_mmu_paging_element", KVM_EV_MMU_ELEMENT },
	{ "kvm_mmu_walker_error", KVM_EV_MMU_WALK_ERROR },
	{ "kvm_mmu_prepare_zap_page", KVM_EV_MMU_ZAP_PAGE },
	{ "kvm_mmu_zap_all_fast", KVM_EV_MMU_ZAP_ALL },
	/* The other kvmmmu events (arch/x86/kvm/mmu/mmutrace.h). */
	{ "kvm_mmu_set_accessed_bit", KVM_EV_MMU_OTHER },
	{ "kvm_mmu_set_dirty_bit", KVM_EV_MMU_OTHER },
	{ "kvm_mmu_get_page", KVM_EV_MMU_OTHER },
	{ "kvm_mmu_sync_page", KVM_EV_MMU_OTHER },
	{ "kvm_mmu_unsync_page", KVM_EV_MMU_OTHER },
	{ "mark_mmio_spte", KVM_EV_MMU_OTHER },
	{ "handle_mmio_page_fault", KVM_EV_MMU_OTHER },
	{ "fast_page_fault", KVM_EV_MMU_OTHER },
	{ "check_mmio_spte", KVM_EV_MMU_OTHER },
	{ "kvm_mmu_set_spte", KVM_EV_MMU_OTHER },
	{ "kvm_mmu_spte_requested", KVM_EV_MMU_OTHER },
	{ "kvm_tdp_mmu_spte_changed", KVM_EV_MMU_OTHER },
	{ "kvm_mmu_split_huge_page", KVM_EV_MMU_OTHER },
};

enum kvm_parse kvm_event_parse(const char *name, unsigned name_len, const char *body,
			       struct kvm_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->vcpu = -1;
	unsigned i, n = sizeof events / sizeof events[0];
	for (i = 0; i < n; i++)
		if (strlen(events[i].name) == name_len &&
		    memcmp(events[i].name, name, name_len) == 0)
			break;
	if (i == n)
		return KVM_PARSE_OTHER;
	ev->kind = events[i].kind;
	int bad;
	switch (ev->kind) {
	case KVM_EV_EXIT:
	case KVM_EV_NESTED_EXIT: bad = parse_exit(body, ev); break;
	case KVM_EV_ENTRY: bad = parse_entry(body, ev); break;
	case KVM_EV_PAGE_FAULT: bad = parse_page_fault(body, ev); break;
	case KVM_EV_INJ_EXCEPTION: bad = parse_inj_exception(body, ev); break;
	case KVM_EV_MMIO: bad = parse_mmio(body, ev); break;
	case KVM_EV_PIO: bad = parse_pio(body, ev); break;
	case KVM_EV_EMULATE_INSN: bad = parse_emulate_insn(body, ev); break;
	case KVM_EV_USERSPACE_EXIT: bad = parse_userspace_exit(body, ev); break;
	case KVM_EV_HYPERCALL: bad = parse_hypercall(body, ev); break;
	default: bad = parse_mmu(ev->kind, body, ev); break;
	}
	return bad ? KVM_PARSE_BAD : KVM_PARSE_OK;
}
