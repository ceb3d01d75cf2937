/*
 * stats.c - names of event kinds, exception causes and interrupt causes
 * (stats.h).
 *
 * Contract: every function returns a static, non-NULL string for any
 * argument, so callers may print the result directly.  Names are short
 * snake_case identifiers, usable as JSON keys and SQL values; causes with
 * no assigned meaning are named "reserved_N" (or "custom_N" in ranges the
 * spec leaves for custom use), so each cause below 64 has a distinct name.
 */
#include "stats.h"

#include <stddef.h>

static const char *const ev_names[EV_COUNT] = {
#define X(id, name, desc) [EV_##id] = name,
#include "events.def"
#undef X
};

static const char *const ev_descs[EV_COUNT] = {
#define X(id, name, desc) [EV_##id] = desc,
#include "events.def"
#undef X
};

const char *event_name(enum event_kind k)
{
	return (unsigned)k < EV_COUNT ? ev_names[k] : "unknown_event";
}

const char *event_desc(enum event_kind k)
{
	return (unsigned)k < EV_COUNT ? ev_descs[k] : "unknown event kind";
}

#define RES(n) [n] = "reserved_" #n
#define CUS(n) [n] = "custom_" #n

/* Exception codes: privileged spec 20211203, table 3.6 (mcause with
 * Interrupt = 0), with the hypervisor extension's codes (table 8.6).
 * 24-31 and 48-63 are designated for custom use; Svtlb uses 24-31 and 48,
 * named as in docs/platform.md 4.8 "Exception causes".  Laid out by hand:
 * clang-format would put one entry per line. */
/* clang-format off */
static const char *const exc_names[64] = {
	[0] = "insn_misaligned",
	[1] = "insn_access_fault",
	[2] = "illegal_insn",
	[3] = "breakpoint",
	[4] = "load_misaligned",
	[5] = "load_access_fault",
	[6] = "store_misaligned",
	[7] = "store_access_fault",
	[8] = "ecall_u",
	[9] = "ecall_s",
	[10] = "ecall_vs",
	[11] = "ecall_m",
	[12] = "insn_page_fault",
	[13] = "load_page_fault",
	RES(14),
	[15] = "store_page_fault",
	RES(16), RES(17), RES(18), RES(19),
	[20] = "insn_guest_page_fault",
	[21] = "load_guest_page_fault",
	[22] = "virtual_insn",
	[23] = "store_guest_page_fault",
	[24] = "itlb_miss",
	[25] = "dtlb_miss",
	[26] = "alt_itlb_miss",
	[27] = "alt_dtlb_miss",
	[28] = "vhpt_fault",
	[29] = "page_not_present",
	[30] = "access_rights",
	[31] = "dirty_bit",
	RES(32), RES(33), RES(34), RES(35), RES(36), RES(37), RES(38), RES(39),
	RES(40), RES(41), RES(42), RES(43), RES(44), RES(45), RES(46), RES(47),
	[48] = "access_bit", [49] = "nested_dtlb_miss", CUS(50), CUS(51), CUS(52), CUS(53), CUS(54), CUS(55),
	CUS(56), CUS(57), CUS(58), CUS(59), CUS(60), CUS(61), CUS(62), CUS(63),
};

/* Interrupt codes: privileged spec 20211203, table 3.6 (Interrupt = 1),
 * with the hypervisor extension's VS-level and guest-external ones. */
static const char *const irq_names[16] = {
	RES(0),
	[1] = "s_soft",
	[2] = "vs_soft",
	[3] = "m_soft",
	RES(4),
	[5] = "s_timer",
	[6] = "vs_timer",
	[7] = "m_timer",
	RES(8),
	[9] = "s_ext",
	[10] = "vs_ext",
	[11] = "m_ext",
	[12] = "sg_ext",
	RES(13), RES(14), RES(15),
};
/* clang-format on */

const char *exception_name(unsigned cause)
{
	return cause < 64 ? exc_names[cause] : "reserved";
}

const char *interrupt_name(unsigned cause)
{
	return cause < 16 ? irq_names[cause] : "reserved";
}
