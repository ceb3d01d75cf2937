/*
 * kcc_sema.c - semantic analysis: file scope and block scopes as hash
 * tables (one Map per block, searched innermost first, ISO C11 6.2.1),
 * declarations checked against earlier ones (6.7p4: same function arity
 * and return type), every expression typed (usual arithmetic conversions
 * 6.3.1.8, array decay 6.3.2.1p3, pointer arithmetic 6.5.6), lvalues and
 * call arity enforced, and constant subexpressions folded in place.
 * Errors (undeclared name, unknown member, wrong arity, not an lvalue,
 * break outside a loop) are fatal; softer problems (incompatible
 * assignment, value returned from a void function) count as warnings.
 */
#include "kcc.h"

#define MAX_SCOPES 64

typedef struct {
	SemaResult *r;
	Map globals;
	Map scopes[MAX_SCOPES];
	int nscopes;
	int loop_depth;
	int next_slot;
	Type *ret; /* the current function's return type */
} Sema;

static _Noreturn void sema_error(const Node *n, const char *what, const Name *name)
{
	kcc_fatal("line %d: %s%s%s", n->line, what, name ? " " : "", name ? name->s : "");
}

/* ---- constant folding ---- */
static int fold_binary(int op, int64_t a, int64_t b, int64_t *v)
{
	switch (op) {
	case P_PLUS: *v = (int64_t)((uint64_t)a + (uint64_t)b); return 1;
	case P_MINUS: *v = (int64_t)((uint64_t)a - (uint64_t)b); return 1;
	case P_STAR: *v = (int64_t)((uint64_t)a * (uint64_t)b); return 1;
	case P_SLASH:
		if (b == 0 || (b == -1 && a == INT64_MIN))
			return 0;
		*v = a / b;
		return 1;
	case P_PERCENT:
		if (b == 0 || b == -1)
			return 0;
		*v = a % b;
		return 1;
	case P_SHL: *v = (int64_t)((uint64_t)a << (b & 63)); return 1;
	case P_SHR: *v = a >> (b & 63); return 1;
	case P_AND: *v = a & b; return 1;
	case P_OR: *v = a | b; return 1;
	case P_XOR: *v = a ^ b; return 1;
	case P_LT: *v = a < b; return 1;
	case P_GT: *v = a > b; return 1;
	case P_LE: *v = a <= b; return 1;
	case P_GE: *v = a >= b; return 1;
	case P_EQ: *v = a == b; return 1;
	case P_NE: *v = a != b; return 1;
	case P_ANDAND: *v = a && b; return 1;
	case P_OROR: *v = a || b; return 1;
	case P_COMMA: *v = b; return 1;
	default: return 0;
	}
}

static int fold_unary(int op, int64_t a, int64_t *v)
{
	switch (op) {
	case P_MINUS: *v = (int64_t)(0 - (uint64_t)a); return 1;
	case P_PLUS: *v = a; return 1;
	case P_NOT: *v = !a; return 1;
	case P_TILDE: *v = ~a; return 1;
	default: return 0;
	}
}

int const_value(const Node *n, int64_t *v)
{
	int64_t a, b;
	switch (n->kind) {
	case N_NUM: *v = n->val; return 1;
	case N_BINARY:
		return const_value(n->a, &a) && const_value(n->b, &b) &&
		       fold_binary(n->op, a, b, v);
	case N_UNARY: return const_value(n->a, &a) && fold_unary(n->op, a, v);
	case N_COND:
		if (!const_value(n->a, &a))
			return 0;
		return const_value(a ? n->b : n->c, v);
	case N_CAST: return n->type && type_is_integer(n->type) && const_value(n->a, v);
	case N_SIZEOF:
		if (!n->type)
			return 0;
		*v = n->type->size;
		return 1;
	default: return 0;
	}
}

static void make_constant(Sema *s, Node *n, int64_t v, Type *t)
{
	n->kind = N_NUM;
	n->val = v;
	n->type = t;
	n->a = n->b = n->c = NULL;
	s->r->folds++;
}

/* ---- scopes ---- */
static void push_scope(Sema *s)
{
	if (s->nscopes >= MAX_SCOPES)
		kcc_fatal("blocks nested too deeply (%d)", MAX_SCOPES);
	map_init(&s->scopes[s->nscopes++], 8);
	s->r->scopes++;
}

