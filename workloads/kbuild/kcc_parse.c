/*
 * kcc_parse.c - the parser: a recursive-descent parser for kcc's C subset
 * (grammar after ISO C11 sections 6.5 to 6.9, without typedef, unions,
 * enums, switch, goto or function pointers), building one malloc'd Node
 * per construct.  Binary operators use precedence climbing with C's
 * precedence levels (6.5.5 to 6.5.14).  Syntax errors are fatal and name
 * the file and line.
 */
#include "kcc.h"

typedef struct {
	const Token *t;
	int pos;
	Unit *u;
} Parser;

static const Token *peek(Parser *p)
{
	return &p->t[p->pos];
}

static _Noreturn void syntax_error(Parser *p, const char *expected)
{
	const Token *t = peek(p);
	kcc_fatal("%s:%d: expected %s", pp_file_name(t->file), t->line, expected);
}

static int is_punct(Parser *p, int punct)
{
	return peek(p)->kind == T_PUNCT && peek(p)->punct == punct;
}

static int accept(Parser *p, int punct)
{
	if (!is_punct(p, punct))
		return 0;
	p->pos++;
	return 1;
}

static void expect(Parser *p, int punct)
{
	if (!accept(p, punct))
		syntax_error(p, punct_str(punct));
}

static int is_kw(Parser *p, const Name *kw)
{
	return peek(p)->kind == T_KEYWORD && peek(p)->name == kw;
}

static int accept_kw(Parser *p, const Name *kw)
{
	if (!is_kw(p, kw))
		return 0;
	p->pos++;
	return 1;
}

static Name *expect_ident(Parser *p)
{
	if (peek(p)->kind != T_IDENT)
		syntax_error(p, "an identifier");
	return p->t[p->pos++].name;
}

static Node *new_node(Parser *p, int kind)
{
	Node *n = kcc_alloc(sizeof *n);
	n->kind = (uint8_t)kind;
	n->line = peek(p)->line;
	p->u->nodes++;
	return n;
}

/* ---- types ---- */
static int starts_type(Parser *p)
{
	return is_kw(p, kw_int) || is_kw(p, kw_long) || is_kw(p, kw_char) || is_kw(p, kw_void) ||
	       is_kw(p, kw_unsigned) || is_kw(p, kw_const) || is_kw(p, kw_struct);
}

static Node *parse_expr(Parser *p);
static Node *parse_assign(Parser *p);
static Node *parse_cond(Parser *p);
static Type *parse_base_type(Parser *p);

static void parse_struct_body(Parser *p, Type *st)
{
	if (st->complete)
		syntax_error(p, "a struct defined only once");
	while (!accept(p, P_RBRACE)) {
		Type *base = parse_base_type(p);
		do {
			Type *t = base;
			while (accept(p, P_STAR))
				t = type_ptr(t);
			Field *f = kcc_alloc(sizeof *f);
			f->name = expect_ident(p);
			if (accept(p, P_LBRACK)) {
				int64_t len;
				if (!const_value(parse_cond(p), &len) || len <= 0)
					syntax_error(p, "a positive constant array size");
				expect(p, P_RBRACK);
				t = type_array(t, (long)len);
			}
			f->type = t;
			vec_push(&st->fields, f);
		} while (accept(p, P_COMMA));
		expect(p, P_SEMI);
	}
	struct_layout(st);
}

static Type *parse_base_type(Parser *p)
{
	int is_unsigned = 0;
	while (accept_kw(p, kw_const))
		;
	if (accept_kw(p, kw_unsigned))
		is_unsigned = 1;
	Type *t;
	if (accept_kw(p, kw_struct)) {
		t = struct_type(expect_ident(p));
		if (accept(p, P_LBRACE))
			parse_struct_body(p, t);
	} else if (accept_kw(p, kw_long)) {
		accept_kw(p, kw_long);
		accept_kw(p, kw_int);
		t = type_basic(TY_LONG, is_unsigned);
	} else if (accept_kw(p, kw_char)) {
		t = type_basic(TY_CHAR, is_unsigned);
	} else if (accept_kw(p, kw_void)) {
		t = type_void();
	} else if (accept_kw(p, kw_int) || is_unsigned) {
		t = type_basic(TY_INT, is_unsigned);
	} else {
		syntax_error(p, "a type");
	}
	while (accept_kw(p, kw_const))
		;
	return t;
}

