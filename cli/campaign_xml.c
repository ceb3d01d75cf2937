/*
 * campaign_xml.c - reads a campaign file: libxml2 parses it, the schema
 * compiled into vtlab (campaign_schema.c, from campaigns/campaign.xsd)
 * validates it, and the elements are copied into a struct campaign
 * (campaign.h).
 *
 * Contract: see campaign.h.  The file is untrusted input: it is parsed
 * without network access, external entities or DTD loading (libxml2's
 * defaults, plus XML_PARSE_NONET), and libxml2's own limits bound entity
 * expansion.  What the schema cannot say (a value given twice in one axis,
 * more values than CAMPAIGN_MAX_VALUES) is checked here, with the line.
 */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign.h"
#include "campaign_schema.h"
#include "options.h"

#define MAX_MESSAGES 10 /* problems reported from one file */

/* ---------------------------------------------------------------- strings */

/* Every string of a loaded campaign, freed together. */
struct arena {
	char **s;
	size_t n, cap;
};

static const char *arena_keep(struct arena *a, const char *text, size_t len)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		char **s = realloc(a->s, cap * sizeof *s);
		if (!s)
			return NULL;
		a->s = s;
		a->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	a->s[a->n++] = copy;
	return copy;
}

void campaign_free(struct campaign *c)
{
	struct arena *a = c->mem;
	if (a) {
		for (size_t i = 0; i < a->n; i++)
			free(a->s[i]);
		free(a->s);
		free(a);
	}
	memset(c, 0, sizeof *c);
}

/* ---------------------------------------------------------------- errors */

/* Where messages go: "FILE:LINE: message" lines, at most MAX_MESSAGES. */
struct errbuf {
	const char *file;
	char *buf;
	size_t len, used;
	unsigned count;
	/* the last validator message's line and subject ("Element 'vcpus':"),
	 * for restated_value() */
	int last_line;
	char last_subject[128];
};

static void err_add(struct errbuf *e, int line, const char *fmt, ...)
{
	if (e->count++ >= MAX_MESSAGES || e->used + 1 >= e->len)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t m = strlen(msg);
	while (m && (msg[m - 1] == '\n' || msg[m - 1] == ' '))
		msg[--m] = '\0';
	/* One problem, one "FILE:LINE: " line: libxml2 puts some details on
	 * a line of their own ("...UTF-8, indicate encoding !\nBytes: ..."). */
	for (char *nl = strchr(msg, '\n'); nl; nl = strchr(nl, '\n'))
		*nl = ' ';
	int n = line > 0 ? snprintf(e->buf + e->used, e->len - e->used, "%s%s:%d: %s",
				    e->used ? "\n" : "", e->file, line, msg)
			 : snprintf(e->buf + e->used, e->len - e->used, "%s%s: %s",
				    e->used ? "\n" : "", e->file, msg);
	if (n > 0)
		e->used = e->used + (size_t)n < e->len ? e->used + (size_t)n : e->len - 1;
}

static void err_finish(struct errbuf *e)
{
	if (e->count > MAX_MESSAGES && e->used + 1 < e->len)
		snprintf(e->buf + e->used, e->len - e->used, "\n%s: ... and %u more problems",
			 e->file, e->count - MAX_MESSAGES);
}

/* The schema validator says what is wrong with a value (a facet: not in
 * the set, under the minimum length, above the maximum) and then, for the
 * same element or attribute, that the value is not one of its type: the
 * second says nothing new ('9' is not a valid value of the list type
 * 'vcpuList').  Its messages start with their subject, up to ": ". */
static bool restated_value(struct errbuf *e, const xmlError *x)
{
	if (x->domain != XML_FROM_SCHEMASV || !x->message)
		return false;
	const char *end = strstr(x->message, ": ");
	size_t n = end ? (size_t)(end - x->message) : 0;
	bool same = x->line == e->last_line && n == strlen(e->last_subject) &&
		    strncmp(x->message, e->last_subject, n) == 0;
	e->last_line = x->line;
	snprintf(e->last_subject, sizeof e->last_subject, "%.*s", (int)n, x->message);
	return same && strstr(x->message, "is not a valid value of the ");
}

/* What a value of the schema's type must be, where libxml2 names only the
 * type ("'two' is not a valid value of the atomic type 'vcpuCount'"). */
