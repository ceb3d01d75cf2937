/*
 * hv_pv.c - the paravirtual kernel's hypercalls (docs/platform.md 4.10):
 * TLB inserts and purges, alone or batched, performed on the same vMMU
 * (vTLB, machine VHPT, machine TLB) as the trapped CSR writes.
 *
 * Contract: hv_pv_call() serves an ecall whose a7 is the vtlab hypercall
 * EID (returns 1) and leaves any other ecall alone (returns 0).  Values are
 * validated as the CSRs are (docs/platform.md 4.6): an invalid page size,
 * side, slot or unimplemented address is -3 (invalid parameter) and does
 * nothing; a batch not wholly in the guest's RAM is -5.  The call is one
 * exit charged cost.hv_hypercall, plus cost.hv_emulate per operation.
 */
#include "hv_priv.h"
#include "le_bytes.h"
#include "trace.h"

#define HC_EID 0x0A7C0000ull
enum { HC_ITC = 1, HC_ITR = 2, HC_PTC = 3, HC_PTC_E = 4, HC_BATCH = 5 };
enum { ERR_OK = 0, ERR_NOT_SUPPORTED = -2, ERR_INVALID_PARAM = -3, ERR_INVALID_ADDRESS = -5 };
#define HC_SIDE_I 1u
#define HC_SIDE_D 2u
#define BATCH_MAX 64
#define OP_BYTES 40 /* five little-endian u64: fid, a0..a3 */

int hv_pv_call(struct vcpu *v);

static bool insert_args_ok(uint64_t side, uint64_t va, uint64_t itir)
{
	return side >= 1 && side <= 3 && svtlb_ps_ok(ITIR_PS(itir)) && svtlb_va_implemented(va);
}

static int64_t hc_itc(struct vcpu *v, uint64_t side, uint64_t va, uint64_t itir, uint64_t pte)
{
	if (!insert_args_ok(side, va, itir))
		return ERR_INVALID_PARAM;
	if (side & HC_SIDE_I)
		hv_op_itc(v, SIDE_I, va, ITIR_PS(itir), pte);
	if (side & HC_SIDE_D)
		hv_op_itc(v, SIDE_D, va, ITIR_PS(itir), pte);
	return ERR_OK;
}

static int64_t hc_itr(struct vcpu *v, uint64_t side, uint64_t va, uint64_t itir, uint64_t pte,
		      uint64_t slot)
{
	if (!insert_args_ok(side, va, itir) || slot >= SVTLB_NTR)
		return ERR_INVALID_PARAM;
	if (side & HC_SIDE_I)
		hv_op_itr(v, SIDE_I, (unsigned)slot, va, ITIR_PS(itir), pte);
	if (side & HC_SIDE_D)
		hv_op_itr(v, SIDE_D, (unsigned)slot, va, ITIR_PS(itir), pte);
	return ERR_OK;
}

/* a0 = va | ps << 2, a1 = scope (0 local, 1 global), a2 = RID */
static int64_t hc_ptc(struct vcpu *v, uint64_t op, uint64_t scope, uint64_t rid)
{
	unsigned ps = (unsigned)((op >> 2) & 0x3f);
	uint64_t va = op & ~0xfffull;
	if (!svtlb_ps_ok(ps) || !svtlb_va_implemented(va) || scope > 1 || rid > 0xffffff)
		return ERR_INVALID_PARAM;
	hv_op_ptc(v, va, ps, (uint32_t)rid, scope == 1);
	return ERR_OK;
}

static int64_t batch_op(struct vcpu *v, const uint8_t *p)
{
	uint64_t fid = le64_load(p), a0 = le64_load(p + 8), a1 = le64_load(p + 16),
		 a2 = le64_load(p + 24), a3 = le64_load(p + 32);
	v->h->cycles += v->h->m->cfg.cost.hv_emulate;
	v->st.hypercall_ops++;
	switch (fid) {
	case HC_ITC: return hc_itc(v, a0, a1, a2, a3);
	case HC_PTC: return hc_ptc(v, a0, a1, a2);
	case HC_PTC_E: hv_op_ptc_e(v); return ERR_OK;
	default: return ERR_INVALID_PARAM;
	}
}

/* a0 = guest-physical address of n operations, a1 = n; a1 returns the
 * number performed, or the index of the failing one with a0 its error. */
static int64_t hc_batch(struct vcpu *v, uint64_t gpa, uint64_t n, uint64_t *done)
{
	uint64_t mpa;
	*done = 0;
	if (n < 1 || n > BATCH_MAX)
		return ERR_INVALID_PARAM;
	if (hv_p2m(v->hv, gpa, n * OP_BYTES, &mpa) != P2M_RAM)
		return ERR_INVALID_ADDRESS;
	const uint8_t *ops = phys_ram_ptr(v->h->m, mpa, n * OP_BYTES);
	for (uint64_t i = 0; i < n; i++) {
		int64_t e = batch_op(v, ops + i * OP_BYTES);
		if (e) {
			*done = i;
			return e;
		}
	}
	*done = n;
	return ERR_OK;
}

int hv_pv_call(struct vcpu *v)
{
	struct hart *h = v->h;
	if (h->x[17] != HC_EID)
		return 0;
	uint64_t fid = h->x[16], *a = &h->x[10], value = 0;
	int64_t err;
	uint64_t t0 = hv_exit_begin(v, HVX_HYPERCALL, fid, h->m->cfg.cost.hv_hypercall);
	TRACE(h, HYPERCALL, fid, a[0], a[1], 0);
	if (fid != HC_BATCH) {
		h->cycles += h->m->cfg.cost.hv_emulate;
		v->st.hypercall_ops++;
	}
	switch (fid) {
	case HC_ITC: err = hc_itc(v, a[0], a[1], a[2], a[3]); break;
	case HC_ITR: err = hc_itr(v, a[0], a[1], a[2], a[3], a[4]); break;
	case HC_PTC: err = hc_ptc(v, a[0], a[1], a[2]); break;
	case HC_PTC_E:
		hv_op_ptc_e(v);
		err = ERR_OK;
		break;
	case HC_BATCH: err = hc_batch(v, a[0], a[1], &value); break;
	default: err = ERR_NOT_SUPPORTED; break;
	}
	a[0] = (uint64_t)err;
	a[1] = value;
	hv_exit_end(v, HVX_HYPERCALL, t0);
	return 1;
}
