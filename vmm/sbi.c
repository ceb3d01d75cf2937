/*
 * sbi.c - the built-in firmware: the SBI calls an S-mode kernel makes when
 * vtlab boots it in S-mode (m->firmware), served natively by the engine.
 *
 * Contract (RISC-V SBI specification v2.0, ch. 3 binary encoding): a7 = EID,
 * a6 = FID, a0-a5 arguments; v0.2+ extensions return the error in a0 and the
 * value in a1; legacy v0.1 extensions (ch. 5, EIDs 0x00-0x08) return one
 * value in a0 and leave a1 alone.  Every call counts EV_SBI_CALL on the
 * calling hart and charges cost.sbi_call.  Unknown EIDs/FIDs return
 * SBI_ERR_NOT_SUPPORTED.  Guest memory is reached only through
 * phys_ram_ptr(); legacy calls that pass a hart mask by virtual address have
 * it translated with mmu_translate() (Bare or Sv39 only: under Svtlb the
 * lookup would disturb the guest's fault CSRs, so the call fails with
 * SBI_ERR_INVALID_ADDRESS; use the v0.2 IPI/RFENCE extensions there).
 * Hart ids are indexes into m->harts[].  Remote fences are conservative:
 * every target hart drops its whole modeled ITLB/DTLB and host fast path,
 * which is a valid implementation of any fence range.  Conventions are
 * documented for kernel writers in docs/devices.md "SBI firmware".
 */
#include <stdbool.h>
#include <stdint.h>

#include "console_out.h"
#include "devices.h"
#include "machine.h"
#include "mmu.h"
#include "sbi.h"
#include "tlb_model.h"
#include "trace.h"

enum {
	SBI_SUCCESS = 0,
	SBI_ERR_FAILED = -1,
	SBI_ERR_NOT_SUPPORTED = -2,
	SBI_ERR_INVALID_PARAM = -3,
	SBI_ERR_INVALID_ADDRESS = -5,
};

#define EID_LEGACY_SET_TIMER 0x00
#define EID_LEGACY_PUTCHAR 0x01
#define EID_LEGACY_GETCHAR 0x02
#define EID_LEGACY_CLEAR_IPI 0x03
#define EID_LEGACY_SEND_IPI 0x04
#define EID_LEGACY_FENCE_I 0x05
#define EID_LEGACY_SFENCE_VMA 0x06
#define EID_LEGACY_SFENCE_VMA_ASID 0x07
#define EID_LEGACY_SHUTDOWN 0x08
#define EID_BASE 0x10
#define EID_TIME 0x54494D45
#define EID_IPI 0x735049
#define EID_RFENCE 0x52464E43
#define EID_SRST 0x53525354
#define EID_DBCN 0x4442434E

#define SBI_SPEC_VERSION (2u << 24) /* major 2, minor 0 (spec 4.1) */
#define SBI_IMPL_ID 0x7674          /* "vt": not in the spec's table of assigned ids */
#define SBI_IMPL_VERSION 1

struct sbiret {
	int64_t error;
	uint64_t value;
};

/* Sets of target harts, as a bit per hart index. */
typedef uint32_t hartset;

static hartset all_harts(const struct machine *m)
{
	return m->nharts >= 32 ? ~0u : (1u << m->nharts) - 1;
}

/* v0.2 hart mask (spec 3.1): base -1 means all harts; every selected hart
 * must exist. */
static int64_t decode_hart_mask(const struct machine *m, uint64_t mask, uint64_t base, hartset *out)
{
	if (base == UINT64_MAX) {
		*out = all_harts(m);
		return SBI_SUCCESS;
	}
	*out = 0;
	for (unsigned i = 0; i < 64; i++) {
		if (!(mask >> i & 1))
			continue;
		if (base >= m->nharts || i >= m->nharts - base)
			return SBI_ERR_INVALID_PARAM;
		*out |= 1u << (base + i);
	}
	return SBI_SUCCESS;
}