static const char *expected_value(const char *message)
{
	static const struct {
		const char *type, *expected;
	} hints[] = {
		{ "'vcpuCount'", " (expected a vCPU count from 1 to 8)." },
		{ "'repetitionCount'", " (expected a whole number from 1 to 100)." },
		{ "'maxSeconds'", " (expected a whole number of seconds from 0 to 1000000000)." },
		{ "'xs:boolean'", " (expected true or false)." },
		{ "'xs:nonNegativeInteger'", " (expected a whole number, 0 or more)." },
		{ "'xs:positiveInteger'", " (expected a whole number, 1 or more)." },
	};
	const char *type = strstr(message, "is not a valid value of the atomic type ");
	for (size_t i = 0; type && i < sizeof hints / sizeof *hints; i++)
		if (strstr(type, hints[i].type))
			return hints[i].expected;
	return "";
}

/* libxml2's structured error handler: parser and validator messages. */
static void on_xml_error(void *ctx, xmlErrorPtr x)
{
	struct errbuf *e = ctx;
	/* libxml2 follows a bad attribute value with this remark at error
	 * level; the error before it says what is wrong. */
	if (x->level == XML_ERR_WARNING ||
	    (x->message && strstr(x->message, "No precomputed value available")) ||
	    restated_value(e, x))
		return;
	const char *m = x->message ? x->message : "malformed XML";
	int len = (int)strlen(m);
	while (len && (m[len - 1] == '\n' || m[len - 1] == ' '))
		len--;
	const char *expected = expected_value(m);
	if (*expected && len && m[len - 1] == '.')
		len--; /* the hint ends the sentence */
	err_add(e, x->line, "%.*s%s", len, m,
		x->code == XML_ERR_INVALID_CHAR
			? " (save the file as UTF-8, or name its encoding: <?xml version=\"1.0\" "
			  "encoding=\"ISO-8859-1\"?>)"
			: expected);
}

/* ---------------------------------------------------------------- schema */

/* The compiled schema, parsed once per process. */
static xmlSchemaPtr schema(struct errbuf *e)
{
	static xmlSchemaPtr parsed;
	if (parsed)
		return parsed;
	xmlSchemaParserCtxtPtr p = xmlSchemaNewMemParserCtxt(campaign_campaign_xsd,
							     (int)strlen(campaign_campaign_xsd));
	if (p) {
		xmlSchemaSetParserStructuredErrors(p, on_xml_error, e);
		parsed = xmlSchemaParse(p);
		xmlSchemaFreeParserCtxt(p);
	}
	if (!parsed)
		err_add(e, 0, "vtlab's own campaign schema does not load (a bug)");
	return parsed;
}

static int validate(xmlDocPtr doc, struct errbuf *e)
{
	xmlSchemaPtr s = schema(e);
	if (!s)
		return -1;
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(s);
	if (!v) {
		err_add(e, 0, "out of memory validating");
		return -1;
	}
	xmlSchemaSetValidStructuredErrors(v, on_xml_error, e);
	int r = xmlSchemaValidateDoc(v, doc);
	xmlSchemaFreeValidCtxt(v);
	if (r != 0 && e->count == 0)
		err_add(e, 0, "does not match the campaign schema (campaigns/campaign.xsd)");
	return r == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- elements */

struct reader {
	struct campaign *c;
	struct arena *a;
	struct errbuf *e;
	int oom;
};

static const char *keep(struct reader *r, const char *s)
{
	const char *k = s ? arena_keep(r->a, s, strlen(s)) : NULL;
	if (s && !k)
		r->oom = 1;
	return k;
}

/* A token (xs:token, xs:boolean, a number) as the schema read it: the
 * schema ignores the whitespace around it, so it is dropped. */
static const char *keep_token(struct reader *r, const char *s)
{
	if (!s)
		return NULL;
	s += strspn(s, " \t\r\n");
	size_t len = strlen(s);
	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	const char *k = arena_keep(r->a, s, len);
	if (!k)
		r->oom = 1;
	return k;
}

/* An attribute's value (the schema's default applied), kept; NULL if
 * absent.  A path keeps its spaces, any other value is a token. */
static const char *attr_value(struct reader *r, xmlNodePtr n, const char *name, bool path)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	const char *k = path ? keep(r, (const char *)v) : keep_token(r, (const char *)v);
	xmlFree(v);
	return k;
}

static const char *attr(struct reader *r, xmlNodePtr n, const char *name)
{
	return attr_value(r, n, name, false);
}

static const char *text(struct reader *r, xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	const char *k = keep(r, v ? (const char *)v : "");
	xmlFree(v);
	return k;
}

/* Splits an element's whitespace-separated list into an axis. */
/* True when a and b are one number written two ways ("1" and "01", "256M"
 * and "268435456"): `vtlab run` reads numbers and sizes with parse_size's
 * rules, so the two would make the same cell. */
static bool same_number(const char *a, const char *b)
{
	uint64_t x, y;
	return parse_size(a, &x) == 0 && parse_size(b, &y) == 0 && x == y;
}