static Sym *lookup(Sema *s, const Name *name)
{
	s->r->lookups++;
	for (int i = s->nscopes - 1; i >= 0; i--) {
		Sym *sym = map_get(&s->scopes[i], name);
		if (sym)
			return sym;
	}
	return map_get(&s->globals, name);
}

static Sym *declare_local(Sema *s, Node *d, int kind)
{
	Map *scope = &s->scopes[s->nscopes - 1];
	if (map_get(scope, d->name))
		sema_error(d, "redeclaration of", d->name);
	Sym *sym = kcc_alloc(sizeof *sym);
	sym->kind = (uint8_t)kind;
	sym->name = d->name;
	sym->type = d->type;
	sym->slot = s->next_slot;
	sym->index = -1;
	s->next_slot += d->type->size > 8 ? (d->type->size + 7) / 8 : 1;
	map_put(scope, d->name, sym);
	d->sym = sym;
	s->r->locals++;
	return sym;
}

/* ---- expressions ---- */
static Type *check_expr(Sema *s, Node *n);

static Type *decay(Type *t)
{
	return t->kind == TY_ARRAY ? type_ptr(t->base) : t;
}

static Type *arith_result(const Type *a, const Type *b)
{
	int is_long = a->kind == TY_LONG || b->kind == TY_LONG;
	int is_unsigned = (a->kind == (is_long ? TY_LONG : TY_INT) && a->is_unsigned) ||
			  (b->kind == (is_long ? TY_LONG : TY_INT) && b->is_unsigned);
	return type_basic(is_long ? TY_LONG : TY_INT, is_unsigned);
}

static int is_lvalue(const Node *n)
{
	return (n->kind == N_VAR && n->type->kind != TY_ARRAY && n->sym->kind != S_FUNC) ||
	       n->kind == N_INDEX || n->kind == N_MEMBER || (n->kind == N_UNARY && n->op == P_STAR);
}

static void warn_unless_compatible(Sema *s, const Type *to, const Node *from)
{
	if (type_is_pointer(to) && from->kind == N_NUM && from->val == 0)
		return; /* a null pointer constant, 6.3.2.3p3 */
	if (!type_compatible(to, decay(from->type)))
		s->r->warnings++;
}

static Type *check_var(Sema *s, Node *n)
{
	Sym *sym = lookup(s, n->name);
	if (!sym)
		sema_error(n, "undeclared identifier", n->name);
	if (sym->kind == S_FUNC)
		sema_error(n, "function used as a value:", n->name);
	sym->used = 1;
	n->sym = sym;
	return sym->type;
}

static Type *check_binary(Sema *s, Node *n)
{
	Type *a = decay(check_expr(s, n->a)), *b = decay(check_expr(s, n->b));
	int64_t v;
	Type *t;
	int op = n->op;
	if (op == P_COMMA)
		t = b;
	else if (op == P_ANDAND || op == P_OROR || (op >= P_EQ && op <= P_GE))
		t = type_int();
	else if ((op == P_PLUS || op == P_MINUS) && type_is_pointer(a) && type_is_integer(b))
		t = a;
	else if (op == P_PLUS && type_is_integer(a) && type_is_pointer(b))
		t = b;
	else if (op == P_MINUS && type_is_pointer(a) && type_is_pointer(b))
		t = type_long();
	else if (type_is_integer(a) && type_is_integer(b))
		t = arith_result(a, b);
	else
		sema_error(n, "invalid operands to a binary operator", NULL);
	if (n->a->kind == N_NUM && n->b->kind == N_NUM && fold_binary(op, n->a->val, n->b->val, &v))
		make_constant(s, n, v, t);
	return t;
}

static Type *check_unary(Sema *s, Node *n)
{
	Type *a = check_expr(s, n->a);
	int64_t v;
	switch (n->op) {
	case P_STAR:
		if (!type_is_pointer(a) || a->base->kind == TY_VOID)
			sema_error(n, "dereference of a non-pointer", NULL);
		return a->base;
	case P_AND:
		if (!is_lvalue(n->a) && !(n->a->kind == N_VAR && n->a->type->kind == TY_ARRAY))
			sema_error(n, "address of a non-lvalue", NULL);
		return type_ptr(a);
	case P_NOT:
		if (n->a->kind == N_NUM && fold_unary(n->op, n->a->val, &v))
			make_constant(s, n, v, type_int());
		return type_int();
	default:
		if (!type_is_integer(a))
			sema_error(n, "arithmetic on a non-integer", NULL);
		Type *t = arith_result(a, type_int());
		if (n->a->kind == N_NUM && fold_unary(n->op, n->a->val, &v))
			make_constant(s, n, v, t);
		return t;
	}
}

