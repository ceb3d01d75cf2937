/*
 * gen_tree.c - host tool: writes the source tree the kernel-build workload
 * compiles, deterministically from a seed.
 *
 *   gen_tree [--seed N] [--files M] [--dirs D] [--headers H] OUTDIR
 *
 * Output (paths under OUTDIR):
 *   include/kb/hNN.h     H shared headers; header h includes up to three
 *                        lower-numbered ones (a DAG, like a kernel's
 *                        include/), each guarded by #ifndef, with macros,
 *                        structs, extern variables, prototypes and static
 *                        inline functions
 *   dirDD/internal.h     per-directory header (quoted #include)
 *   dirDD/fileFFF.c      M sources: they define the functions and
 *                        variables the headers declare (each has exactly
 *                        one defining file) plus static helpers, and use
 *                        what the headers they include provide
 *   Kbuild.list          the sources in build order, one relative path a line
 * The language is kcc's C subset (kcc.h).  The same arguments always give
 * byte-identical output (xorshift64* random numbers, Vigna 2016).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PROTOS 4   /* prototypes per header */
#define VARS 2     /* extern variables per header */
#define INLINES 3  /* static inline functions per header */
#define STRUCTS 2  /* structs per header */
#define CONSTS 4   /* numeric macros per header */
#define MAX_INC 3  /* includes per header */
#define MAX_VIS 24 /* headers a file includes directly */
#define MAX_LOCALS 64

typedef struct {
	int ninc, inc[MAX_INC];
	int arrn;             /* H{h}_N */
	int pkind[PROTOS][3]; /* parameter kinds of h{h}_f{k}: 0 long, 1 int, 2 struct ptr */
	int nparams[PROTOS];
} Header;

typedef struct {
	char name[24];
	int kind; /* 0 long, 1 int, 2 struct value, 3 struct pointer */
	int h, k; /* struct s{h}_{k} for kinds 2 and 3 */
} Local;

typedef struct {
	FILE *f;
	int vis[MAX_VIS + MAX_INC + 1], nvis; /* headers whose names may be used */
	int self_header;                      /* -1, or the header being written */
	int own_inlines;                      /* inline functions of self_header written so far */
	Local loc[MAX_LOCALS];
	int nloc, serial, helpers, depth;
} Ctx;

