/*
 * kcc_pp.c - the preprocessor (ISO C11 section 6.10, the part kcc's
 * language uses): #include "file" (searched in the including file's
 * directory, then the -I directories) and #include <file> (-I only),
 * object-like #define and #undef with rescanning of the replacement (a
 * macro is not expanded inside its own expansion, 6.10.3.4), #ifdef,
 * #ifndef, #else, #endif.  Files are read with open/read/close.
 *
 * The multiple-include optimisation (as GCC's cpplib does): a file whose
 * whole contents sit inside `#ifndef X ... #endif` is remembered with X,
 * and a later #include of it while X is defined does not reopen it.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcc.h"

#define MAX_FILES 255
#define MAX_DEPTH 32
#define MAX_COND 32
#define PATH_LEN 256

typedef struct {
	Name *name;
	Token *body;
	int n;
	int active; /* being expanded: not expanded again (6.10.3.4p2) */
} Macro;

typedef struct {
	uint8_t taking; /* this branch's lines are kept */
	uint8_t parent; /* the enclosing region was kept */
	uint8_t seen_else;
	int guard_candidate; /* opened by the first directive of its file */
} Cond;

static const char *file_names[MAX_FILES + 1];
static int nfiles;
static Map macros;
static Map guards; /* interned path -> guard macro Name */
static PPStats *stats;
static TokVec *output;
static int depth;

const char *pp_file_name(int fileno)
{
	return fileno >= 0 && fileno < nfiles ? file_names[fileno] : "?";
}

/* Reads a whole file; NULL if it cannot be opened. */
static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, n = 0;
	char *b = malloc(cap);
	for (;;) {
		if (!b)
			kcc_fatal("out of memory reading %s", path);
		if (n == cap) {
			cap *= 2;
			b = realloc(b, cap);
			continue;
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0)
			kcc_fatal("%s: read failed", path);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return b;
}

