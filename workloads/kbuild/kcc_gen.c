/*
 * kcc_gen.c - the back end: code for a stack machine from the checked AST,
 * and the object file (format: kobj.h).
 *
 * Every function with a body is emitted, except static inline functions
 * nobody referenced (as compilers drop unused inline functions).  Each
 * defined variable gets 8-byte-aligned room in the data section with its
 * constant initial value.  References to file-scope symbols (calls,
 * addresses of variables) become relocations against the symbol table:
 * locals (static) first, then globals, then undefined symbols.  The object
 * also carries a hash of the folded tree and of the token stream, so that
 * the linked image depends on all the front end computed.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kcc.h"
#include "kobj.h"

enum op {
	OP_ENTER = 1,
	OP_RET,
	OP_PUSH32,
	OP_PUSH64,
	OP_LOCAL,
	OP_GLOBAL,
	OP_STR,
	OP_LOAD,
	OP_STORE,
	OP_BIN,
	OP_UN,
	OP_CALL,
	OP_JMP,
	OP_JZ,
	OP_JNZ,
	OP_POP,
	OP_DUP,
	OP_SWAP
};

typedef struct {
	Buf text, data, strtab;
	Buf syms, relocs;
	int nsyms, nrelocs;
	int break_fix[64], nbreak; /* pending jumps to the loop's end */
	int cont_fix[64], ncont;
	GenStats *st;
} Gen;

static void gen_expr(Gen *g, Node *n);
static void gen_stmt(Gen *g, Node *n);

/* ---- emission helpers ---- */
static void op(Gen *g, int o)
{
	buf_u8(&g->text, (unsigned)o);
}

static void reloc(Gen *g, const Sym *sym)
{
	if (sym->index < 0)
		kcc_fatal("internal: symbol %s has no object index", sym->name->s);
	buf_u32(&g->relocs, (uint32_t)g->text.n);
	buf_u32(&g->relocs, (uint32_t)sym->index);
	g->nrelocs++;
	g->st->relocs++;
	buf_u32(&g->text, 0);
}

static int jump(Gen *g, int o)
{
	op(g, o);
	int at = (int)g->text.n;
	buf_u32(&g->text, 0);
	return at;
}

static void patch(Gen *g, int at, int target)
{
	int32_t rel = target - at;
	memcpy(g->text.b + at, &rel, 4);
}

static void push_const(Gen *g, int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX) {
		op(g, OP_PUSH32);
		buf_u32(&g->text, (uint32_t)(int32_t)v);
	} else {
		op(g, OP_PUSH64);
		buf_u64(&g->text, (uint64_t)v);
	}
}

static int access_size(const Type *t)
{
	return t->kind == TY_STRUCT || t->kind == TY_ARRAY ? 0 : t->size;
}

/* ---- expressions ---- */
static void gen_addr(Gen *g, Node *n)
{
	switch (n->kind) {
	case N_VAR:
		if (n->sym->kind == S_LOCAL || n->sym->kind == S_PARAM) {
			op(g, OP_LOCAL);
			buf_u32(&g->text, (uint32_t)n->sym->slot);
		} else {
			op(g, OP_GLOBAL);
			reloc(g, n->sym);
		}
		return;
	case N_INDEX:
		gen_expr(g, n->a); /* a pointer (arrays decay to their address) */
		gen_expr(g, n->b);
		push_const(g, n->type->size);
		op(g, OP_BIN);
		buf_u8(&g->text, P_STAR);
		op(g, OP_BIN);
		buf_u8(&g->text, P_PLUS);
		return;
	case N_MEMBER:
		if (n->op == P_ARROW)
			gen_expr(g, n->a);
		else
			gen_addr(g, n->a);
		push_const(g, n->field->offset);
		op(g, OP_BIN);
		buf_u8(&g->text, P_PLUS);
		return;
	case N_UNARY: /* '*' */ gen_expr(g, n->a); return;
	default: kcc_fatal("line %d: internal: no address for node %d", n->line, n->kind);
	}
}

static void load(Gen *g, const Type *t)
{
	int size = access_size(t);
	if (size == 0)
		return; /* arrays and structs are their address */
	op(g, OP_LOAD);
	buf_u8(&g->text, (unsigned)(size | (t->is_unsigned ? 0x80 : 0)));
}