/* v0.1 hart mask: a virtual address of an unsigned long, NULL = all harts. */
static int64_t legacy_hart_mask(struct hart *h, uint64_t va, hartset *out)
{
	if (va == 0) {
		*out = all_harts(h->m);
		return SBI_SUCCESS;
	}
	if (va % 8 || (h->satp >> 60) == SATP_MODE_SVTLB)
		return SBI_ERR_INVALID_ADDRESS;
	struct xlate x;
	if (mmu_translate(h, va, ACC_READ, PRV_S, &x) != 0)
		return SBI_ERR_INVALID_ADDRESS;
	const uint8_t *p = guest_ram_ptr(h->m, x.paddr, 8);
	if (!p)
		return SBI_ERR_INVALID_ADDRESS;
	uint64_t mask = 0;
	for (int i = 7; i >= 0; i--)
		mask = mask << 8 | p[i];
	return decode_hart_mask(h->m, mask, 0, out);
}

static void send_ipis(struct machine *m, hartset targets)
{
	for (unsigned i = 0; i < m->nharts && i < MAX_HARTS; i++)
		if ((targets >> i & 1) && m->harts[i])
			hart_set_mip(m->harts[i], MIP_SSIP, true);
}

static void remote_fence(struct machine *m, hartset targets)
{
	for (unsigned i = 0; i < m->nharts && i < MAX_HARTS; i++) {
		struct hart *t = m->harts[i];
		if (!(targets >> i & 1) || !t)
			continue;
		mmu_hc_flush_all(t);
		tlb_model_flush(&t->itlb);
		tlb_model_flush(&t->dtlb);
	}
}

static void set_timer(struct hart *h, uint64_t when)
{
	if (h->id < MAX_HARTS)
		h->m->mtimecmp[h->id] = when;
	hart_set_mip(h, MIP_STIP, false); /* spec 6.1: clears the pending timer */
}

/* The extensions served, with their names: legacy ones as in the SBI spec
 * v2.0 chapter 5 ("Legacy Extensions"), the others by their ASCII ids. */
static const struct {
	uint32_t eid;
	const char *name;
} extensions[] = {
	{ EID_LEGACY_SET_TIMER, "legacy_set_timer" },
	{ EID_LEGACY_PUTCHAR, "legacy_putchar" },
	{ EID_LEGACY_GETCHAR, "legacy_getchar" },
	{ EID_LEGACY_CLEAR_IPI, "legacy_clear_ipi" },
	{ EID_LEGACY_SEND_IPI, "legacy_send_ipi" },
	{ EID_LEGACY_FENCE_I, "legacy_remote_fence_i" },
	{ EID_LEGACY_SFENCE_VMA, "legacy_remote_sfence_vma" },
	{ EID_LEGACY_SFENCE_VMA_ASID, "legacy_remote_sfence_vma_asid" },
	{ EID_LEGACY_SHUTDOWN, "legacy_shutdown" },
	{ EID_BASE, "BASE" },
	{ EID_TIME, "TIME" },
	{ EID_IPI, "sPI" },
	{ EID_RFENCE, "RFNC" },
	{ EID_SRST, "SRST" },
	{ EID_DBCN, "DBCN" },
};

const char *sbi_extension(unsigned i, uint32_t *eid)
{
	if (i >= sizeof extensions / sizeof extensions[0])
		return NULL;
	*eid = extensions[i].eid;
	return extensions[i].name;
}

static bool extension_present(uint64_t eid)
{
	uint32_t e;
	for (unsigned i = 0; sbi_extension(i, &e); i++)
		if (e == eid)
			return true;
	return false;
}

static struct sbiret sbi_base(uint64_t fid, uint64_t a0)
{
	switch (fid) {
	case 0: return (struct sbiret){ SBI_SUCCESS, SBI_SPEC_VERSION };
	case 1: return (struct sbiret){ SBI_SUCCESS, SBI_IMPL_ID };
	case 2: return (struct sbiret){ SBI_SUCCESS, SBI_IMPL_VERSION };
	case 3: return (struct sbiret){ SBI_SUCCESS, extension_present(a0) };
	case 4:
	case 5:
	case 6: /* mvendorid, marchid, mimpid: all 0 in vtlab */
		return (struct sbiret){ SBI_SUCCESS, 0 };
	default: return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	}
}

static struct sbiret sbi_ipi(struct hart *h, uint64_t fid)
{
	if (fid != 0)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	hartset t;
	int64_t e = decode_hart_mask(h->m, h->x[10], h->x[11], &t);
	if (e == SBI_SUCCESS)
		send_ipis(h->m, t);
	return (struct sbiret){ e, 0 };
}

/* RFENCE (spec ch. 8): FIDs 0-6 are fence.i, sfence.vma(+asid) and the
 * hypervisor hfence variants; all are served by a full flush of the targets. */