static int file_exists_copy(const char *dir, const char *name, char *out)
{
	size_t dl = strlen(dir), nl = strlen(name);
	if (dl + nl + 2 > PATH_LEN)
		return 0;
	memcpy(out, dir, dl);
	out[dl] = '/';
	memcpy(out + dl + 1, name, nl + 1);
	int fd = open(out, O_RDONLY);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Finds an included file; 1 and its path in out, or 0. */
static int resolve_include(const char *from, const char *name, int quoted, char *out)
{
	if (quoted) {
		char dir[PATH_LEN];
		const char *slash = strrchr(from, '/');
		size_t dl = slash ? (size_t)(slash - from) : 1;
		memcpy(dir, slash ? from : ".", dl);
		dir[dl] = 0;
		if (file_exists_copy(dir, name, out))
			return 1;
	}
	for (int i = 0; i < stats->ninclude; i++)
		if (file_exists_copy(stats->include_dirs[i], name, out))
			return 1;
	return 0;
}

static void emit_expanded(const Token *t, int line, int fileno);

static void expand_macro(Macro *m, int line, int fileno)
{
	stats->macros_expanded++;
	m->active = 1;
	for (int i = 0; i < m->n; i++)
		emit_expanded(&m->body[i], line, fileno);
	m->active = 0;
}

/* Outputs t, replacing a macro name by its (rescanned) replacement. */
static void emit_expanded(const Token *t, int line, int fileno)
{
	if (t->kind == T_IDENT) {
		Macro *m = map_get(&macros, t->name);
		if (m && !m->active) {
			expand_macro(m, line, fileno);
			return;
		}
	}
	Token o = *t;
	o.bol = 0;
	o.line = line;
	o.file = (uint8_t)fileno;
	tok_push(output, &o);
}

/* Index of the first token of the next line at or after i. */
static int line_end(const TokVec *v, int i)
{
	while (v->t[i].kind != T_EOF && !v->t[i].bol)
		i++;
	return i;
}

static const char *spelling(const Token *t, char *num)
{
	if (t->kind == T_IDENT || t->kind == T_KEYWORD)
		return t->name->s;
	if (t->kind == T_PUNCT)
		return punct_str(t->punct);
	if (t->kind == T_NUM) {
		/* only digits appear in generated file names */
		int64_t v = t->num;
		char tmp[24];
		int n = 0;
		do
			tmp[n++] = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		for (int i = 0; i < n; i++)
			num[i] = tmp[n - 1 - i];
		num[n] = 0;
		return num;
	}
	return "";
}

/* The file name of an #include line's tokens [i, end). */
static void include_name(const TokVec *v, int i, int end, char *name, int *quoted, const char *file,
			 int line)
{
	if (i < end && v->t[i].kind == T_STR) {
		*quoted = 1;
		if (v->t[i].name->len + 1 > PATH_LEN)
			kcc_fatal("%s:%d: #include name too long", file, line);
		memcpy(name, v->t[i].name->s, v->t[i].name->len + 1);
		return;
	}
	if (i >= end || v->t[i].kind != T_PUNCT || v->t[i].punct != P_LT)
		kcc_fatal("%s:%d: #include expects \"file\" or <file>", file, line);
	*quoted = 0;
	size_t n = 0;
	char num[24];
	for (i++; i < end && !(v->t[i].kind == T_PUNCT && v->t[i].punct == P_GT); i++) {
		const char *s = spelling(&v->t[i], num);
		size_t l = strlen(s);
		if (n + l + 1 > PATH_LEN)
			kcc_fatal("%s:%d: #include name too long", file, line);
		memcpy(name + n, s, l);
		n += l;
	}
	if (i >= end)
		kcc_fatal("%s:%d: #include <file> without '>'", file, line);
	name[n] = 0;
}

static void process_file(const char *path);

static void do_include(const TokVec *v, int i, int end, const char *file, int line)
{
	char name[PATH_LEN], path[PATH_LEN];
	int quoted;
	include_name(v, i, end, name, &quoted, file, line);
	if (!resolve_include(file, name, quoted, path))
		kcc_fatal("%s:%d: cannot find included file '%s'", file, line, name);
	Name *key = intern(path, strlen(path));
	Name *guard = map_get(&guards, key);
	if (guard && map_get(&macros, guard)) {
		stats->includes_skipped++;
		return;
	}
	if (depth >= MAX_DEPTH)
		kcc_fatal("%s:%d: #include nested too deeply (%d)", file, line, MAX_DEPTH);
	process_file(key->s);
}

static void do_define(const TokVec *v, int i, int end, const char *file, int line)
{
	if (i >= end || v->t[i].kind != T_IDENT)
		kcc_fatal("%s:%d: #define expects a name", file, line);
	Macro *m = kcc_alloc(sizeof *m);
	m->name = v->t[i].name;
	m->n = end - i - 1;
	if (m->n > 0) {
		m->body = kcc_alloc((size_t)m->n * sizeof(Token));
		memcpy(m->body, &v->t[i + 1], (size_t)m->n * sizeof(Token));
	}
	map_put(&macros, m->name, m);
}

static Name *directive_name(const TokVec *v, int i, const char *file, int line)
{
	if (v->t[i].kind != T_IDENT && v->t[i].kind != T_KEYWORD)
		kcc_fatal("%s:%d: expected a directive name after '#'", file, line);
	return v->t[i].name;
}

static int is_named(const Name *n, const char *s)
{
	return strcmp(n->s, s) == 0;
}

typedef struct {
	const TokVec *v;
	const char *file;
	Cond cond[MAX_COND];
	int ncond;
	Name *guard; /* set when the whole file turns out to be guarded */
} FileState;

static int taking(const FileState *fs)
{
	return fs->ncond == 0 || fs->cond[fs->ncond - 1].taking;
}

static void push_cond(FileState *fs, int take, int first, int line)
{
	if (fs->ncond >= MAX_COND)
		kcc_fatal("%s:%d: conditionals nested too deeply", fs->file, line);
	Cond *c = &fs->cond[fs->ncond];
	c->parent = (uint8_t)taking(fs);
	c->taking = (uint8_t)(c->parent && take);
	c->seen_else = 0;
	c->guard_candidate = first;
	fs->ncond++;
}

/* Handles #ifdef/#ifndef/#else/#endif; 1 if the name was one of them. */
static int do_conditional(FileState *fs, Name *d, int i, int end, int first, int line)
{
	const TokVec *v = fs->v;
	if (is_named(d, "ifdef") || is_named(d, "ifndef")) {
		if (i >= end || v->t[i].kind != T_IDENT)
			kcc_fatal("%s:%d: #%s expects a name", fs->file, line, d->s);
		int defined = map_get(&macros, v->t[i].name) != NULL;
		push_cond(fs, is_named(d, "ifdef") ? defined : !defined,
			  first && is_named(d, "ifndef"), line);
		if (fs->cond[fs->ncond - 1].guard_candidate)
			fs->guard = v->t[i].name;
		return 1;
	}
	if (is_named(d, "else")) {
		Cond *c = fs->ncond ? &fs->cond[fs->ncond - 1] : NULL;
		if (!c || c->seen_else)
			kcc_fatal("%s:%d: #else without #if", fs->file, line);
		c->seen_else = 1;
		c->taking = (uint8_t)(c->parent && !c->taking);
		if (c->guard_candidate)
			fs->guard = NULL; /* an #else branch: not a plain guard */
		c->guard_candidate = 0;
		return 1;
	}
	if (is_named(d, "endif")) {
		if (!fs->ncond)
			kcc_fatal("%s:%d: #endif without #if", fs->file, line);
		Cond *c = &fs->cond[--fs->ncond];
		if (c->guard_candidate && v->t[end].kind != T_EOF)
			fs->guard = NULL; /* text after the #endif: not a guarded file */
		return 1;
	}
	return 0;
}

/* Handles the directive whose '#' is token i; returns the next line. */
static int directive(FileState *fs, int i, int first)
{
	const TokVec *v = fs->v;
	int line = v->t[i].line;
	int end = line_end(v, i + 1);
	if (i + 1 == end)
		return end; /* the null directive */
	Name *d = directive_name(v, i + 1, fs->file, line);
	if (do_conditional(fs, d, i + 2, end, first, line) || !taking(fs))
		return end;
	if (is_named(d, "include"))
		do_include(v, i + 2, end, fs->file, line);
	else if (is_named(d, "define"))
		do_define(v, i + 2, end, fs->file, line);
	else if (is_named(d, "undef")) {
		/* a number has no name: map_put would dereference NULL */
		if (i + 2 >= end || v->t[i + 2].kind != T_IDENT)
			kcc_fatal("%s:%d: #undef expects a name", fs->file, line);
		map_put(&macros, v->t[i + 2].name, NULL);
	} else
		kcc_fatal("%s:%d: unknown directive #%s", fs->file, line, d->s);
	return end;
}

static void process_file(const char *path)
{
	if (nfiles >= MAX_FILES)
		kcc_fatal("%s: more than %d files in one compile", path, MAX_FILES);
	int fileno = nfiles;
	file_names[nfiles++] = path;
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		kcc_fatal("%s: cannot open", path);
	stats->files_read++;
	stats->bytes_read += (long)len;
	TokVec v = { 0 };
	lex(text, len, fileno, &v);
	free(text);
	FileState fs = { .v = &v, .file = path };
	depth++;
	int ndirectives = 0;
	for (int i = 0; v.t[i].kind != T_EOF;) {
		const Token *t = &v.t[i];
		if (t->bol && t->kind == T_PUNCT && t->punct == P_HASH) {
			i = directive(&fs, i, ndirectives++ == 0 && i == 0);
			continue;
		}
		if (taking(&fs))
			emit_expanded(t, t->line, fileno);
		i++;
	}
	depth--;
	if (fs.ncond)
		kcc_fatal("%s: unterminated conditional at end of file", path);
	if (fs.guard)
		map_put(&guards, intern(path, strlen(path)), fs.guard);
	free(v.t);
}

void preprocess(const char *path, PPStats *st, TokVec *out)
{
	stats = st;
	output = out;
	map_init(&macros, 1024);
	map_init(&guards, 256);
	process_file(kcc_strdup(path));
	Token eof = { 0 };
	eof.kind = T_EOF;
	tok_push(out, &eof);
}