static Type *check_call(Sema *s, Node *n)
{
	Sym *fn = map_get(&s->globals, n->name);
	s->r->lookups++;
	if (!fn || fn->kind != S_FUNC)
		sema_error(n, "call of an undeclared function", n->name);
	fn->used = 1;
	n->sym = fn;
	Vec *params = &fn->type->fields;
	if (params->n != n->list.n)
		sema_error(n, "wrong number of arguments to", n->name);
	for (int i = 0; i < n->list.n; i++) {
		Node *arg = n->list.v[i];
		check_expr(s, arg);
		warn_unless_compatible(s, params->v[i], arg);
	}
	return fn->type->base;
}

static Type *check_member(Sema *s, Node *n)
{
	Type *t = check_expr(s, n->a);
	if (n->op == P_ARROW) {
		if (!type_is_pointer(t))
			sema_error(n, "'->' on a non-pointer before", n->name);
		t = t->base;
	}
	if (t->kind != TY_STRUCT || !t->complete)
		sema_error(n, "member of a non-struct or incomplete struct:", n->name);
	n->field = struct_field(t, n->name);
	if (!n->field)
		sema_error(n, "no such member", n->name);
	return n->field->type;
}

static Type *check_assign(Sema *s, Node *n)
{
	Type *t = check_expr(s, n->a);
	check_expr(s, n->b);
	if (!is_lvalue(n->a))
		sema_error(n, "assignment to a non-lvalue", NULL);
	if (n->op == P_ASSIGN)
		warn_unless_compatible(s, t, n->b);
	else if (!type_is_integer(decay(n->b->type)))
		sema_error(n, "compound assignment with a non-integer", NULL);
	return t;
}

static Type *check_incdec(Sema *s, Node *n)
{
	Type *t = check_expr(s, n->a);
	if (!is_lvalue(n->a))
		sema_error(n, "increment of a non-lvalue", NULL);
	return t;
}

static Type *check_expr_kind(Sema *s, Node *n)
{
	switch (n->kind) {
	case N_NUM: return n->type;
	case N_STR: return type_ptr(type_char());
	case N_VAR: return check_var(s, n);
	case N_BINARY: return check_binary(s, n);
	case N_UNARY: return check_unary(s, n);
	case N_ASSIGN: return check_assign(s, n);
	case N_CALL: return check_call(s, n);
	case N_MEMBER: return check_member(s, n);
	case N_POSTINC:
	case N_POSTDEC:
	case N_PREINC:
	case N_PREDEC: return check_incdec(s, n);
	case N_INDEX: {
		Type *a = decay(check_expr(s, n->a));
		Type *b = check_expr(s, n->b);
		if (!type_is_pointer(a) || !type_is_integer(b))
			sema_error(n, "subscript of a non-pointer", NULL);
		return a->base;
	}
	case N_COND: {
		check_expr(s, n->a);
		Type *t = decay(check_expr(s, n->b));
		check_expr(s, n->c);
		if (n->a->kind == N_NUM) {
			Node *pick = n->a->val ? n->b : n->c;
			*n = *pick;
			s->r->folds++;
		}
		return t;
	}
	case N_CAST: {
		Type *to = n->type;
		check_expr(s, n->a);
		if (n->a->kind == N_NUM && type_is_integer(to))
			make_constant(s, n, n->a->val, to);
		return to;
	}
	case N_SIZEOF: {
		Type *t = n->type ? n->type : check_expr(s, n->a);
		make_constant(s, n, t->size, type_long());
		return type_long();
	}
	default: sema_error(n, "not an expression", NULL);
	}
}

static Type *check_expr(Sema *s, Node *n)
{
	Type *t = check_expr_kind(s, n);
	n->type = t;
	return t;
}

/* ---- statements ---- */
static void check_stmt(Sema *s, Node *n);

static void check_decl(Sema *s, Node *d)
{
	if (d->type->kind == TY_VOID || (d->type->kind == TY_STRUCT && !d->type->complete))
		sema_error(d, "variable of incomplete type:", d->name);
	if (d->a) {
		check_expr(s, d->a);
		warn_unless_compatible(s, d->type, d->a);
	}
	declare_local(s, d, S_LOCAL);
}