static void read_axis(struct reader *r, xmlNodePtr n, const char *name, struct campaign_axis *ax)
{
	const char *s = text(r, n);
	ax->name = name;
	ax->line = (int)xmlGetLineNo(n);
	while (s && *s) {
		s += strspn(s, " \t\r\n");
		size_t len = strcspn(s, " \t\r\n");
		if (!len)
			break;
		if (ax->n == CAMPAIGN_MAX_VALUES) {
			err_add(r->e, ax->line, "%s: more than %d values (the most one axis takes)",
				name, CAMPAIGN_MAX_VALUES);
			return;
		}
		const char *v = arena_keep(r->a, s, len);
		if (!v) {
			r->oom = 1;
			return;
		}
		for (unsigned i = 0; i < ax->n; i++)
			if (strcmp(ax->values[i], v) == 0)
				err_add(r->e, ax->line, "%s: the value '%s' is given twice", name,
					v);
			else if (same_number(ax->values[i], v))
				err_add(r->e, ax->line,
					"%s: '%s' and '%s' are the same value (the cells would "
					"run twice): keep one",
					name, ax->values[i], v);
		ax->values[ax->n++] = v;
		s += len;
	}
}

static unsigned uint_of(const char *s, unsigned dflt)
{
	return s ? (unsigned)strtoul(s, NULL, 10) : dflt;
}

/* A path in the campaign file relative to the file's folder. */
static const char *beside_file(struct reader *r, const char *path)
{
	const char *slash = strrchr(r->c->file, '/');
	if (!path || path[0] == '/' || !slash)
		return path;
	size_t dir = (size_t)(slash - r->c->file) + 1, len = strlen(path);
	char *joined = malloc(dir + len + 1);
	if (!joined) {
		r->oom = 1;
		return NULL;
	}
	memcpy(joined, r->c->file, dir);
	memcpy(joined + dir, path, len + 1);
	const char *k = keep(r, joined);
	free(joined);
	return k;
}

static void read_costs(struct reader *r, xmlNodePtr n)
{
	struct campaign *c = r->c;
	c->cost_file = beside_file(r, attr_value(r, n, "file", true));
	c->cost_file_line = (int)xmlGetLineNo(n);
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE || c->ncosts == CAMPAIGN_MAX_COSTS)
			continue;
		struct campaign_cost *cost = &c->costs[c->ncosts++];
		cost->name = attr(r, k, "name");
		cost->value = attr(r, k, "value");
		cost->line = (int)xmlGetLineNo(k);
	}
}

static void read_element(struct reader *r, xmlNodePtr n)
{
	struct campaign *c = r->c;
	const char *name = (const char *)n->name;
	if (strcmp(name, "description") == 0)
		c->description = text(r, n);
	else if (strcmp(name, "configs") == 0)
		read_axis(r, n, "config", &c->configs);
	else if (strcmp(name, "workloads") == 0) {
		read_axis(r, n, "workload", &c->workloads);
		const char *small = attr(r, n, "small");
		c->small = small && (strcmp(small, "true") == 0 || strcmp(small, "1") == 0);
	} else if (strcmp(name, "vcpus") == 0)
		read_axis(r, n, "vcpus", &c->vcpus);
	else if (strcmp(name, "param") == 0 && c->nparams < CAMPAIGN_MAX_PARAMS) {
		struct campaign_axis *ax = &c->params[c->nparams++];
		read_axis(r, n, attr(r, n, "name"), ax);
	} else if (strcmp(name, "repetitions") == 0)
		c->repetitions = uint_of(text(r, n), 1);
	else if (strcmp(name, "costs") == 0)
		read_costs(r, n);
	else if (strcmp(name, "limits") == 0)
		c->max_seconds = uint_of(attr(r, n, "max-seconds"), c->max_seconds);
	else if (strcmp(name, "trace") == 0)
		c->trace = keep_token(r, text(r, n));
	else if (strcmp(name, "output") == 0) {
		c->db = attr_value(r, n, "db", true);
		c->charts = attr(r, n, "charts");
		c->sweep_param = attr(r, n, "sweep-param");
		c->output_line = (int)xmlGetLineNo(n);
		c->format = attr(r, n, "format");
	}
}

/* The sweep chart needs a sweep-param that the campaign sweeps (a
 * <param> with two or more values); what the schema cannot say. */