static void store(Gen *g, const Type *t)
{
	op(g, OP_STORE);
	buf_u8(&g->text, (unsigned)(t->kind == TY_STRUCT ? t->size : access_size(t)));
}

static void gen_assign(Gen *g, Node *n)
{
	gen_addr(g, n->a);
	if (n->op != P_ASSIGN) {
		op(g, OP_DUP);
		load(g, n->a->type);
		gen_expr(g, n->b);
		op(g, OP_BIN);
		buf_u8(&g->text, n->op); /* the compound operator: the machine knows its base op */
	} else {
		gen_expr(g, n->b);
	}
	store(g, n->a->type);
}

static void gen_incdec(Gen *g, Node *n)
{
	gen_addr(g, n->a);
	op(g, OP_DUP);
	load(g, n->a->type);
	int step = type_is_pointer(n->a->type) ? n->a->type->base->size : 1;
	push_const(g, n->kind == N_POSTINC || n->kind == N_PREINC ? step : -step);
	op(g, OP_BIN);
	buf_u8(&g->text, P_PLUS);
	store(g, n->a->type);
	if (n->kind == N_POSTINC || n->kind == N_POSTDEC) {
		push_const(g, n->kind == N_POSTINC ? -step : step);
		op(g, OP_BIN);
		buf_u8(&g->text, P_PLUS);
	}
}

static void gen_logical(Gen *g, Node *n)
{
	gen_expr(g, n->a);
	op(g, OP_DUP);
	int j = jump(g, n->op == P_ANDAND ? OP_JZ : OP_JNZ);
	op(g, OP_POP);
	gen_expr(g, n->b);
	patch(g, j, (int)g->text.n);
}

static void gen_cond(Gen *g, Node *n)
{
	gen_expr(g, n->a);
	int jelse = jump(g, OP_JZ);
	gen_expr(g, n->b);
	int jend = jump(g, OP_JMP);
	patch(g, jelse, (int)g->text.n);
	gen_expr(g, n->c);
	patch(g, jend, (int)g->text.n);
}

static void gen_call(Gen *g, Node *n)
{
	for (int i = n->list.n - 1; i >= 0; i--)
		gen_expr(g, n->list.v[i]);
	op(g, OP_CALL);
	reloc(g, n->sym);
	buf_u8(&g->text, (unsigned)n->list.n);
}

static void gen_binary(Gen *g, Node *n)
{
	if (n->op == P_ANDAND || n->op == P_OROR) {
		gen_logical(g, n);
		return;
	}
	gen_expr(g, n->a);
	if (n->op == P_COMMA)
		op(g, OP_POP);
	gen_expr(g, n->b);
	if (n->op == P_COMMA)
		return;
	/* pointer arithmetic scales the integer operand (6.5.6p8) */
	if ((n->op == P_PLUS || n->op == P_MINUS) && type_is_pointer(n->a->type) &&
	    type_is_integer(n->b->type)) {
		push_const(g, n->a->type->base->size);
		op(g, OP_BIN);
		buf_u8(&g->text, P_STAR);
	}
	op(g, OP_BIN);
	buf_u8(&g->text, n->op);
}

static void gen_expr(Gen *g, Node *n)
{
	switch (n->kind) {
	case N_NUM: push_const(g, n->val); return;
	case N_STR:
		op(g, OP_STR);
		buf_u32(&g->text, n->name->len);
		buf_put(&g->text, n->name->s, n->name->len);
		return;
	case N_VAR:
	case N_INDEX:
	case N_MEMBER:
		gen_addr(g, n);
		load(g, n->type);
		return;
	case N_UNARY:
		if (n->op == P_AND) {
			gen_addr(g, n->a);
		} else if (n->op == P_STAR) {
			gen_expr(g, n->a);
			load(g, n->type);
		} else {
			gen_expr(g, n->a);
			op(g, OP_UN);
			buf_u8(&g->text, n->op);
		}
		return;
	case N_BINARY: gen_binary(g, n); return;
	case N_ASSIGN: gen_assign(g, n); return;
	case N_COND: gen_cond(g, n); return;
	case N_CALL: gen_call(g, n); return;
	case N_CAST: gen_expr(g, n->a); return;
	case N_POSTINC:
	case N_POSTDEC:
	case N_PREINC:
	case N_PREDEC: gen_incdec(g, n); return;
	default: kcc_fatal("line %d: internal: cannot generate node %d", n->line, n->kind);
	}
}