static void check_block(Sema *s, Node *n)
{
	int own_scope = n->val == 0;
	if (own_scope)
		push_scope(s);
	for (int i = 0; i < n->list.n; i++)
		check_stmt(s, n->list.v[i]);
	if (own_scope)
		s->nscopes--;
}

static void check_loop_body(Sema *s, Node *body)
{
	s->loop_depth++;
	check_stmt(s, body);
	s->loop_depth--;
}

static void check_stmt(Sema *s, Node *n)
{
	switch (n->kind) {
	case N_BLOCK: check_block(s, n); break;
	case N_DECL: check_decl(s, n); break;
	case N_EXPR:
		if (n->a)
			check_expr(s, n->a);
		break;
	case N_IF:
		check_expr(s, n->a);
		check_stmt(s, n->b);
		if (n->c)
			check_stmt(s, n->c);
		break;
	case N_WHILE:
		check_expr(s, n->a);
		check_loop_body(s, n->b);
		break;
	case N_FOR:
		push_scope(s);
		if (n->a)
			check_stmt(s, n->a);
		if (n->b)
			check_expr(s, n->b);
		if (n->c)
			check_expr(s, n->c);
		check_loop_body(s, n->d);
		s->nscopes--;
		break;
	case N_RETURN:
		if (n->a) {
			check_expr(s, n->a);
			if (s->ret->kind == TY_VOID)
				s->r->warnings++;
			else
				warn_unless_compatible(s, s->ret, n->a);
		}
		break;
	case N_BREAK:
	case N_CONTINUE:
		if (!s->loop_depth)
			sema_error(n, "break or continue outside a loop", NULL);
		break;
	default: sema_error(n, "not a statement", NULL);
	}
}

/* ---- file scope ---- */
static Sym *declare_global(Sema *s, Node *n, int kind)
{
	Sym *sym = map_get(&s->globals, n->name);
	if (sym) {
		if (sym->kind != kind)
			sema_error(n, "redeclared as a different kind of symbol:", n->name);
		if (kind == S_FUNC && (sym->type->fields.n != n->type->fields.n ||
				       sym->type->base->kind != n->type->base->kind))
			sema_error(n, "conflicting declaration of", n->name);
		if (kind == S_GLOBAL && !type_compatible(sym->type, n->type))
			sema_error(n, "conflicting types for", n->name);
		sym->is_static |= n->is_static;
		return sym;
	}
	sym = kcc_alloc(sizeof *sym);
	sym->kind = (uint8_t)kind;
	sym->name = n->name;
	sym->type = n->type;
	sym->is_static = n->is_static;
	sym->index = -1;
	map_put(&s->globals, n->name, sym);
	vec_push(&s->r->syms, sym);
	return sym;
}

static void check_function(Sema *s, Node *fn)
{
	Sym *sym = declare_global(s, fn, S_FUNC);
	fn->sym = sym;
	if (!fn->a)
		return;
	if (sym->defined)
		sema_error(fn, "redefinition of", fn->name);
	sym->defined = 1;
	sym->def = fn;
	sym->type = fn->type; /* parameter names of the definition */
	s->r->functions++;
	s->ret = fn->type->base;
	s->next_slot = 0;
	push_scope(s);
	for (int i = 0; i < fn->list.n; i++)
		declare_local(s, fn->list.v[i], S_PARAM);
	check_block(s, fn->a);
	s->nscopes--;
	fn->val = s->next_slot; /* frame size in slots */
	if (s->next_slot > s->r->max_slots)
		s->r->max_slots = s->next_slot;
}

static void check_global(Sema *s, Node *g)
{
	Sym *sym = declare_global(s, g, S_GLOBAL);
	g->sym = sym;
	if (g->is_extern)
		return;
	if (sym->defined && g->a)
		sema_error(g, "redefinition of", g->name);
	sym->defined = 1;
	if (g->a || !sym->def)
		sym->def = g;
	s->r->globals++;
	if (g->a) {
		check_expr(s, g->a);
		if (g->a->kind != N_NUM && g->a->kind != N_STR)
			sema_error(g, "initializer is not a constant:", g->name);
	}
}

void sema(Unit *u, SemaResult *r)
{
	Sema s = { .r = r };
	map_init(&s.globals, 1024);
	for (int i = 0; i < u->decls.n; i++) {
		Node *n = u->decls.v[i];
		if (n->kind == N_FUNC)
			check_function(&s, n);
		else if (n->kind == N_GLOBAL)
			check_global(&s, n);
		else
			r->structs++;
	}
}