static void check_sweep_chart(struct reader *r)
{
	const struct campaign *c = r->c;
	int sweep = c->charts && strstr(c->charts, "sweep");
	if (!sweep && !c->sweep_param)
		return;
	if (!sweep || !c->sweep_param) {
		err_add(r->e, c->output_line,
			"<output>: the sweep chart and sweep-param go together (charts=\"sweep\" "
			"sweep-param=\"NAME\")");
		return;
	}
	for (unsigned p = 0; p < c->nparams; p++)
		if (strcmp(c->params[p].name, c->sweep_param) == 0 && c->params[p].n >= 2)
			return;
	err_add(r->e, c->output_line,
		"<output sweep-param=\"%s\">: no <param name=\"%s\"> with two or more values "
		"to sweep",
		c->sweep_param, c->sweep_param);
}

/* A <param> that no configuration of the file takes would be dropped from
 * every cell (campaign_param_applies): the file would sweep nothing, and a
 * sweep chart of it fail after the whole campaign ran. */
static void check_params_apply(struct reader *r)
{
	static const char *const all[] = { "native", "STVT", "HTVT", "STPV", "HTPV", "EPT" };
	const struct campaign *c = r->c;
	for (unsigned p = 0; p < c->nparams; p++) {
		const char *name = c->params[p].name;
		char takers[64] = "";
		bool taken = false;
		for (unsigned i = 0; i < c->configs.n && !taken; i++)
			taken = campaign_param_applies(name, c->configs.values[i]);
		if (taken)
			continue;
		for (unsigned i = 0; i < sizeof all / sizeof *all; i++)
			if (campaign_param_applies(name, all[i]))
				snprintf(takers + strlen(takers), sizeof takers - strlen(takers),
					 "%s%s", takers[0] ? " " : "", all[i]);
		err_add(r->e, c->params[p].line,
			"<param name=\"%s\">: no configuration of <configs> takes it, so no "
			"cell would run with it; add one that does (%s) or remove the param",
			name, takers);
	}
}

/* The scaling chart draws performance against the vCPU count: with one
 * count it has no line, and would be skipped after the whole campaign. */
static void check_scaling_chart(struct reader *r)
{
	const struct campaign *c = r->c;
	if (c->charts && strstr(c->charts, "scaling") && c->vcpus.n < 2)
		err_add(r->e, c->output_line,
			"<output charts=\"scaling\">: the scaling chart needs two or more "
			"<vcpus> values (line %d has one); add counts or drop the chart",
			c->vcpus.line);
}

static void read_campaign(struct reader *r, xmlNodePtr root)
{
	struct campaign *c = r->c;
	c->name = attr(r, root, "name");
	c->repetitions = 1;
	c->max_seconds = 3600; /* the schema's default for <limits max-seconds> */
	c->format = "png";
	for (xmlNodePtr n = root->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			read_element(r, n);
	if (c->charts && !c->charts[strspn(c->charts, " \t\r\n")])
		c->charts = NULL;
	check_params_apply(r);
	check_sweep_chart(r);
	check_scaling_chart(r);
	if (!c->format)
		c->format = "png";
}

/* The line of "<!DOCTYPE" (libxml2 keeps none for the DTD node); 0 if
 * it cannot be found. */
static int doctype_line(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL; /* a whole line: "<!DOCTYPE" may be anywhere in it */
	size_t cap = 0;
	int line = 0, found = 0;
	while (f && !found && getline(&buf, &cap, f) != -1) {
		found = strstr(buf, "<!DOCTYPE") != NULL;
		line++;
	}
	free(buf);
	if (f)
		fclose(f);
	return found ? line : 0;
}

int campaign_load(const char *path, struct campaign *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	struct errbuf e = { .file = path, .buf = err, .len = errlen };
	err[0] = '\0';
	struct arena *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	c->mem = a;
	c->file = arena_keep(a, path, strlen(path));
	FILE *f = fopen(path, "r");
	struct stat st;
	if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		f = NULL;
		errno = EISDIR;
	}
	if (!f) {
		snprintf(err, errlen, "%s: cannot open the campaign file: %s", path,
			 strerror(errno));
		campaign_free(c);
		return -1;
	}
	fclose(f);
	xmlSetStructuredErrorFunc(&e, on_xml_error);
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	int rc = -1;
	if (!doc && e.count == 0)
		err_add(&e, 0, "cannot read the file");
	if (doc && doc->intSubset) /* entities would reach outside the file */
		err_add(&e, doctype_line(path),
			"a <!DOCTYPE> is not allowed in a campaign file (remove it)");
	else if (doc && validate(doc, &e) == 0) {
		struct reader r = { .c = c, .a = a, .e = &e };
		read_campaign(&r, xmlDocGetRootElement(doc));
		if (r.oom)
			err_add(&e, 0, "out of memory");
		rc = e.count ? -1 : 0;
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeDoc(doc);
	err_finish(&e);
	if (rc)
		campaign_free(c);
	return rc;
}
