/*
 * import_kvm.c - a KVM ftrace text file becomes a vtlab run (contract:
 * import_kvm.h; the mapping of events is documented in analyze/README.md).
 *
 * Lines are split by kvm_line.c, KVM events parsed by kvm_event.c; this
 * file turns them into trace records, counters and losses.  Per host CPU it
 * assembles a kvmmmu page-table walk (kvm_mmu_pagetable_walk, then one
 * kvm_mmu_paging_element per level, then possibly kvm_mmu_walker_error)
 * into one PT_WALK record; per vCPU it measures the time from each kvm_exit
 * to the next kvm_entry, which becomes the exit's "cycles" (host ns).
 */
#include "import_kvm.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "kvm_event.h"
#include "kvm_line.h"

#define BATCH 4096
#define MAX_VCPUS 256 /* trace_record.vcpu is 8 bits */
#define X86_PF_VECTOR 14

struct cpu_state { /* per host CPU of the trace */
	int walk_active, walk_fault;
	unsigned walk_refs, last_level;
	uint64_t walk_addr, last_pte, walk_ts;
	unsigned walk_vcpu;
	uint64_t last_ts;
	int loss_pending;
	uint64_t loss_n, loss_first;
};

struct vcpu_state {
	uint64_t seq;
	int exit_pending;
	uint64_t exit_ts;
	size_t exit_counter;
};

struct counter {
	unsigned vcpu;
	const char *event;
	char reason[KVM_REASON_MAX];
	int64_t code;          /* stored reason number to name, -1 none */
	const char *code_name; /* its current kernel name (old names are aliases) */
	uint64_t n, cycles;
};

struct pid_vcpu {
	long pid;
	unsigned vcpu;
};

struct importer {
	struct db *db; /* NULL: parse only */
	int64_t run;
	struct kvm_import_stats *st;
	struct trace_record batch[BATCH];
	size_t nbatch;
	struct cpu_state *cpus;
	size_t ncpus;
	struct vcpu_state vcpus[MAX_VCPUS];
	struct counter *counters;
	size_t ncounters, capcounters;
	struct pid_vcpu *pids;
	size_t npids, cappids;
	uint64_t lineno;
	int have_ts; /* st->first_ns holds a time: 0 is one (counter clocks start there) */
	int failed;
	char *err;
	size_t errlen;
};

static int fail(struct importer *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(im->err, im->errlen, fmt, ap);
	va_end(ap);
	im->failed = 1;
	return -1;
}

static int db_fail(struct importer *im)
{
	return fail(im, "%s", db_errmsg(im->db));
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(p, n * elem);
	if (q) {
		memset((char *)q + *cap * elem, 0, (n - *cap) * elem);
		*cap = n;
	}
	return q;
}

/* ---------------------------------------------------------------- outputs */

static int flush_batch(struct importer *im)
{
	if (im->db && im->nbatch && db_events_insert(im->db, im->run, im->batch, im->nbatch))
		return db_fail(im);
	im->nbatch = 0;
	return 0;
}

static int emit(struct importer *im, uint64_t ts, unsigned vcpu, unsigned level, unsigned type,
		uint32_t reason, uint64_t a0, uint64_t a1, uint64_t aux)
{
	struct trace_record *r = &im->batch[im->nbatch++];
	*r = (struct trace_record){ .cycles = ts,
				    .type = (uint16_t)type,
				    .vcpu = (uint8_t)vcpu,
				    .level = (uint8_t)level,
				    .reason = reason,
				    .addr0 = a0,
				    .addr1 = a1,
				    .aux = aux,
				    .seq = im->vcpus[vcpu].seq++ };
	im->st->stored++;
	return im->nbatch == BATCH ? flush_batch(im) : 0;
}