/* '*'* IDENT ('[' constant ']')? */
static Type *parse_declarator(Parser *p, Type *base, Name **name)
{
	Type *t = base;
	while (accept(p, P_STAR))
		t = type_ptr(t);
	*name = expect_ident(p);
	if (accept(p, P_LBRACK)) {
		int64_t len;
		if (!const_value(parse_cond(p), &len) || len <= 0)
			syntax_error(p, "a positive constant array size");
		expect(p, P_RBRACK);
		t = type_array(t, (long)len);
	}
	return t;
}

static Type *parse_type_name(Parser *p)
{
	Type *t = parse_base_type(p);
	while (accept(p, P_STAR))
		t = type_ptr(t);
	return t;
}

/* ---- expressions ---- */
static Node *parse_primary(Parser *p)
{
	const Token *t = peek(p);
	Node *n;
	if (accept(p, P_LPAREN)) {
		n = parse_expr(p);
		expect(p, P_RPAREN);
		return n;
	}
	n = new_node(p, N_NUM);
	if (t->kind == T_NUM || t->kind == T_CHAR) {
		n->val = t->num;
		n->type = t->kind == T_NUM && (t->num > 0x7fffffff || t->num < -0x7fffffff)
				  ? type_long()
				  : type_int();
	} else if (t->kind == T_STR) {
		n->kind = N_STR;
		n->name = t->name;
	} else if (t->kind == T_IDENT) {
		n->kind = N_VAR;
		n->name = t->name;
	} else {
		syntax_error(p, "an expression");
	}
	p->pos++;
	return n;
}

static Node *parse_postfix(Parser *p)
{
	Node *n = parse_primary(p);
	for (;;) {
		Node *o;
		if (accept(p, P_LBRACK)) {
			o = new_node(p, N_INDEX);
			o->a = n;
			o->b = parse_expr(p);
			expect(p, P_RBRACK);
		} else if (accept(p, P_LPAREN)) {
			if (n->kind != N_VAR)
				syntax_error(p, "a function name before '('");
			o = new_node(p, N_CALL);
			o->name = n->name;
			if (!accept(p, P_RPAREN)) {
				do
					vec_push(&o->list, parse_assign(p));
				while (accept(p, P_COMMA));
				expect(p, P_RPAREN);
			}
		} else if (is_punct(p, P_DOT) || is_punct(p, P_ARROW)) {
			o = new_node(p, N_MEMBER);
			o->op = peek(p)->punct;
			p->pos++;
			o->a = n;
			o->name = expect_ident(p);
		} else if (accept(p, P_INC)) {
			o = new_node(p, N_POSTINC);
			o->a = n;
		} else if (accept(p, P_DEC)) {
			o = new_node(p, N_POSTDEC);
			o->a = n;
		} else {
			return n;
		}
		n = o;
	}
}

static Node *parse_unary(Parser *p);

static Node *parse_cast_or_paren(Parser *p)
{
	int save = p->pos;
	p->pos++; /* '(' */
	if (!starts_type(p)) {
		p->pos = save;
		return parse_postfix(p);
	}
	Node *n = new_node(p, N_CAST);
	n->type = parse_type_name(p);
	expect(p, P_RPAREN);
	n->a = parse_unary(p);
	return n;
}

static Node *parse_unary(Parser *p)
{
	const Token *t = peek(p);
	if (t->kind == T_PUNCT) {
		int op = t->punct;
		if (op == P_MINUS || op == P_NOT || op == P_TILDE || op == P_STAR || op == P_AND ||
		    op == P_PLUS) {
			p->pos++;
			Node *n = new_node(p, N_UNARY);
			n->op = (uint8_t)op;
			n->a = parse_unary(p);
			return n;
		}
		if (op == P_INC || op == P_DEC) {
			p->pos++;
			Node *n = new_node(p, op == P_INC ? N_PREINC : N_PREDEC);
			n->a = parse_unary(p);
			return n;
		}
		if (op == P_LPAREN)
			return parse_cast_or_paren(p);
	}
	if (accept_kw(p, kw_sizeof)) {
		Node *n = new_node(p, N_SIZEOF);
		int save = p->pos;
		if (accept(p, P_LPAREN) && starts_type(p)) {
			n->type = parse_type_name(p);
			expect(p, P_RPAREN);
		} else {
			p->pos = save;
			n->a = parse_unary(p);
		}
		return n;
	}
	return parse_postfix(p);
}

