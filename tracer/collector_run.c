/*
 * collector_run.c - the run's metadata, results and counters as they come
 * over the control channel, and their storage through db/db.h
 * (collector_run.h).
 *
 * Contract: see collector_run.h.  Lines taken here (after ctl_split):
 *   meta KEY VALUE        config workload workload_params vcpus repetition
 *                         vtlab_version trace campaign campaign_file
 *   param NAME VALUE      one leaf of runs.params
 *   cost NAME VALUE       one leaf of runs.costs (a non-negative integer)
 *   reason EVENT CODE NAME   a name for a numeric reason (reason_names)
 *   result KEY VALUE      status (complete|failed) exit_code exit_reason
 *                         instructions cycles wall_ns metric_name
 *                         metric_value (a finite number) output_digest
 *   vcpu ID INSTRUCTIONS CYCLES   stored as the counter "instructions"
 *   counter VCPU EVENT REASON N CYCLES   added to counters
 * Unknown meta and result keys are errors (a typo must not vanish).
 */
#include "collector_run.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector_proto.h"
#include "db.h"
#include "errmsg.h"

#define MAX_COUNTERS 65536
#define MAX_REASONS 4096

/* ---------------------------------------------------------------- strbuf */

static void sb_add(struct strbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_str(struct strbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* A JSON string literal (RFC 8259 section 7). */
static void sb_json_string(struct strbuf *b, const char *s)
{
	sb_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			sb_add(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			sb_str(b, esc);
		} else {
			sb_add(b, (const char *)&c, 1);
		}
	}
	sb_add(b, "\"", 1);
}

/* A plain decimal integer without a superfluous leading zero, from 0 to
 * INT64_MAX: SQLite's JSON turns a larger one (19 digits reach
 * 9999999999999999999) into a real, 9223372036854775808 into
 * 9.22337203685478e+18, so it stays a string. */
static bool is_decimal(const char *s)
{
	size_t len = strlen(s);
	if (!*s || (s[0] == '0' && s[1]) || len > 19 ||
	    (len == 19 && strcmp(s, "9223372036854775807") > 0))
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Appends "name": value to a JSON object under construction. */
static void sb_json_member(struct strbuf *b, const char *name, const char *value)
{
	sb_str(b, b->len ? "," : "{");
	sb_json_string(b, name);
	sb_add(b, ":", 1);
	if (is_decimal(value) || strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
		sb_str(b, value);
	else
		sb_json_string(b, value);
}

/* The object's text ("{...}"), or NULL when empty. */
static char *sb_json_close(struct strbuf *b)
{
	if (!b->len)
		return NULL;
	if (b->s[b->len - 1] != '}')
		sb_add(b, "}", 1);
	return b->oom ? NULL : b->s;
}

/* ---------------------------------------------------------------- lines */

void run_info_init(struct run_info *ri)
{
	memset(ri, 0, sizeof *ri);
}

void run_info_free(struct run_info *ri)
{
	char **strs[] = { &ri->config,        &ri->workload,    &ri->workload_params,
			  &ri->trace_spec,    &ri->version,     &ri->campaign,
			  &ri->campaign_file, &ri->exit_reason, &ri->metric_name,
			  &ri->output_digest };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	free(ri->params.s);
	free(ri->costs.s);
	for (size_t i = 0; i < ri->ncounters; i++) {
		free(ri->counters[i].event);
		free(ri->counters[i].reason);
	}
	free(ri->counters);
	for (size_t i = 0; i < ri->nhost; i++)
		free(ri->host[i].name);
	for (size_t i = 0; i < ri->nreasons; i++) {
		free(ri->reasons[i].event);
		free(ri->reasons[i].name);
	}
	free(ri->reasons);
	run_info_init(ri);
}

static int set_str(char **dst, const char *v, char *err, size_t errlen)
{
	char *p = strdup(v);
	if (!p) {
		tracer_errmsg(err, errlen, "vtlab collect: out of memory");
		return -1;
	}
	free(*dst);
	*dst = p;
	return 1;
}

static int parse_num(const char *what, const char *v, uint64_t max, uint64_t *out, char *err,
		     size_t errlen)
{
	uint64_t x;
	if (!ctl_parse_u64(v, max, &x)) {
		char q[CTL_QUOTE_MAX];
		tracer_errmsg(
			err, errlen,
			"vtlab collect: control line '%s': value '%s': expected an integer from 0 "
			"to %" PRIu64,
			what, ctl_quote(v, q, sizeof q), max);
		return -1;
	}
	*out = x;
	return 0;
}

static int meta_line(struct run_info *ri, const char *key, const char *v, char *err, size_t errlen)
{
	uint64_t n;
	struct {
		const char *key;
		char **dst;
	} strs[] = {
		{ "config", &ri->config },
		{ "workload", &ri->workload },
		{ "workload_params", &ri->workload_params },
		{ "vtlab_version", &ri->version },
		{ "trace", &ri->trace_spec },
		{ "campaign", &ri->campaign },
		{ "campaign_file", &ri->campaign_file },
	};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (strcmp(key, strs[i].key) == 0)
			return set_str(strs[i].dst, v, err, errlen);
	if (strcmp(key, "vcpus") == 0 || strcmp(key, "repetition") == 0) {
		if (parse_num(key, v, 1u << 20, &n, err, errlen))
			return -1;
		*(strcmp(key, "vcpus") == 0 ? &ri->vcpus : &ri->repetition) = (unsigned)n;
		return 1;
	}
	char q[CTL_QUOTE_MAX];
	tracer_errmsg(err, errlen, "vtlab collect: control line 'meta %s': unknown key",
		      ctl_quote(key, q, sizeof q));
	return -1;
}

/* result metric_value V: a finite number.  strtod also takes "nan", "inf"
 * and overflowing values such as "1e999" (inf), which SQLite stores as
 * NULL or infinity: a metric that compares with nothing (found by
 * fuzzing). */
static int metric_value(struct run_info *ri, const char *v, char *err, size_t errlen)
{
	char *end;
	double x = strtod(v, &end);
	if (end == v || *end || !isfinite(x)) {
		char q[CTL_QUOTE_MAX];
		tracer_errmsg(
			err, errlen,
			"vtlab collect: control line 'result metric_value %s': expected a finite "
			"number",
			ctl_quote(v, q, sizeof q));
		return -1;
	}
	ri->metric_value = x;
	return 1;
}

static int result_line(struct run_info *ri, const char *key, const char *v, char *err,
		       size_t errlen)
{
	uint64_t n;
	char q[CTL_QUOTE_MAX];
	ri->has_result = true;
	if (strcmp(key, "status") == 0) {
		if (strcmp(v, "complete") && strcmp(v, "failed")) {
			tracer_errmsg(
				err, errlen,
				"vtlab collect: control line 'result status %s': expected complete "
				"or failed",
				ctl_quote(v, q, sizeof q));
			return -1;
		}
		ri->failed = strcmp(v, "failed") == 0;
		return 1;
	}
	if (strcmp(key, "exit_reason") == 0)
		return set_str(&ri->exit_reason, v, err, errlen);
	if (strcmp(key, "metric_name") == 0)
		return set_str(&ri->metric_name, v, err, errlen);
	if (strcmp(key, "output_digest") == 0)
		return set_str(&ri->output_digest, v, err, errlen);
	if (strcmp(key, "metric_value") == 0)
		return metric_value(ri, v, err, errlen);
	if (strcmp(key, "exit_code") == 0) {
		/* Validated like the other numbers: "abc" or a value past an int
		 * used to be stored as 0 or a truncated code. */
		char *end;
		errno = 0;
		long x = strtol(v, &end, 10);
		if (end == v || *end || errno || x < INT_MIN || x > INT_MAX) {
			tracer_errmsg(
				err, errlen,
				"vtlab collect: control line 'result exit_code %s': expected an "
				"integer from %d to %d",
				ctl_quote(v, q, sizeof q), INT_MIN, INT_MAX);
			return -1;
		}
		ri->exit_code = (int)x;
		return 1;
	}
	uint64_t *dst = strcmp(key, "instructions") == 0 ? &ri->instructions
			: strcmp(key, "cycles") == 0     ? &ri->cycles
			: strcmp(key, "wall_ns") == 0    ? &ri->wall_ns
							 : NULL;
	if (!dst) {
		tracer_errmsg(err, errlen, "vtlab collect: control line 'result %s': unknown key",
			      ctl_quote(key, q, sizeof q));
		return -1;
	}
	if (parse_num(key, v, INT64_MAX, &n, err, errlen))
		return -1;
	*dst = n;
	return 1;
}

static int add_counter(struct run_info *ri, uint64_t vcpu, const char *event, const char *reason,
		       uint64_t n, uint64_t cycles, char *err, size_t errlen)
{
	if (ri->ncounters >= MAX_COUNTERS) {
		tracer_errmsg(err, errlen, "vtlab collect: more than %d counter lines",
			      MAX_COUNTERS);
		return -1;
	}
	if ((ri->ncounters & (ri->ncounters - 1)) == 0) { /* 0, 1, 2, 4...: grow */
		size_t cap = ri->ncounters ? ri->ncounters * 2 : 64;
		struct counter_row *p = realloc(ri->counters, cap * sizeof *p);
		if (!p) {
			tracer_errmsg(err, errlen, "vtlab collect: out of memory");
			return -1;
		}
		ri->counters = p;
	}
	struct counter_row *c = &ri->counters[ri->ncounters];
	c->vcpu = (unsigned)vcpu;
	c->event = strdup(event);
	c->reason = strdup(reason);
	c->n = n;
	c->cycles = cycles;
	if (!c->event || !c->reason) {
		free(c->event);
		free(c->reason);
		tracer_errmsg(err, errlen, "vtlab collect: out of memory");
		return -1;
	}
	ri->ncounters++;
	return 1;
}

static int add_reason(struct run_info *ri, const char *event, const char *code, const char *name,
		      char *err, size_t errlen)
{
	uint64_t c;
	if (parse_num("reason", code, INT64_MAX, &c, err, errlen))
		return -1;
	if (ri->nreasons >= MAX_REASONS) {
		tracer_errmsg(err, errlen, "vtlab collect: more than %d reason lines", MAX_REASONS);
		return -1;
	}
	struct reason_row *p = realloc(ri->reasons, (ri->nreasons + 1) * sizeof *p);
	if (!p) {
		tracer_errmsg(err, errlen, "vtlab collect: out of memory");
		return -1;
	}
	ri->reasons = p;
	struct reason_row *r = &p[ri->nreasons];
	r->event = strdup(event);
	r->name = strdup(name);
	r->code = (int64_t)c;
	if (!r->event || !r->name) {
		free(r->event);
		free(r->name);
		tracer_errmsg(err, errlen, "vtlab collect: out of memory");
		return -1;
	}
	ri->nreasons++;
	return 1;
}

static int bad_arity(const char *verb, int want, char *err, size_t errlen)
{
	tracer_errmsg(err, errlen, "vtlab collect: control line '%s': expected %d arguments", verb,
		      want);
	return -1;
}

/* counter VCPU EVENT REASON N CYCLES, or vcpu ID INSTRUCTIONS CYCLES. */
static int counter_line(struct run_info *ri, int argc, char **argv, char *err, size_t errlen)
{
	bool vcpu_line = strcmp(argv[0], "vcpu") == 0;
	int want = vcpu_line ? 4 : 6;
	uint64_t v, n, cy;
	if (argc != want)
		return bad_arity(argv[0], want - 1, err, errlen);
	if (parse_num(argv[0], argv[1], 255, &v, err, errlen) ||
	    parse_num(argv[0], argv[want - 2], INT64_MAX, &n, err, errlen) ||
	    parse_num(argv[0], argv[want - 1], INT64_MAX, &cy, err, errlen))
		return -1;
	if (vcpu_line)
		return add_counter(ri, v, "instructions", "", n, cy, err, errlen);
	return add_counter(ri, v, argv[2], argv[3], n, cy, err, errlen);
}

/* host NAME VALUE SUPPORTED: a counter of the VMM process (host_counters.h);
 * SUPPORTED 0 says the host could not count it (VALUE is then ignored). */
static int host_line(struct run_info *ri, int argc, char **argv, char *err, size_t errlen)
{
	uint64_t v, ok;
	if (argc != 4)
		return bad_arity(argv[0], 3, err, errlen);
	if (parse_num("host", argv[2], INT64_MAX, &v, err, errlen) ||
	    parse_num("host", argv[3], 1, &ok, err, errlen))
		return -1;
	if (ri->nhost >= HOST_COUNTERS_MAX) {
		tracer_errmsg(err, errlen,
			      "vtlab collect: control line 'host': more than %d counters",
			      HOST_COUNTERS_MAX);
		return -1;
	}
	struct host_row *h = &ri->host[ri->nhost];
	h->name = strdup(argv[1]);
	if (!h->name) {
		tracer_errmsg(err, errlen, "vtlab collect: out of memory");
		return -1;
	}
	h->value = v;
	h->supported = (int)ok;
	ri->nhost++;
	return 1;
}

int run_info_line(struct run_info *ri, int argc, char **argv, char *err, size_t errlen)
{
	const char *verb = argv[0];
	if (strcmp(verb, "counter") == 0 || strcmp(verb, "vcpu") == 0)
		return counter_line(ri, argc, argv, err, errlen);
	if (strcmp(verb, "host") == 0)
		return host_line(ri, argc, argv, err, errlen);
	if (strcmp(verb, "reason") == 0)
		return argc == 4 ? add_reason(ri, argv[1], argv[2], argv[3], err, errlen)
				 : bad_arity(verb, 3, err, errlen);
	if (strcmp(verb, "meta") && strcmp(verb, "param") && strcmp(verb, "cost") &&
	    strcmp(verb, "result"))
		return 0;
	if (argc != 3)
		return bad_arity(verb, 2, err, errlen);
	if (strcmp(verb, "meta") == 0)
		return meta_line(ri, argv[1], argv[2], err, errlen);
	if (strcmp(verb, "result") == 0)
		return result_line(ri, argv[1], argv[2], err, errlen);
	if (strcmp(verb, "cost") == 0) {
		uint64_t n;
		if (parse_num("cost", argv[2], INT64_MAX, &n, err, errlen))
			return -1;
		sb_json_member(&ri->costs, argv[1], argv[2]);
	} else {
		sb_json_member(&ri->params, argv[1], argv[2]);
	}
	return 1;
}

/* ---------------------------------------------------------------- storage */

int run_info_begin(struct db *db, struct run_info *ri, int64_t *run_id)
{
	struct db_run_meta m = {
		.config = ri->config ? ri->config : "native",
		.workload = ri->workload ? ri->workload : "",
		.workload_params = ri->workload_params,
		.vcpus = ri->vcpus ? ri->vcpus : 1,
		.repetition = ri->repetition,
		.params_json = sb_json_close(&ri->params),
		.costs_json = sb_json_close(&ri->costs),
		.trace_spec = ri->trace_spec ? ri->trace_spec : "none",
		.vtlab_version = ri->version,
	};
	if (ri->campaign &&
	    db_campaign_get_or_create(db, ri->campaign, ri->campaign_file, &m.campaign_id))
		return -1;
	if (db_run_begin(db, &m, run_id))
		return -1;
	for (size_t i = 0; i < ri->nreasons; i++)
		if (db_reason_name_set(db, ri->reasons[i].event, ri->reasons[i].code,
				       ri->reasons[i].name))
			return -1;
	return 0;
}

int run_info_finish(struct db *db, struct run_info *ri, int64_t run_id, bool vmm_gone)
{
	for (size_t i = 0; i < ri->ncounters; i++) {
		const struct counter_row *c = &ri->counters[i];
		if (db_counter_add(db, run_id, c->vcpu, c->event, c->reason, c->n, c->cycles))
			return -1;
	}
	for (size_t i = 0; i < ri->nhost; i++)
		if (db_host_counter_add(db, run_id, ri->host[i].name, ri->host[i].value,
					ri->host[i].supported))
			return -1;
	struct db_run_result r = {
		.instructions = ri->instructions,
		.cycles = ri->cycles,
		.metric_name = ri->metric_name,
		.metric_value = ri->metric_value,
		.output_digest = ri->output_digest,
		.wall_ns = ri->wall_ns,
		.exit_code = ri->exit_code,
		.exit_reason = ri->exit_reason,
	};
	enum db_run_status st = vmm_gone     ? DB_RUN_INCOMPLETE
				: ri->failed ? DB_RUN_FAILED
					     : DB_RUN_COMPLETE;
	return db_run_finish(db, run_id, ri->has_result ? &r : NULL, st);
}