/* counters(vcpu, event, reason) += 1; returns its index or -1. */
static long count(struct importer *im, unsigned vcpu, const char *event, const char *reason,
		  int64_t code)
{
	for (size_t i = im->ncounters; i-- > 0;) {
		struct counter *c = &im->counters[i];
		if (c->vcpu == vcpu && c->event == event && strcmp(c->reason, reason) == 0) {
			c->n++;
			return (long)i;
		}
	}
	struct counter *t = grow(im->counters, &im->capcounters, im->ncounters + 1, sizeof *t);
	if (!t)
		return fail(im, "%s: out of memory", "import kvm");
	im->counters = t;
	struct counter *c = &t[im->ncounters];
	*c = (struct counter){ .vcpu = vcpu, .event = event, .code = code, .n = 1 };
	snprintf(c->reason, sizeof c->reason, "%s", reason);
	return (long)im->ncounters++;
}

static int store_counters(struct importer *im)
{
	for (size_t i = 0; i < im->ncounters; i++) {
		struct counter *c = &im->counters[i];
		if (db_counter_add(im->db, im->run, c->vcpu, c->event, c->reason, c->n, c->cycles))
			return db_fail(im);
		if (c->code >= 0 && db_reason_name_set(im->db, c->event, c->code,
						       c->code_name ? c->code_name : c->reason))
			return db_fail(im);
	}
	return 0;
}

static void note_skipped(struct kvm_import_stats *st, const char *name, unsigned len)
{
	if (len >= sizeof st->skipped[0].name)
		len = sizeof st->skipped[0].name - 1;
	for (unsigned i = 0; i < st->nskipped; i++)
		if (strlen(st->skipped[i].name) == len &&
		    memcmp(st->skipped[i].name, name, len) == 0) {
			st->skipped[i].n++;
			return;
		}
	if (st->nskipped == KVM_IMPORT_NAMES)
		return;
	memcpy(st->skipped[st->nskipped].name, name, len);
	st->skipped[st->nskipped].name[len] = '\0';
	st->skipped[st->nskipped++].n = 1;
}

static void note_bad(struct importer *im, const char *line)
{
	if (im->st->first_bad_line)
		return;
	im->st->first_bad_line = im->lineno;
	snprintf(im->st->first_bad, sizeof im->st->first_bad, "%s", line);
}

/* ---------------------------------------------------------------- state */

static struct cpu_state *cpu_of(struct importer *im, unsigned cpu)
{
	struct cpu_state *c = grow(im->cpus, &im->ncpus, (size_t)cpu + 1, sizeof *c);
	if (!c) {
		fail(im, "%s: out of memory", "import kvm");
		return NULL;
	}
	im->cpus = c;
	return &c[cpu];
}

/* A QEMU vCPU thread's name, exactly "CPU N/KVM" with N decimal digits that
 * fit an unsigned: sets *v.  sscanf("%u") was undefined on an overflowing N
 * and took "CPU -1/KVM", "CPU  2/KVM" or "CPU 1x/KVM" (found by fuzzing);
 * any other name is not a vCPU thread. */