static int binary_precedence(const Token *t)
{
	if (t->kind != T_PUNCT)
		return 0;
	switch (t->punct) {
	case P_OROR: return 1;
	case P_ANDAND: return 2;
	case P_OR: return 3;
	case P_XOR: return 4;
	case P_AND: return 5;
	case P_EQ:
	case P_NE: return 6;
	case P_LT:
	case P_GT:
	case P_LE:
	case P_GE: return 7;
	case P_SHL:
	case P_SHR: return 8;
	case P_PLUS:
	case P_MINUS: return 9;
	case P_STAR:
	case P_SLASH:
	case P_PERCENT: return 10;
	default: return 0;
	}
}

static Node *parse_binary(Parser *p, int min_prec)
{
	Node *lhs = parse_unary(p);
	for (;;) {
		int prec = binary_precedence(peek(p));
		if (prec == 0 || prec < min_prec)
			return lhs;
		Node *n = new_node(p, N_BINARY);
		n->op = peek(p)->punct;
		p->pos++;
		n->a = lhs;
		n->b = parse_binary(p, prec + 1); /* left-associative */
		lhs = n;
	}
}

static Node *parse_cond(Parser *p)
{
	Node *c = parse_binary(p, 1);
	if (!accept(p, P_QUESTION))
		return c;
	Node *n = new_node(p, N_COND);
	n->a = c;
	n->b = parse_expr(p);
	expect(p, P_COLON);
	n->c = parse_cond(p);
	return n;
}

static int is_assign_op(int op)
{
	return op == P_ASSIGN || op == P_ADD_ASSIGN || op == P_SUB_ASSIGN || op == P_MUL_ASSIGN ||
	       op == P_AND_ASSIGN || op == P_OR_ASSIGN || op == P_XOR_ASSIGN ||
	       op == P_SHL_ASSIGN || op == P_SHR_ASSIGN;
}

static Node *parse_assign(Parser *p)
{
	Node *lhs = parse_cond(p);
	if (peek(p)->kind == T_PUNCT && is_assign_op(peek(p)->punct)) {
		Node *n = new_node(p, N_ASSIGN);
		n->op = peek(p)->punct;
		p->pos++;
		n->a = lhs;
		n->b = parse_assign(p);
		return n;
	}
	return lhs;
}

static Node *parse_expr(Parser *p)
{
	Node *n = parse_assign(p);
	while (accept(p, P_COMMA)) {
		Node *c = new_node(p, N_BINARY);
		c->op = P_COMMA;
		c->a = n;
		c->b = parse_assign(p);
		n = c;
	}
	return n;
}

/* ---- statements ---- */
static Node *parse_stmt(Parser *p);

/* A local declaration: one N_DECL per declarator, in a BLOCK if several. */
static Node *parse_local_decl(Parser *p)
{
	Node *blk = new_node(p, N_BLOCK);
	blk->val = 1; /* no scope of its own: the declarations belong to the enclosing block */
	if (accept_kw(p, kw_static))
		syntax_error(p, "no static locals");
	Type *base = parse_base_type(p);
	do {
		Node *d = new_node(p, N_DECL);
		d->type = parse_declarator(p, base, &d->name);
		if (accept(p, P_ASSIGN))
			d->a = parse_assign(p);
		vec_push(&blk->list, d);
	} while (accept(p, P_COMMA));
	expect(p, P_SEMI);
	return blk->list.n == 1 ? blk->list.v[0] : blk;
}

static Node *parse_block(Parser *p)
{
	Node *n = new_node(p, N_BLOCK);
	expect(p, P_LBRACE);
	while (!accept(p, P_RBRACE)) {
		if (peek(p)->kind == T_EOF)
			syntax_error(p, "'}'");
		vec_push(&n->list, parse_stmt(p));
	}
	return n;
}

static Node *parse_for(Parser *p)
{
	Node *n = new_node(p, N_FOR);
	expect(p, P_LPAREN);
	if (starts_type(p))
		n->a = parse_local_decl(p);
	else if (!accept(p, P_SEMI)) {
		n->a = new_node(p, N_EXPR);
		n->a->a = parse_expr(p);
		expect(p, P_SEMI);
	}
	if (!is_punct(p, P_SEMI))
		n->b = parse_expr(p);
	expect(p, P_SEMI);
	if (!is_punct(p, P_RPAREN))
		n->c = parse_expr(p);
	expect(p, P_RPAREN);
	n->d = parse_stmt(p);
	return n;
}

