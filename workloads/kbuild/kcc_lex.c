/*
 * kcc_lex.c - the tokenizer: C's lexical grammar for the subset kcc
 * compiles (ISO C11 section 6.4): identifiers and keywords, decimal, hex
 * and octal integer constants with u/l suffixes, character and string
 * literals with simple escapes, punctuators (longest match), comments
 * (both forms) and line continuations are skipped.  Each token records
 * whether it starts a line, which the preprocessor needs for directives.
 */
#include <string.h>

#include "kcc.h"

Name *kw_int, *kw_long, *kw_char, *kw_void, *kw_unsigned, *kw_const, *kw_static, *kw_extern,
	*kw_inline, *kw_struct, *kw_if, *kw_else, *kw_while, *kw_for, *kw_return, *kw_break,
	*kw_continue, *kw_sizeof;

static Map keywords;

static Name *keyword(const char *s)
{
	Name *n = intern(s, strlen(s));
	map_put(&keywords, n, n);
	return n;
}

void lex_init(void)
{
	map_init(&keywords, 64);
	kw_int = keyword("int");
	kw_long = keyword("long");
	kw_char = keyword("char");
	kw_void = keyword("void");
	kw_unsigned = keyword("unsigned");
	kw_const = keyword("const");
	kw_static = keyword("static");
	kw_extern = keyword("extern");
	kw_inline = keyword("inline");
	kw_struct = keyword("struct");
	kw_if = keyword("if");
	kw_else = keyword("else");
	kw_while = keyword("while");
	kw_for = keyword("for");
	kw_return = keyword("return");
	kw_break = keyword("break");
	kw_continue = keyword("continue");
	kw_sizeof = keyword("sizeof");
}

/* The spelling of each punctuator (for messages and #include <...> names). */
static const struct {
	const char *s;
	uint8_t p;
} puncts[] = {
	{ "<<=", P_SHL_ASSIGN }, { ">>=", P_SHR_ASSIGN }, { "->", P_ARROW },
	{ "++", P_INC },         { "--", P_DEC },         { "+=", P_ADD_ASSIGN },
	{ "-=", P_SUB_ASSIGN },  { "*=", P_MUL_ASSIGN },  { "&=", P_AND_ASSIGN },
	{ "|=", P_OR_ASSIGN },   { "^=", P_XOR_ASSIGN },  { "||", P_OROR },
	{ "&&", P_ANDAND },      { "==", P_EQ },          { "!=", P_NE },
	{ "<=", P_LE },          { ">=", P_GE },          { "<<", P_SHL },
	{ ">>", P_SHR },         { "(", P_LPAREN },       { ")", P_RPAREN },
	{ "{", P_LBRACE },       { "}", P_RBRACE },       { "[", P_LBRACK },
	{ "]", P_RBRACK },       { ";", P_SEMI },         { ",", P_COMMA },
	{ ".", P_DOT },          { "?", P_QUESTION },     { ":", P_COLON },
	{ "#", P_HASH },         { "=", P_ASSIGN },       { "|", P_OR },
	{ "^", P_XOR },          { "&", P_AND },          { "<", P_LT },
	{ ">", P_GT },           { "+", P_PLUS },         { "-", P_MINUS },
	{ "*", P_STAR },         { "/", P_SLASH },        { "%", P_PERCENT },
	{ "!", P_NOT },          { "~", P_TILDE },
};

const char *punct_str(int p)
{
	for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++)
		if (puncts[i].p == p)
			return puncts[i].s;
	return "?";
}

typedef struct {
	const char *p, *end;
	int line, fileno, bol;
	TokVec *out;
} Lexer;

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void emit(Lexer *lx, Token *t)
{
	t->bol = (uint8_t)lx->bol;
	t->file = (uint8_t)lx->fileno;
	t->line = lx->line;
	lx->bol = 0;
	tok_push(lx->out, t);
}

/* Skips blanks, comments and continuations; tracks lines. */
static void skip_space(Lexer *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == '\n') {
			lx->line++;
			lx->bol = 1;
			lx->p++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
			lx->p++;
		} else if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n') {
			lx->p += 2;
			lx->line++;
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
			lx->p += 2;
			while (lx->p + 1 < lx->end && !(lx->p[0] == '*' && lx->p[1] == '/')) {
				if (*lx->p == '\n')
					lx->line++;
				lx->p++;
			}
			lx->p += 2;
		} else {
			return;
		}
	}
}

static void lex_ident(Lexer *lx)
{
	const char *s = lx->p;
	while (lx->p < lx->end && (is_ident_start(*lx->p) || is_digit(*lx->p)))
		lx->p++;
	Token t = { 0 };
	t.name = intern(s, (size_t)(lx->p - s));
	t.kind = map_get(&keywords, t.name) ? T_KEYWORD : T_IDENT;
	emit(lx, &t);
}