static uint64_t rng_state;
static int nheaders, nfiles, ndirs, nstmts;
static Header *hdr;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static int pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("gen_tree: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* Opens DIR/fmt(a, b) for writing; path gets its name for close_file. */
static FILE *create(char path[4096], const char *dir, const char *fmt, int a, int b)
{
	char rel[128];
	snprintf(rel, sizeof rel, fmt, a, b);
	snprintf(path, 4096, "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	if (!f)
		die("%s: cannot create: %s", path, strerror(errno));
	return f;
}

/* Closes a file of the tree; a failed write (disk full, file size limit)
 * must stop the build, not leave a truncated source behind with exit 0. */
static void close_file(FILE *f, const char *path)
{
	int bad = ferror(f);
	if (fclose(f) != 0 || bad)
		die("%s: write failed: %s", path, strerror(errno));
}

static void make_dir(const char *dir, const char *fmt, int a)
{
	char rel[128], path[4096];
	snprintf(rel, sizeof rel, fmt, a);
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("%s: cannot create directory: %s", path, strerror(errno));
}

/* The file that defines prototype k (or, with var = 1, variable k) of h. */
static int owner(int h, int k, int var)
{
	return var ? (h * VARS + k + 7) % nfiles : (h * PROTOS + k) % nfiles;
}

/* ---- expressions ---- */
static void expr(Ctx *c, int depth);

static int vis_header(Ctx *c)
{
	return c->vis[pick(c->nvis)];
}

static void const_name(Ctx *c)
{
	int h = vis_header(c);
	int r = pick(CONSTS + 2);
	if (r < CONSTS)
		fprintf(c->f, "H%d_C%d", h, r);
	else
		fprintf(c->f, r == CONSTS ? "H%d_N" : "H%d_MASK", h);
}

static const Local *local_of(Ctx *c, int kind)
{
	int start = c->nloc ? pick(c->nloc) : 0;
	for (int i = 0; i < c->nloc; i++) {
		const Local *l = &c->loc[(start + i) % c->nloc];
		if (l->kind == kind || (kind == 0 && l->kind == 1))
			return l;
	}
	return NULL;
}

static void field_ref(Ctx *c, const Local *l, int depth)
{
	const char *sep = l->kind == 2 ? "." : "->";
	switch (pick(4)) {
	case 0: fprintf(c->f, "%s%sa", l->name, sep); break;
	case 1: fprintf(c->f, "%s%sb", l->name, sep); break;
	case 2: fprintf(c->f, "%s%sc", l->name, sep); break;
	default:
		fprintf(c->f, "%s%sv[(", l->name, sep);
		expr(c, depth + 1);
		fprintf(c->f, ") & H%d_MASK]", l->h);
	}
}

/* An argument of kind k (0 long, 1 int, 2 pointer to struct s{h}_0). */
static void argument(Ctx *c, int kind, int h, int depth)
{
	if (kind == 2) {
		for (int i = c->nloc - 1; i >= 0; i--) {
			const Local *l = &c->loc[i];
			if ((l->kind == 2 || l->kind == 3) && l->h == h && l->k == 0) {
				fprintf(c->f, l->kind == 2 ? "&%s" : "%s", l->name);
				return;
			}
		}
		fprintf(c->f, "0");
		return;
	}
	expr(c, depth + 1);
}

static void call(Ctx *c, int depth)
{
	int h = vis_header(c);
	int r = pick(3);
	int inlines = h == c->self_header ? c->own_inlines : INLINES;
	if (r == 0 && inlines > 0) {
		fprintf(c->f, "h%d_i%d(", h, pick(inlines));
		expr(c, depth + 1);
		fprintf(c->f, ", ");
		expr(c, depth + 1);
		fprintf(c->f, ")");
		return;
	}
	if (r == 1 && c->helpers > 0 && c->self_header < 0) {
		fprintf(c->f, "helper%d(", pick(c->helpers));
		expr(c, depth + 1);
		fprintf(c->f, ", ");
		expr(c, depth + 1);
		fprintf(c->f, ")");
		return;
	}
	int k = pick(PROTOS);
	fprintf(c->f, "h%d_f%d(", h, k);
	for (int i = 0; i < hdr[h].nparams[k]; i++) {
		if (i)
			fprintf(c->f, ", ");
		argument(c, hdr[h].pkind[k][i], h, depth);
	}
	fprintf(c->f, ")");
}

static void leaf(Ctx *c, int depth)
{
	const Local *l;
	switch (pick(8)) {
	case 0: fprintf(c->f, "%d", pick(1000)); break;
	case 1:
	case 2: const_name(c); break;
	case 3: fprintf(c->f, "h%d_v%d", vis_header(c), pick(VARS)); break;
	case 4:
		if ((l = local_of(c, 2 + pick(2))) != NULL) {
			field_ref(c, l, depth);
			break;
		}
		/* fall through */
	default:
		if ((l = local_of(c, 0)) != NULL)
			fprintf(c->f, "%s", l->name);
		else
			const_name(c);
	}
}

static void expr(Ctx *c, int depth)
{
	static const char *ops[] = { "+", "-", "*", "&", "|", "^", "+", "-" };
	int r = depth >= 3 ? 0 : pick(12);
	if (r < 4) {
		leaf(c, depth);
	} else if (r < 8) {
		fprintf(c->f, "(");
		expr(c, depth + 1);
		fprintf(c->f, " %s ", ops[pick(8)]);
		expr(c, depth + 1);
		fprintf(c->f, ")");
	} else if (r == 8) {
		fprintf(c->f, "(");
		expr(c, depth + 1);
		fprintf(c->f, " << %d)", 1 + pick(7));
	} else if (r == 9) {
		fprintf(c->f, "(");
		expr(c, depth + 1);
		fprintf(c->f, " < ");
		expr(c, depth + 1);
		fprintf(c->f, " ? ");
		expr(c, depth + 1);
		fprintf(c->f, " : %s", pick(2) ? "-" : "~");
		leaf(c, depth + 1);
		fprintf(c->f, ")");
	} else if (r == 10 && depth < 2) {
		call(c, depth);
	} else {
		fprintf(c->f, "(long)sizeof(struct s%d_%d)", vis_header(c), pick(STRUCTS));
	}
}

/* ---- statements ---- */
static void stmts(Ctx *c, int n, int depth);

static Local *new_local(Ctx *c, int kind, const char *prefix)
{
	if (c->nloc >= MAX_LOCALS)
		return NULL;
	Local *l = &c->loc[c->nloc];
	snprintf(l->name, sizeof l->name, "%s%d", prefix, c->serial++);
	l->kind = kind;
	return l;
}

static void indent(Ctx *c, int depth)
{
	for (int i = 0; i <= depth; i++)
		fputc('\t', c->f);
}

static void stmt_struct(Ctx *c, int depth)
{
	Local *l = new_local(c, 2, "o");
	if (!l)
		return;
	l->h = vis_header(c);
	l->k = pick(STRUCTS);
	indent(c, depth);
	fprintf(c->f, "struct s%d_%d %s;\n", l->h, l->k, l->name);
	c->nloc++;
	indent(c, depth);
	fprintf(c->f, "%s.a = ", l->name);
	expr(c, 1);
	fprintf(c->f, ";\n");
	indent(c, depth);
	fprintf(c->f, "%s.link = 0;\n", l->name);
	Local *p = new_local(c, 3, "p");
	if (!p)
		return;
	p->h = l->h;
	p->k = l->k;
	indent(c, depth);
	fprintf(c->f, "struct s%d_%d *%s = &%s;\n", p->h, p->k, p->name, l->name);
	c->nloc++;
	indent(c, depth);
	fprintf(c->f, "%s->v[(", p->name);
	expr(c, 1);
	fprintf(c->f, ") & H%d_MASK] = ", p->h);
	expr(c, 1);
	fprintf(c->f, ";\n");
}

static void stmt_assign(Ctx *c, int depth)
{
	static const char *ops[] = { "=", "+=", "-=", "^=", "|=", "&=" };
	const Local *l = local_of(c, 0);
	if (!l) {
		stmt_struct(c, depth);
		return;
	}
	indent(c, depth);
	fprintf(c->f, "%s %s ", l->name, ops[pick(6)]);
	expr(c, 0);
	fprintf(c->f, ";\n");
}

static void stmt_decl(Ctx *c, int depth)
{
	Local *l = new_local(c, pick(3) ? 0 : 1, "t");
	if (!l)
		return;
	indent(c, depth);
	fprintf(c->f, "%s %s = ", l->kind ? "int" : "long", l->name);
	expr(c, 0);
	fprintf(c->f, ";\n");
	c->nloc++;
}

static void stmt_block(Ctx *c, int depth, int n)
{
	int saved = c->nloc;
	stmts(c, n, depth + 1);
	c->nloc = saved; /* the block's locals go out of scope */
}

static void stmt_if(Ctx *c, int depth)
{
	indent(c, depth);
	fprintf(c->f, "if (");
	expr(c, 1);
	fprintf(c->f, " %s ", pick(2) ? ">" : "!=");
	expr(c, 1);
	fprintf(c->f, ") {\n");
	stmt_block(c, depth, 1 + pick(3));
	indent(c, depth);
	if (pick(2)) {
		fprintf(c->f, "} else {\n");
		stmt_block(c, depth, 1 + pick(2));
		indent(c, depth);
	}
	fprintf(c->f, "}\n");
}

static void stmt_for(Ctx *c, int depth)
{
	Local *i = new_local(c, 1, "i");
	if (!i)
		return;
	indent(c, depth);
	fprintf(c->f, "for (int %s = 0; %s < ", i->name, i->name);
	const_name(c);
	fprintf(c->f, "; %s++) {\n", i->name);
	int saved = c->nloc++;
	stmt_block(c, depth, 1 + pick(3));
	if (pick(4) == 0) {
		indent(c, depth + 1);
		fprintf(c->f, "if (%s > %d)\n", i->name, 8 + pick(8));
		indent(c, depth + 2);
		fprintf(c->f, "break;\n");
	}
	c->nloc = saved;
	indent(c, depth);
	fprintf(c->f, "}\n");
}

static void stmt_while(Ctx *c, int depth)
{
	const Local *l = local_of(c, 0);
	if (!l) {
		stmt_decl(c, depth);
		return;
	}
	indent(c, depth);
	fprintf(c->f, "while (%s > %d) {\n", l->name, pick(100));
	indent(c, depth + 1);
	fprintf(c->f, "%s = %s >> %d;\n", l->name, l->name, 1 + pick(3));
	stmt_block(c, depth, 1 + pick(2));
	indent(c, depth);
	fprintf(c->f, "}\n");
}

static void stmts(Ctx *c, int n, int depth)
{
	for (int i = 0; i < n; i++) {
		int r = depth >= 3 ? pick(4) : pick(10);
		switch (r) {
		case 0:
		case 1: stmt_decl(c, depth); break;
		case 2:
		case 3: stmt_assign(c, depth); break;
		case 4:
		case 5: stmt_if(c, depth); break;
		case 6: stmt_for(c, depth); break;
		case 7: stmt_while(c, depth); break;
		default: stmt_struct(c, depth); break;
		}
	}
}

static void add_param(Ctx *c, const char *name, int kind, int h)
{
	Local *l = &c->loc[c->nloc++];
	snprintf(l->name, sizeof l->name, "%s", name);
	l->kind = kind == 2 ? 3 : kind;
	l->h = h;
	l->k = 0;
}

/* A body: declarations and statements, then a return of a long. */
static void body(Ctx *c, int nstmts)
{
	fprintf(c->f, "{\n");
	stmts(c, nstmts, 0);
	indent(c, 0);
	fprintf(c->f, "return ");
	expr(c, 1);
	fprintf(c->f, ";\n}\n\n");
}

/* ---- headers ---- */
static void plan_headers(void)
{
	hdr = calloc((size_t)nheaders, sizeof *hdr);
	if (!hdr)
		die("out of memory");
	for (int h = 0; h < nheaders; h++) {
		Header *x = &hdr[h];
		x->ninc = h == 0 ? 0 : 1 + pick(h < MAX_INC ? h : MAX_INC);
		for (int i = 0; i < x->ninc; i++)
			x->inc[i] = h - 1 - pick(h < 12 ? h : 12);
		x->arrn = 4 << pick(3);
		for (int k = 0; k < PROTOS; k++) {
			x->nparams[k] = 1 + pick(3);
			for (int i = 0; i < x->nparams[k]; i++)
				x->pkind[k][i] = pick(3);
		}
	}
}

static void header_decls(FILE *f, int h)
{
	const Header *x = &hdr[h];
	for (int k = 0; k < CONSTS; k++)
		fprintf(f, "#define H%d_C%d %d\n", h, k, 1 + pick(64));
	fprintf(f, "#define H%d_N %d\n#define H%d_MASK (H%d_N - 1)\n\n", h, x->arrn, h, h);
	for (int k = 0; k < STRUCTS; k++) {
		int link = x->ninc ? x->inc[0] : h;
		fprintf(f,
			"struct s%d_%d {\n\tlong a;\n\tint b;\n\tchar c;\n\tunsigned int u;\n"
			"\tlong v[H%d_N];\n\tstruct s%d_0 *link;\n};\n\n",
			h, k, h, link);
	}
	for (int k = 0; k < VARS; k++)
		fprintf(f, "extern long h%d_v%d;\n", h, k);
	for (int k = 0; k < PROTOS; k++) {
		fprintf(f, "long h%d_f%d(", h, k);
		for (int i = 0; i < x->nparams[k]; i++) {
			static const char *ty[] = { "long", "int", "struct s%d_0 *" };
			if (i)
				fprintf(f, ", ");
			fprintf(f, ty[x->pkind[k][i]], h);
			fprintf(f, "%sx%d", x->pkind[k][i] == 2 ? "" : " ", i);
		}
		fprintf(f, ");\n");
	}
	fputc('\n', f);
}

static void write_header(const char *dir, int h)
{
	char path[4096];
	FILE *f = create(path, dir, "include/kb/h%02d.h", h, 0);
	const Header *x = &hdr[h];
	fprintf(f,
		"/* kb/h%02d.h - generated by gen_tree */\n#ifndef KB_H%02d_H\n#define KB_H%02d_H\n\n",
		h, h, h);
	for (int i = 0; i < x->ninc; i++)
		fprintf(f, "#include <kb/h%02d.h>\n", x->inc[i]);
	fputc('\n', f);
	header_decls(f, h);
	Ctx c = { .f = f, .self_header = h };
	c.vis[c.nvis++] = h;
	for (int i = 0; i < x->ninc; i++)
		c.vis[c.nvis++] = x->inc[i];
	for (int k = 0; k < INLINES; k++) {
		c.nloc = 0;
		c.own_inlines = k;
		fprintf(f, "static inline long h%d_i%d(long a, long b)\n", h, k);
		add_param(&c, "a", 0, 0);
		add_param(&c, "b", 0, 0);
		body(&c, 1 + pick(1 + nstmts / 2));
	}
	fprintf(f, "#endif\n");
	close_file(f, path);
}

/* ---- sources ---- */
static int add_vis(Ctx *c, int h)
{
	for (int i = 0; i < c->nvis; i++)
		if (c->vis[i] == h)
			return 0;
	if (c->nvis >= MAX_VIS)
		return 0;
	c->vis[c->nvis++] = h;
	return 1;
}

static void plan_includes(Ctx *c, int file)
{
	for (int h = 0; h < nheaders; h++)
		for (int k = 0; k < PROTOS; k++)
			if (owner(h, k, 0) == file || (k < VARS && owner(h, k, 1) == file))
				add_vis(c, h);
	int extra = 3 + pick(4);
	for (int i = 0; i < extra; i++)
		add_vis(c, pick(nheaders));
}

static void define_function(Ctx *c, int h, int k, int nstmts)
{
	const Header *x = &hdr[h];
	static const char *ty[] = { "long", "int", "struct s%d_0 *" };
	fprintf(c->f, "long h%d_f%d(", h, k);
	c->nloc = 0;
	for (int i = 0; i < x->nparams[k]; i++) {
		char name[8];
		snprintf(name, sizeof name, "x%d", i);
		if (i)
			fprintf(c->f, ", ");
		fprintf(c->f, ty[x->pkind[k][i]], h);
		fprintf(c->f, "%s%s", x->pkind[k][i] == 2 ? "" : " ", name);
		add_param(c, name, x->pkind[k][i], h);
	}
	fprintf(c->f, ")\n");
	body(c, nstmts);
}

static void write_source(const char *dir, int file, FILE *list)
{
	int d = file % ndirs;
	char path[4096];
	FILE *f = create(path, dir, "dir%02d/file%03d.c", d, file);
	fprintf(list, "dir%02d/file%03d.c\n", d, file);
	Ctx c = { .f = f, .self_header = -1 };
	plan_includes(&c, file);
	fprintf(f, "/* dir%02d/file%03d.c - generated by gen_tree */\n", d, file);
	for (int i = 0; i < c.nvis; i++)
		fprintf(f, "#include <kb/h%02d.h>\n", c.vis[i]);
	fprintf(f, "#include \"internal.h\"\n\n");
	for (int h = 0; h < nheaders; h++)
		for (int k = 0; k < VARS; k++)
			if (owner(h, k, 1) == file)
				fprintf(f, "long h%d_v%d = %d;\n", h, k, pick(4096));
	fprintf(f, "static long file_state[DIR_SLOTS];\n\n");
	int nhelpers = 2 + pick(3);
	for (int k = 0; k < nhelpers; k++) {
		fprintf(f, "static long helper%d(long a, long b)\n", k);
		c.nloc = 0;
		add_param(&c, "a", 0, 0);
		add_param(&c, "b", 0, 0);
		body(&c, nstmts / 2 + pick(nstmts));
		c.helpers = k + 1;
	}
	for (int h = 0; h < nheaders; h++)
		for (int k = 0; k < PROTOS; k++)
			if (owner(h, k, 0) == file)
				define_function(&c, h, k, nstmts + pick(nstmts));
	fprintf(f, "long file%d_init(void)\n{\n\tfile_state[%d & (DIR_SLOTS - 1)] = %d;\n", file,
		file, file);
	if (file >= ndirs)
		fprintf(f, "\tfile_state[0] += file%d_init();\n", file - ndirs);
	fprintf(f, "\treturn dir_mix(file_state[0]) + helper0(DIR_ID, %d);\n}\n", file);
	close_file(f, path);
}

static void write_internal(const char *dir, int d)
{
	char path[4096];
	FILE *f = create(path, dir, "dir%02d/internal.h", d, 0);
	fprintf(f,
		"/* dir%02d/internal.h - generated by gen_tree */\n#ifndef DIR_INTERNAL_H\n"
		"#define DIR_INTERNAL_H\n#define DIR_ID %d\n#define DIR_SLOTS 16\n\n",
		d, d);
	for (int file = d; file < nfiles; file += ndirs)
		fprintf(f, "long file%d_init(void);\n", file);
	fprintf(f, "\nstatic inline long dir_mix(long x)\n{\n\tlong r = x ^ DIR_ID;\n"
		   "\tfor (int i = 0; i < DIR_SLOTS; i++)\n\t\tr = (r << 1) ^ (r >> 3) ^ i;\n"
		   "\treturn r;\n}\n#endif\n");
	close_file(f, path);
}

static int number_arg(int argc, char **argv, int *i, const char *name, int lo, int hi)
{
	if (strcmp(argv[*i], name) != 0 || *i + 1 >= argc)
		return -1;
	char *end;
	long v = strtol(argv[++*i], &end, 0);
	if (*end || v < lo || v > hi)
		die("%s: expected a number from %d to %d, got '%s'", name, lo, hi, argv[*i]);
	return (int)v;
}

int main(int argc, char **argv)
{
	int seed = 1, v;
	nstmts = 10;
	const char *out = NULL;
	nfiles = 256;
	ndirs = 16;
	nheaders = 64;
	for (int i = 1; i < argc; i++) {
		if ((v = number_arg(argc, argv, &i, "--seed", 0, 1 << 30)) >= 0)
			seed = v;
		else if ((v = number_arg(argc, argv, &i, "--files", 1, 999)) >= 0)
			nfiles = v;
		else if ((v = number_arg(argc, argv, &i, "--dirs", 1, 99)) >= 0)
			ndirs = v;
		else if ((v = number_arg(argc, argv, &i, "--headers", 1, 99)) >= 0)
			nheaders = v;
		else if ((v = number_arg(argc, argv, &i, "--stmts", 1, 100)) >= 0)
			nstmts = v;
		else if (argv[i][0] != '-' && !out)
			out = argv[i];
		else
			die("usage: gen_tree [--seed N] [--files M] [--dirs D] [--headers H] "
			    "[--stmts S] OUTDIR");
	}
	if (!out)
		die("usage: gen_tree [--seed N] [--files M] [--dirs D] [--headers H] [--stmts S] OUTDIR");
	rng_state = 0x9e3779b97f4a7c15ull ^ (uint64_t)seed * 0xbf58476d1ce4e5b9ull;
	if (mkdir(out, 0755) != 0 && errno != EEXIST)
		die("%s: cannot create directory: %s", out, strerror(errno));
	make_dir(out, "include", 0);
	make_dir(out, "include/kb", 0);
	for (int d = 0; d < ndirs; d++) {
		make_dir(out, "dir%02d", d);
		write_internal(out, d);
	}
	plan_headers();
	for (int h = 0; h < nheaders; h++)
		write_header(out, h);
	char list_path[4096];
	FILE *list = create(list_path, out, "Kbuild.list", 0, 0);
	for (int file = 0; file < nfiles; file++)
		write_source(out, file, list);
	close_file(list, list_path);
	return 0;
}