/* ---- statements ---- */
static void gen_loop(Gen *g, Node *cond, Node *step, Node *body)
{
	int saved_break = g->nbreak, saved_cont = g->ncont;
	int top = (int)g->text.n, jexit = -1;
	if (cond) {
		gen_expr(g, cond);
		jexit = jump(g, OP_JZ);
	}
	gen_stmt(g, body);
	int cont_target = (int)g->text.n;
	if (step) {
		gen_expr(g, step);
		op(g, OP_POP);
	}
	patch(g, jump(g, OP_JMP), top);
	int end = (int)g->text.n;
	if (jexit >= 0)
		patch(g, jexit, end);
	while (g->nbreak > saved_break)
		patch(g, g->break_fix[--g->nbreak], end);
	while (g->ncont > saved_cont)
		patch(g, g->cont_fix[--g->ncont], cont_target);
}

static void add_fix(int *fix, int *n, int at)
{
	if (*n >= 64)
		kcc_fatal("too many break/continue statements in one loop nest");
	fix[(*n)++] = at;
}

static void gen_stmt(Gen *g, Node *n)
{
	switch (n->kind) {
	case N_BLOCK:
		for (int i = 0; i < n->list.n; i++)
			gen_stmt(g, n->list.v[i]);
		return;
	case N_DECL:
		if (n->a) {
			op(g, OP_LOCAL);
			buf_u32(&g->text, (uint32_t)n->sym->slot);
			gen_expr(g, n->a);
			store(g, n->type);
		}
		return;
	case N_EXPR:
		if (n->a) {
			gen_expr(g, n->a);
			op(g, OP_POP);
		}
		return;
	case N_IF: {
		gen_expr(g, n->a);
		int jelse = jump(g, OP_JZ);
		gen_stmt(g, n->b);
		if (n->c) {
			int jend = jump(g, OP_JMP);
			patch(g, jelse, (int)g->text.n);
			gen_stmt(g, n->c);
			patch(g, jend, (int)g->text.n);
		} else {
			patch(g, jelse, (int)g->text.n);
		}
		return;
	}
	case N_WHILE: gen_loop(g, n->a, NULL, n->b); return;
	case N_FOR:
		if (n->a)
			gen_stmt(g, n->a);
		gen_loop(g, n->b, n->c, n->d);
		return;
	case N_RETURN:
		if (n->a)
			gen_expr(g, n->a);
		op(g, OP_RET);
		buf_u8(&g->text, n->a ? 1 : 0);
		return;
	case N_BREAK: add_fix(g->break_fix, &g->nbreak, jump(g, OP_JMP)); return;
	case N_CONTINUE: add_fix(g->cont_fix, &g->ncont, jump(g, OP_JMP)); return;
	default: kcc_fatal("line %d: internal: cannot generate statement %d", n->line, n->kind);
	}
}

/* ---- symbols and sections ---- */
static int bind_of(const Sym *s)
{
	if (!s->defined)
		return s->used ? KOBJ_UNDEF : -1;
	if (s->kind == S_FUNC && s->is_static && !s->used)
		return -1; /* an unused static (inline) function: dropped */
	return s->is_static ? KOBJ_LOCAL : KOBJ_GLOBAL;
}

static void add_sym(Gen *g, Sym *s, int bind)
{
	struct kobj_sym ks = { 0 };
	ks.name_off = (uint32_t)g->strtab.n;
	buf_put(&g->strtab, s->name->s, s->name->len + 1);
	ks.bind = (uint8_t)bind;
	ks.kind = s->kind == S_FUNC ? KOBJ_FUNC : KOBJ_DATA;
	s->index = g->nsyms++;
	buf_put(&g->syms, &ks, sizeof ks);
}

/* Symbol indices: locals, then globals, then undefined, in declaration order. */
static void number_symbols(Gen *g, const SemaResult *r)
{
	for (int bind = KOBJ_LOCAL; bind <= KOBJ_UNDEF; bind++)
		for (int i = 0; i < r->syms.n; i++) {
			Sym *s = r->syms.v[i];
			if (bind_of(s) == bind)
				add_sym(g, s, bind);
		}
}

static struct kobj_sym *obj_sym(Gen *g, const Sym *s)
{
	return (struct kobj_sym *)(g->syms.b + (size_t)s->index * sizeof(struct kobj_sym));
}