static void lex_number(Lexer *lx)
{
	uint64_t v = 0;
	if (lx->p[0] == '0' && lx->p + 1 < lx->end && (lx->p[1] == 'x' || lx->p[1] == 'X')) {
		lx->p += 2;
		for (int d; lx->p < lx->end && (d = hex_value(*lx->p)) >= 0; lx->p++)
			v = v * 16 + (uint64_t)d;
	} else if (lx->p[0] == '0') {
		for (; lx->p < lx->end && *lx->p >= '0' && *lx->p <= '7'; lx->p++)
			v = v * 8 + (uint64_t)(*lx->p - '0');
	} else {
		for (; lx->p < lx->end && is_digit(*lx->p); lx->p++)
			v = v * 10 + (uint64_t)(*lx->p - '0');
	}
	while (lx->p < lx->end &&
	       (*lx->p == 'u' || *lx->p == 'U' || *lx->p == 'l' || *lx->p == 'L'))
		lx->p++;
	Token t = { 0 };
	t.kind = T_NUM;
	t.num = (int64_t)v;
	emit(lx, &t);
}

static int lex_escape(Lexer *lx)
{
	char c = *lx->p++;
	if (c != '\\' || lx->p >= lx->end)
		return (unsigned char)c;
	c = *lx->p++;
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case '0': return 0;
	default: return (unsigned char)c;
	}
}

static void lex_quoted(Lexer *lx, char quote)
{
	char buf[256];
	size_t n = 0;
	int line = lx->line;
	lx->p++;
	while (lx->p < lx->end && *lx->p != quote && *lx->p != '\n') {
		int c = lex_escape(lx);
		if (n < sizeof buf - 1)
			buf[n++] = (char)c;
	}
	if (lx->p >= lx->end || *lx->p != quote)
		kcc_fatal("%s:%d: unterminated %s literal", pp_file_name(lx->fileno), line,
			  quote == '"' ? "string" : "character");
	lx->p++;
	Token t = { 0 };
	if (quote == '"') {
		t.kind = T_STR;
		t.name = intern(buf, n);
	} else {
		t.kind = T_CHAR;
		t.num = n ? (unsigned char)buf[0] : 0;
	}
	emit(lx, &t);
}

/* The punctuator at p: its code and length, by its first characters (as
 * hand-written C lexers do); 0 if none. */
static int match_punct(const char *p, size_t left, int *len)
{
	char c0 = p[0], c1 = left > 1 ? p[1] : 0, c2 = left > 2 ? p[2] : 0;
	*len = 2;
	switch (c0) {
	case '<':
		if (c1 == '<')
			return c2 == '=' ? (*len = 3, P_SHL_ASSIGN) : P_SHL;
		return c1 == '=' ? P_LE : (*len = 1, P_LT);
	case '>':
		if (c1 == '>')
			return c2 == '=' ? (*len = 3, P_SHR_ASSIGN) : P_SHR;
		return c1 == '=' ? P_GE : (*len = 1, P_GT);
	case '-':
		if (c1 == '>')
			return P_ARROW;
		if (c1 == '-')
			return P_DEC;
		return c1 == '=' ? P_SUB_ASSIGN : (*len = 1, P_MINUS);
	case '+':
		if (c1 == '+')
			return P_INC;
		return c1 == '=' ? P_ADD_ASSIGN : (*len = 1, P_PLUS);
	case '&':
		if (c1 == '&')
			return P_ANDAND;
		return c1 == '=' ? P_AND_ASSIGN : (*len = 1, P_AND);
	case '|':
		if (c1 == '|')
			return P_OROR;
		return c1 == '=' ? P_OR_ASSIGN : (*len = 1, P_OR);
	case '*': return c1 == '=' ? P_MUL_ASSIGN : (*len = 1, P_STAR);
	case '^': return c1 == '=' ? P_XOR_ASSIGN : (*len = 1, P_XOR);
	case '=': return c1 == '=' ? P_EQ : (*len = 1, P_ASSIGN);
	case '!': return c1 == '=' ? P_NE : (*len = 1, P_NOT);
	}
	*len = 1;
	switch (c0) {
	case '(': return P_LPAREN;
	case ')': return P_RPAREN;
	case '{': return P_LBRACE;
	case '}': return P_RBRACE;
	case '[': return P_LBRACK;
	case ']': return P_RBRACK;
	case ';': return P_SEMI;
	case ',': return P_COMMA;
	case '.': return P_DOT;
	case '?': return P_QUESTION;
	case ':': return P_COLON;
	case '#': return P_HASH;
	case '/': return P_SLASH;
	case '%': return P_PERCENT;
	case '~': return P_TILDE;
	default: return 0;
	}
}

static void lex_punct(Lexer *lx)
{
	int len;
	int p = match_punct(lx->p, (size_t)(lx->end - lx->p), &len);
	if (!p)
		kcc_fatal("%s:%d: unexpected character '%c' (0x%02x)", pp_file_name(lx->fileno),
			  lx->line, *lx->p, (unsigned char)*lx->p);
	Token t = { 0 };
	t.kind = T_PUNCT;
	t.punct = (uint8_t)p;
	lx->p += len;
	emit(lx, &t);
}

void lex(const char *text, size_t len, int fileno, TokVec *out)
{
	Lexer lx = { text, text + len, 1, fileno, 1, out };
	for (;;) {
		skip_space(&lx);
		if (lx.p >= lx.end)
			break;
		char c = *lx.p;
		if (is_ident_start(c))
			lex_ident(&lx);
		else if (is_digit(c))
			lex_number(&lx);
		else if (c == '"' || c == '\'')
			lex_quoted(&lx, c);
		else
			lex_punct(&lx);
	}
	Token eof = { 0 };
	eof.kind = T_EOF;
	eof.bol = 1;
	eof.file = (uint8_t)fileno;
	eof.line = lx.line;
	tok_push(out, &eof);
}