static Node *parse_stmt(Parser *p)
{
	if (is_punct(p, P_LBRACE))
		return parse_block(p);
	if (starts_type(p) || is_kw(p, kw_static))
		return parse_local_decl(p);
	Node *n;
	if (accept_kw(p, kw_if)) {
		n = new_node(p, N_IF);
		expect(p, P_LPAREN);
		n->a = parse_expr(p);
		expect(p, P_RPAREN);
		n->b = parse_stmt(p);
		if (accept_kw(p, kw_else))
			n->c = parse_stmt(p);
		return n;
	}
	if (accept_kw(p, kw_while)) {
		n = new_node(p, N_WHILE);
		expect(p, P_LPAREN);
		n->a = parse_expr(p);
		expect(p, P_RPAREN);
		n->b = parse_stmt(p);
		return n;
	}
	if (accept_kw(p, kw_for))
		return parse_for(p);
	if (accept_kw(p, kw_return)) {
		n = new_node(p, N_RETURN);
		if (!is_punct(p, P_SEMI))
			n->a = parse_expr(p);
	} else if (accept_kw(p, kw_break)) {
		n = new_node(p, N_BREAK);
	} else if (accept_kw(p, kw_continue)) {
		n = new_node(p, N_CONTINUE);
	} else {
		n = new_node(p, N_EXPR);
		if (!is_punct(p, P_SEMI))
			n->a = parse_expr(p);
	}
	expect(p, P_SEMI);
	return n;
}

/* ---- top level ---- */
static void parse_params(Parser *p, Node *fn)
{
	Type *ft = fn->type;
	if (accept(p, P_RPAREN))
		return;
	if (is_kw(p, kw_void) && p->t[p->pos + 1].kind == T_PUNCT &&
	    p->t[p->pos + 1].punct == P_RPAREN) {
		p->pos += 2;
		return;
	}
	do {
		Node *d = new_node(p, N_DECL);
		d->type = parse_declarator(p, parse_base_type(p), &d->name);
		if (d->type->kind == TY_ARRAY)
			d->type = type_ptr(d->type->base); /* 6.7.6.3p7 */
		vec_push(&fn->list, d);
		vec_push(&ft->fields, d->type);
	} while (accept(p, P_COMMA));
	expect(p, P_RPAREN);
}

static Node *parse_function(Parser *p, Type *ret, Name *name, int is_static, int is_extern)
{
	Node *fn = new_node(p, N_FUNC);
	fn->name = name;
	fn->is_static = (uint8_t)is_static;
	fn->is_extern = (uint8_t)is_extern;
	fn->type = kcc_alloc(sizeof(Type));
	fn->type->kind = TY_FUNC;
	fn->type->base = ret;
	parse_params(p, fn);
	if (!accept(p, P_SEMI))
		fn->a = parse_block(p);
	return fn;
}

static void parse_toplevel(Parser *p)
{
	int is_static = 0, is_extern = 0;
	for (;;) {
		if (accept_kw(p, kw_static))
			is_static = 1;
		else if (accept_kw(p, kw_extern))
			is_extern = 1;
		else if (!accept_kw(p, kw_inline))
			break;
	}
	Type *base = parse_base_type(p);
	if (accept(p, P_SEMI)) {
		Node *n = new_node(p, N_STRUCTDEF);
		n->type = base;
		vec_push(&p->u->decls, n);
		return;
	}
	do {
		Name *name;
		Type *t = parse_declarator(p, base, &name);
		if (accept(p, P_LPAREN)) {
			vec_push(&p->u->decls, parse_function(p, t, name, is_static, is_extern));
			return;
		}
		Node *g = new_node(p, N_GLOBAL);
		g->name = name;
		g->type = t;
		g->is_static = (uint8_t)is_static;
		g->is_extern = (uint8_t)is_extern;
		if (accept(p, P_ASSIGN))
			g->a = parse_cond(p);
		vec_push(&p->u->decls, g);
	} while (accept(p, P_COMMA));
	expect(p, P_SEMI);
}

Unit *parse(const TokVec *toks)
{
	Unit *u = kcc_alloc(sizeof *u);
	Parser p = { toks->t, 0, u };
	while (peek(&p)->kind != T_EOF)
		parse_toplevel(&p);
	return u;
}