static struct sbiret sbi_rfence(struct hart *h, uint64_t fid)
{
	if (fid > 6)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	hartset t;
	int64_t e = decode_hart_mask(h->m, h->x[10], h->x[11], &t);
	if (e == SBI_SUCCESS)
		remote_fence(h->m, t);
	return (struct sbiret){ e, 0 };
}

static const char *reset_type_name(uint64_t type)
{
	return type == 0 ? "shutdown" : type == 1 ? "cold reboot" : "warm reboot";
}

static struct sbiret sbi_srst(struct hart *h, uint64_t fid)
{
	uint64_t type = h->x[10], reason = h->x[11];
	if (fid != 0)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	if (type > 2 || reason > UINT32_MAX)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	machine_halt(h->m, reason == 0 ? 0 : 1, "SBI system reset: %s, reason %llu",
		     reset_type_name(type), (unsigned long long)reason);
	return (struct sbiret){ SBI_SUCCESS, 0 };
}

/* DBCN (spec ch. 12): the buffer is given by physical address lo/hi; on
 * RV64 hi must be 0. */
static struct sbiret sbi_dbcn(struct hart *h, uint64_t fid)
{
	uint64_t n = h->x[10], lo = h->x[11], hi = h->x[12];
	if (fid == 2) {
		console_putc(h->m, (uint8_t)h->x[10]);
		return (struct sbiret){ SBI_SUCCESS, 0 };
	}
	if (fid > 2)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	if (n == 0)
		return (struct sbiret){ SBI_SUCCESS, 0 };
	const uint8_t *buf = hi == 0 ? guest_ram_ptr(h->m, lo, n) : NULL;
	if (!buf)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	if (fid == 1) /* console_read: vtlab has no console input */
		return (struct sbiret){ SBI_SUCCESS, 0 };
	console_write(h->m, buf, n);
	return (struct sbiret){ SBI_SUCCESS, n };
}

/* Legacy extensions (spec ch. 5): returns the value for a0. */
static int64_t sbi_legacy(struct hart *h, uint64_t eid)
{
	hartset t;
	int64_t e;
	switch (eid) {
	case EID_LEGACY_SET_TIMER: set_timer(h, h->x[10]); return 0;
	case EID_LEGACY_PUTCHAR: console_putc(h->m, (uint8_t)h->x[10]); return 0;
	case EID_LEGACY_GETCHAR: return -1; /* no input */
	case EID_LEGACY_CLEAR_IPI: hart_set_mip(h, MIP_SSIP, false); return 0;
	case EID_LEGACY_SEND_IPI:
		e = legacy_hart_mask(h, h->x[10], &t);
		if (e == SBI_SUCCESS)
			send_ipis(h->m, t);
		return e;
	case EID_LEGACY_FENCE_I:
	case EID_LEGACY_SFENCE_VMA:
	case EID_LEGACY_SFENCE_VMA_ASID:
		e = legacy_hart_mask(h, h->x[10], &t);
		if (e == SBI_SUCCESS)
			remote_fence(h->m, t);
		return e;
	default: /* EID_LEGACY_SHUTDOWN */ machine_halt(h->m, 0, "SBI shutdown"); return 0;
	}
}

void sbi_ecall(struct hart *h)
{
	uint64_t eid = h->x[17], fid = h->x[16];
	STAT_CHARGE(h, EV_SBI_CALL, h->m->cfg.cost.sbi_call);
	TRACE(h, SBI_CALL, eid, fid, h->x[10], 0);
	if (eid <= EID_LEGACY_SHUTDOWN) {
		h->x[10] = (uint64_t)sbi_legacy(h, eid);
		return;
	}
	struct sbiret r;
	switch (eid) {
	case EID_BASE: r = sbi_base(fid, h->x[10]); break;
	case EID_TIME:
		if (fid == 0) {
			set_timer(h, h->x[10]);
			r = (struct sbiret){ SBI_SUCCESS, 0 };
		} else {
			r = (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
		}
		break;
	case EID_IPI: r = sbi_ipi(h, fid); break;
	case EID_RFENCE: r = sbi_rfence(h, fid); break;
	case EID_SRST: r = sbi_srst(h, fid); break;
	case EID_DBCN: r = sbi_dbcn(h, fid); break;
	default: r = (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 }; break;
	}
	h->x[10] = (uint64_t)r.error;
	h->x[11] = r.value;
}