static bool qemu_vcpu_thread(const char *task, unsigned *v)
{
	unsigned x = 0;
	if (strncmp(task, "CPU ", 4) != 0 || task[4] < '0' || task[4] > '9')
		return false;
	const char *p = task + 4;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (UINT_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	if (strcmp(p, "/KVM") != 0)
		return false;
	*v = x;
	return true;
}

/* The vCPU of an event: from the line, else the last one its thread
 * reported, else the "CPU N/KVM" thread name QEMU gives vCPU threads. */
static unsigned vcpu_of(struct importer *im, const struct kvm_line *l, const struct kvm_event *ev)
{
	unsigned v;
	if (ev->vcpu >= 0) {
		v = ev->vcpu < MAX_VCPUS ? (unsigned)ev->vcpu : MAX_VCPUS - 1;
		for (size_t i = 0; i < im->npids; i++)
			if (im->pids[i].pid == l->pid) {
				im->pids[i].vcpu = v;
				return v;
			}
		struct pid_vcpu *p = grow(im->pids, &im->cappids, im->npids + 1, sizeof *p);
		if (p) {
			im->pids = p;
			p[im->npids++] = (struct pid_vcpu){ l->pid, v };
		}
		return v;
	}
	for (size_t i = 0; i < im->npids; i++)
		if (im->pids[i].pid == l->pid)
			return im->pids[i].vcpu;
	if (qemu_vcpu_thread(l->task, &v))
		return v < MAX_VCPUS ? v : MAX_VCPUS - 1;
	return 0;
}

/* Physical address reached by a walk: the last PTE's frame plus the page
 * offset for its level (x86-64 4-level paging; PS bit 7 ends the walk at
 * level 2 or 3; Intel SDM vol. 3, 4.5).  The level comes from the text: any
 * other level with PS set is not a large page (and 1 << (12 + 9 * (level -
 * 1)) would overflow for a level above 6). */
static uint64_t walk_target(const struct cpu_state *c)
{
	unsigned level = c->last_level;
	int large = (level == 2 || level == 3) && (c->last_pte & 0x80);
	uint64_t page = large ? 1ull << (12 + 9 * (level - 1)) : 4096;
	uint64_t frame = c->last_pte & 0x000ffffffffff000ull & ~(page - 1);
	return frame | (c->walk_addr & (page - 1));
}

static int finish_walk(struct importer *im, struct cpu_state *c)
{
	if (!c->walk_active)
		return 0;
	c->walk_active = 0;
	uint32_t result = c->walk_fault ? X86_PF_VECTOR : 0;
	if (count(im, c->walk_vcpu, "pt_walk", c->walk_fault ? "fault" : "ok", -1) < 0)
		return -1;
	return emit(im, c->walk_ts, c->walk_vcpu, 1, TP_PT_WALK, result, c->walk_addr,
		    c->walk_fault ? 0 : walk_target(c), c->walk_refs);
}

static int finish_loss(struct importer *im, unsigned cpu, struct cpu_state *c, uint64_t ts)
{
	if (!c->loss_pending)
		return 0;
	c->loss_pending = 0;
	if (im->db && db_loss_add(im->db, im->run, cpu < MAX_VCPUS ? cpu : MAX_VCPUS - 1, c->loss_n,
				  c->loss_first, ts))
		return db_fail(im);
	return 0;
}

/* ---------------------------------------------------------------- events */

static void note_isa(struct importer *im, enum kvm_isa isa)
{
	if (isa != KVM_ISA_UNKNOWN && im->st->isa == KVM_ISA_UNKNOWN)
		im->st->isa = isa;
}

static int on_vm_exit(struct importer *im, const struct kvm_line *l, const struct kvm_event *ev,
		      unsigned vcpu)
{
	int nested = ev->kind == KVM_EV_NESTED_EXIT;
	enum kvm_isa isa = ev->isa != KVM_ISA_UNKNOWN ? ev->isa : im->st->isa;
	uint32_t stored = kvm_reason_stored(isa, ev->code);
	char name[KVM_REASON_MAX];
	if (ev->isa == KVM_ISA_UNKNOWN || !ev->reason[0])
		snprintf(name, sizeof name, "%" PRIu32, stored);
	else
		snprintf(name, sizeof name, "%s", ev->reason);
	note_isa(im, ev->isa);
	int named = ev->isa != KVM_ISA_UNKNOWN;
	long ci = count(im, vcpu, nested ? "nested_exit" : "vm_exit", name,
			named ? (int64_t)stored : -1);
	if (ci < 0)
		return -1;
	if (named)
		im->counters[ci].code_name = kvm_reason_name(isa, ev->code);
	if (!nested) {
		im->st->exits++;
		struct vcpu_state *v = &im->vcpus[vcpu];
		v->exit_pending = 1;
		v->exit_ts = l->ts_ns;
		v->exit_counter = (size_t)ci;
	}
	return emit(im, l->ts_ns, vcpu, nested ? 2 : 1, nested ? TP_NESTED_EXIT : TP_VM_EXIT,
		    stored, ev->rip, ev->info1, ev->info2);
}

static int on_entry(struct importer *im, const struct kvm_line *l, unsigned vcpu)
{
	struct vcpu_state *v = &im->vcpus[vcpu];
	if (v->exit_pending && l->ts_ns >= v->exit_ts)
		im->counters[v->exit_counter].cycles += l->ts_ns - v->exit_ts;
	v->exit_pending = 0;
	return 0;
}

/* Events with no vtlab tracepoint: counted by reason, not stored. */
static int on_not_stored(struct importer *im, const struct kvm_line *l, const struct kvm_event *ev,
			 unsigned vcpu)
{
	im->st->not_stored++;
	note_skipped(im->st, l->event, l->event_len);
	if (ev->kind == KVM_EV_USERSPACE_EXIT)
		return count(im, vcpu, "kvm_userspace_exit", ev->reason, -1) < 0 ? -1 : 0;
	if (ev->kind == KVM_EV_EMULATE_INSN)
		return count(im, vcpu, "kvm_emulate_insn", ev->failed ? "failed" : ev->reason, -1) <
				       0
			       ? -1
			       : 0;
	return 0;
}

static int on_io(struct importer *im, const struct kvm_line *l, const struct kvm_event *ev,
		 unsigned vcpu)
{
	int pio = ev->kind == KVM_EV_PIO;
	unsigned type = ev->write ? TP_MMIO_WRITE : TP_MMIO_READ;
	/* aux: bit 0 port I/O, bit 1 unsatisfied read (the value comes from
	 * user space in a second kvm_mmio "read" line), bits 8+ pio count. */
	uint64_t aux = (uint64_t)pio | (uint64_t)ev->unsatisfied << 1 | (uint64_t)ev->count << 8;
	if (!ev->unsatisfied &&
	    count(im, vcpu, ev->write ? "mmio_write" : "mmio_read", pio ? "pio" : "mmio", -1) < 0)
		return -1;
	return emit(im, l->ts_ns, vcpu, 1, type, ev->size, ev->addr, ev->val, aux);
}

static int on_mmu(struct importer *im, const struct kvm_line *l, const struct kvm_event *ev,
		  unsigned vcpu, struct cpu_state *c)
{
	switch (ev->kind) {
	case KVM_EV_MMU_WALK:
		*c = (struct cpu_state){ .walk_active = 1,
					 .walk_addr = ev->addr,
					 .walk_ts = l->ts_ns,
					 .walk_vcpu = vcpu,
					 .last_ts = c->last_ts,
					 .loss_pending = c->loss_pending,
					 .loss_n = c->loss_n,
					 .loss_first = c->loss_first };
		return 0;
	case KVM_EV_MMU_ELEMENT:
		if (c->walk_active) {
			c->walk_refs++;
			c->last_pte = ev->val;
			c->last_level = ev->count;
		}
		return 0;
	case KVM_EV_MMU_WALK_ERROR: c->walk_fault = 1; return finish_walk(im, c);
	case KVM_EV_MMU_ZAP_PAGE:
	case KVM_EV_MMU_ZAP_ALL: {
		int all = ev->kind == KVM_EV_MMU_ZAP_ALL;
		if (count(im, vcpu, "shadow_flush", all ? "zap_all_fast" : "zap_page", -1) < 0)
			return -1;
		return emit(im, l->ts_ns, vcpu, 1, TP_SHADOW_FLUSH, all ? 0 : 2, ev->addr, 0,
			    all ? ev->val : 1);
	}
	default: return on_not_stored(im, l, ev, vcpu);
	}
}

static int on_event(struct importer *im, const struct kvm_line *l, const struct kvm_event *ev)
{
	unsigned vcpu = vcpu_of(im, l, ev);
	struct cpu_state *c = cpu_of(im, l->cpu);
	if (!c || finish_loss(im, l->cpu, c, l->ts_ns))
		return -1;
	c->last_ts = l->ts_ns;
	if (ev->kind != KVM_EV_MMU_ELEMENT && ev->kind != KVM_EV_MMU_WALK_ERROR &&
	    finish_walk(im, c))
		return -1;
	if (vcpu + 1 > im->st->vcpus)
		im->st->vcpus = vcpu + 1;
	switch (ev->kind) {
	case KVM_EV_EXIT:
	case KVM_EV_NESTED_EXIT: return on_vm_exit(im, l, ev, vcpu);
	case KVM_EV_ENTRY:
		if (count(im, vcpu, "vm_entry", "", -1) < 0 || on_entry(im, l, vcpu))
			return -1;
		return emit(im, l->ts_ns, vcpu, 1, TP_VM_ENTRY, 0, ev->rip, 0, 0);
	case KVM_EV_PAGE_FAULT:
		/* A fault KVM's MMU handles (EPT/NPT violation or shadow #PF):
		 * an exception taken by the host (level 0) for the guest. */
		if (count(im, vcpu, "exception", "kvm_page_fault",
			  KVM_VECTOR_TAG_X86 | X86_PF_VECTOR) < 0)
			return -1;
		return emit(im, l->ts_ns, vcpu, 0, TP_EXCEPTION, KVM_VECTOR_TAG_X86 | X86_PF_VECTOR,
			    ev->rip, ev->addr, ev->error_code);
	case KVM_EV_INJ_EXCEPTION:
		if (count(im, vcpu, "inject", ev->reason, KVM_VECTOR_TAG_X86 | (ev->code & 0xff)) <
		    0)
			return -1;
		return emit(im, l->ts_ns, vcpu, 1, TP_INJECT,
			    KVM_VECTOR_TAG_X86 | (ev->code & 0xff), 0, 0,
			    ev->has_error ? ev->error_code : 0);
	case KVM_EV_MMIO:
	case KVM_EV_PIO: return on_io(im, l, ev, vcpu);
	case KVM_EV_HYPERCALL: {
		char nr[24];
		snprintf(nr, sizeof nr, "%" PRIu32, ev->code);
		if (count(im, vcpu, "hypercall", nr, -1) < 0)
			return -1;
		return emit(im, l->ts_ns, vcpu, 1, TP_HYPERCALL, ev->code, ev->val, ev->info1, 0);
	}
	case KVM_EV_EMULATE_INSN:
	case KVM_EV_USERSPACE_EXIT: return on_not_stored(im, l, ev, vcpu);
	default: return on_mmu(im, l, ev, vcpu, c);
	}
}

static int on_lost(struct importer *im, const struct kvm_line *l)
{
	struct cpu_state *c = cpu_of(im, l->cpu);
	if (!c || finish_loss(im, l->cpu, c, c->last_ts))
		return -1;
	im->st->lost_lines++;
	im->st->lost_events += l->lost;
	*c = (struct cpu_state){ .last_ts = c->last_ts,
				 .loss_pending = 1,
				 .loss_n = l->lost,
				 .loss_first = c->last_ts,
				 .walk_active = 0 };
	return 0;
}

static int on_line(struct importer *im, char *line)
{
	line[strcspn(line, "\r\n")] = '\0';
	struct kvm_line l;
	struct kvm_event ev;
	im->st->lines++;
	switch (kvm_line_split(line, &l)) {
	case KVM_LINE_BLANK:
	case KVM_LINE_HEADER: im->st->headers++; return 0;
	case KVM_LINE_LOST: return on_lost(im, &l);
	case KVM_LINE_UNKNOWN:
		im->st->unknown++;
		note_bad(im, line);
		return 0;
	case KVM_LINE_EVENT: break;
	}
	if (!im->have_ts || l.ts_ns < im->st->first_ns)
		im->st->first_ns = l.ts_ns;
	if (!im->have_ts || l.ts_ns > im->st->last_ns)
		im->st->last_ns = l.ts_ns;
	im->have_ts = 1;
	switch (kvm_event_parse(l.event, l.event_len, l.body, &ev)) {
	case KVM_PARSE_OTHER:
		im->st->other_events++;
		note_skipped(im->st, l.event, l.event_len);
		return 0;
	case KVM_PARSE_BAD:
		im->st->malformed++;
		note_bad(im, line);
		return 0;
	case KVM_PARSE_OK: break;
	}
	return on_event(im, &l, &ev);
}

/* ---------------------------------------------------------------- passes */

static int read_file(struct importer *im, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return fail(im, "%s: cannot open: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	while (getline(&line, &cap, f) >= 0) {
		im->lineno++;
		if (on_line(im, line)) {
			rc = -1;
			break;
		}
	}
	if (!rc && ferror(f))
		rc = fail(im, "%s: read error at line %" PRIu64, path, im->lineno + 1);
	free(line);
	fclose(f);
	for (size_t i = 0; !rc && i < im->ncpus; i++)
		if (finish_walk(im, &im->cpus[i]) ||
		    finish_loss(im, (unsigned)i, &im->cpus[i], im->cpus[i].last_ts))
			rc = -1;
	return rc ? rc : flush_batch(im);
}

static void importer_free(struct importer *im)
{
	free(im->cpus);
	free(im->counters);
	free(im->pids);
	free(im);
}

static int run_pass(struct db *db, int64_t run, const char *path, struct kvm_import_stats *st,
		    char *err, size_t errlen)
{
	struct importer *im = calloc(1, sizeof *im);
	if (!im) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	im->db = db;
	im->run = run;
	im->st = st;
	im->err = err;
	im->errlen = errlen;
	int rc = read_file(im, path);
	if (!rc && db)
		rc = store_counters(im);
	importer_free(im);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* JSON string body: the path with quotes, backslashes and controls escaped. */
static void json_escape(char *out, size_t n, const char *s)
{
	size_t o = 0;
	for (; *s && o + 7 < n; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			o += (size_t)snprintf(out + o, n - o, "\\%c", ch);
		else if (ch < 0x20)
			o += (size_t)snprintf(out + o, n - o, "\\u%04x", ch);
		else
			out[o++] = (char)ch;
	}
	out[o] = '\0';
}

static int write_run(struct db *db, const char *path, struct kvm_import_stats *st, char *err,
		     size_t errlen)
{
	char file[1024], wparams[1200], params[2048];
	json_escape(file, sizeof file, path);
	snprintf(wparams, sizeof wparams, "{\"file\":\"%s\"}", file);
	snprintf(params, sizeof params,
		 "{\"source\":\"linux-ftrace\",\"file\":\"%s\",\"isa\":\"%s\",\"lines\":%" PRIu64
		 ",\"unknown_lines\":%" PRIu64 ",\"malformed_lines\":%" PRIu64
		 ",\"lost_events\":%" PRIu64 ",\"cycles_unit\":\"ns\"}",
		 file, kvm_isa_name(st->isa), st->lines, st->unknown, st->malformed,
		 st->lost_events);
	struct db_run_meta meta = { .config = KVM_IMPORT_CONFIG,
				    .workload = base_name(path),
				    .workload_params = wparams,
				    .vcpus = st->vcpus ? st->vcpus : 1,
				    .params_json = params,
				    .trace_spec = "all",
				    .vtlab_version = VTLAB_VERSION };
	if (db_run_begin(db, &meta, &st->run_id)) {
		snprintf(err, errlen, "%s", db_errmsg(db));
		return -1;
	}
	struct kvm_import_stats second = { .isa = st->isa };
	int rc = db_tx_begin(db);
	if (rc)
		snprintf(err, errlen, "%s", db_errmsg(db));
	else
		rc = run_pass(db, st->run_id, path, &second, err, errlen);
	if (!rc && db_tx_commit(db)) {
		snprintf(err, errlen, "%s", db_errmsg(db));
		rc = -1;
	}
	if (rc) {
		db_tx_rollback(db);
		db_run_finish(db, st->run_id, NULL, DB_RUN_FAILED);
		return -1;
	}
	uint64_t span = st->last_ns - st->first_ns;
	struct db_run_result res = { .cycles = span, .wall_ns = span, .exit_reason = "imported" };
	if (db_run_finish(db, st->run_id, &res, DB_RUN_COMPLETE)) {
		snprintf(err, errlen, "%s", db_errmsg(db));
		return -1;
	}
	return 0;
}

int kvm_import(struct db *db, const char *path, struct kvm_import_stats *st, char *err,
	       size_t errlen)
{
	memset(st, 0, sizeof *st);
	if (run_pass(NULL, 0, path, st, err, errlen))
		return -1;
	return db ? write_run(db, path, st, err, errlen) : 0;
}