static void gen_function(Gen *g, Node *fn)
{
	uint32_t start = (uint32_t)g->text.n;
	op(g, OP_ENTER);
	buf_u32(&g->text, (uint32_t)fn->val);
	buf_u8(&g->text, (unsigned)fn->list.n);
	gen_stmt(g, fn->a);
	op(g, OP_RET);
	buf_u8(&g->text, 0);
	struct kobj_sym *ks = obj_sym(g, fn->sym);
	ks->value = start;
	ks->size = (uint32_t)g->text.n - start;
	g->st->functions_emitted++;
}

static void gen_data(Gen *g, Node *gl)
{
	static const unsigned char zeros[64];
	size_t size = (size_t)(gl->type->size + 7) / 8 * 8;
	while (g->data.n % 8)
		buf_u8(&g->data, 0);
	struct kobj_sym *ks = obj_sym(g, gl->sym);
	ks->value = (uint32_t)g->data.n;
	ks->size = (uint32_t)size;
	if (gl->a && gl->a->kind == N_NUM) {
		buf_u64(&g->data, (uint64_t)gl->a->val);
		size -= size < 8 ? size : 8;
	}
	for (; size > 0; size -= size < sizeof zeros ? size : sizeof zeros)
		buf_put(&g->data, zeros, size < sizeof zeros ? size : sizeof zeros);
}

static void gen_sections(Gen *g, Unit *u)
{
	for (int i = 0; i < u->decls.n; i++) {
		Node *n = u->decls.v[i];
		if (n->kind == N_FUNC && n->a && bind_of(n->sym) >= 0)
			gen_function(g, n);
		else if (n->kind == N_GLOBAL && n->sym->def == n && bind_of(n->sym) >= 0)
			gen_data(g, n);
	}
}

/* ---- the tree hash: every node's kind, operator, value, name and type ---- */
static uint64_t hash_node(uint64_t h, const Node *n)
{
	if (!n)
		return hash_mix(h, 0xff);
	h = hash_mix(h, (uint64_t)n->kind << 8 | n->op);
	h = hash_mix(h, (uint64_t)n->val);
	if (n->name)
		h = hash_mix(h, n->name->hash);
	if (n->type)
		h = hash_mix(h, (uint64_t)n->type->kind << 32 | (uint32_t)n->type->size);
	h = hash_node(hash_node(hash_node(hash_node(h, n->a), n->b), n->c), n->d);
	for (int i = 0; i < n->list.n; i++)
		h = hash_node(h, n->list.v[i]);
	return h;
}

static void write_all(const char *path, const Buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		kcc_fatal("%s: cannot create", path);
	size_t done = 0;
	while (done < b->n) {
		ssize_t w = write(fd, b->b + done, b->n - done);
		if (w <= 0)
			kcc_fatal("%s: write failed", path);
		done += (size_t)w;
	}
	if (close(fd) != 0)
		kcc_fatal("%s: close failed", path);
}

void gen_object(Unit *u, SemaResult *r, const char *out_path, GenStats *st)
{
	Gen g = { .st = st };
	number_symbols(&g, r);
	gen_sections(&g, u);
	uint64_t th = 0x6b6363;
	for (int i = 0; i < u->decls.n; i++)
		th = hash_node(th, u->decls.v[i]);
	struct kobj_header h = { 0 };
	h.magic = KOBJ_MAGIC;
	h.version = KOBJ_VERSION;
	h.nsyms = (uint32_t)g.nsyms;
	h.nrelocs = (uint32_t)g.nrelocs;
	h.text_size = (uint32_t)g.text.n;
	h.data_size = (uint32_t)g.data.n;
	h.strtab_size = (uint32_t)g.strtab.n;
	h.tree_hash = th;
	h.src_hash = st->src_hash;
	st->tree_hash = th;
	st->text_bytes = g.text.n;
	st->data_bytes = g.data.n;
	Buf out = { 0 };
	buf_put(&out, &h, sizeof h);
	buf_put(&out, g.syms.b, g.syms.n);
	buf_put(&out, g.relocs.b, g.relocs.n);
	buf_put(&out, g.text.b, g.text.n);
	buf_put(&out, g.data.b, g.data.n);
	buf_put(&out, g.strtab.b, g.strtab.n);
	write_all(out_path, &out);
}
