/*
 * kcc.h - the compiler of the kernel-build workload (/bin/kcc): the types
 * shared by its phases.
 *
 * kcc compiles one file of a C subset (the language gen_tree.c writes: int,
 * long, char, void, unsigned, pointers, arrays, structs; functions; if,
 * while, for, return, break, continue; C's expression operators) the way a
 * compiler front end does, so that the workload has a compiler's behaviour:
 *   kcc_lex.c    bytes -> tokens (identifiers interned)
 *   kcc_pp.c     #include (through the file system), #define (object-like),
 *                #ifdef/#ifndef/#else/#endif; the multiple-include
 *                optimisation for guarded headers (as GCC's cpplib does)
 *   kcc_parse.c  tokens -> AST (recursive descent, one malloc per node)
 *   kcc_sema.c   scopes and symbol tables (hash tables), type checking,
 *                constant folding
 *   kcc_gen.c    AST -> stack-machine code, and the object file
 *   kcc_util.c   allocation, interning, hash tables, buffers, errors
 * Everything is deterministic: output depends on the input files only.
 * Memory is never freed: the process exits (a compiler's usual profile).
 */
#ifndef KBUILD_KCC_H
#define KBUILD_KCC_H

#include <stddef.h>
#include <stdint.h>

/* ---- utilities (kcc_util.c) ---- */
_Noreturn void kcc_fatal(const char *fmt, ...);
void *kcc_alloc(size_t n); /* zeroed; exits on failure */
char *kcc_strdup(const char *s);

/* An interned identifier: equal names are the same pointer. */
typedef struct Name {
	struct Name *next; /* hash chain */
	uint32_t hash;
	uint32_t len;
	char s[];
} Name;
Name *intern(const char *s, size_t len);

/* Open-addressing hash map from Name* to a value; grows at 3/4 load. */
typedef struct {
	Name **keys;
	void **vals;
	uint32_t cap, count;
} Map;
void map_init(Map *m, uint32_t cap);
void *map_get(const Map *m, const Name *k);
void map_put(Map *m, Name *k, void *v);

/* A growable array of pointers. */
typedef struct {
	void **v;
	int n, cap;
} Vec;
void vec_push(Vec *vec, void *p);

/* A growable byte buffer. */
typedef struct {
	unsigned char *b;
	size_t n, cap;
} Buf;
void buf_put(Buf *b, const void *p, size_t n);
void buf_u8(Buf *b, unsigned v);
void buf_u32(Buf *b, uint32_t v);
void buf_u64(Buf *b, uint64_t v);

uint64_t hash_mix(uint64_t h, uint64_t v); /* for the tree hash */

/* ---- tokens (kcc_lex.c) ---- */
enum tok_kind {
	T_EOF,
	T_IDENT,
	T_KEYWORD, /* name is the keyword */
	T_NUM,
	T_STR,
	T_CHAR,
	T_PUNCT, /* punct is one of enum punct */
};

enum punct {
	P_LPAREN = 1,
	P_RPAREN,
	P_LBRACE,
	P_RBRACE,
	P_LBRACK,
	P_RBRACK,
	P_SEMI,
	P_COMMA,
	P_DOT,
	P_ARROW,
	P_QUESTION,
	P_COLON,
	P_HASH,
	P_ASSIGN,
	P_ADD_ASSIGN,
	P_SUB_ASSIGN,
	P_MUL_ASSIGN,
	P_AND_ASSIGN,
	P_OR_ASSIGN,
	P_XOR_ASSIGN,
	P_SHL_ASSIGN,
	P_SHR_ASSIGN,
	P_OROR,
	P_ANDAND,
	P_OR,
	P_XOR,
	P_AND,
	P_EQ,
	P_NE,
	P_LT,
	P_GT,
	P_LE,
	P_GE,
	P_SHL,
	P_SHR,
	P_PLUS,
	P_MINUS,
	P_STAR,
	P_SLASH,
	P_PERCENT,
	P_NOT,
	P_TILDE,
	P_INC,
	P_DEC,
	P_COUNT
};

typedef struct {
	uint8_t kind;  /* enum tok_kind */
	uint8_t punct; /* enum punct when kind == T_PUNCT */
	uint8_t bol;   /* first token of its line (for directives) */
	uint8_t file;  /* index of its file, for messages */
	int line;
	Name *name;  /* T_IDENT, T_KEYWORD, T_STR (contents) */
	int64_t num; /* T_NUM, T_CHAR */
} Token;

typedef struct {
	Token *t;
	int n, cap;
} TokVec;
void tok_push(TokVec *v, const Token *t);

/* Appends the tokens of text[0..len) (file index fileno) to out. */
void lex(const char *text, size_t len, int fileno, TokVec *out);
const char *punct_str(int p);
extern Name *kw_int, *kw_long, *kw_char, *kw_void, *kw_unsigned, *kw_const, *kw_static, *kw_extern,
	*kw_inline, *kw_struct, *kw_if, *kw_else, *kw_while, *kw_for, *kw_return, *kw_break,
	*kw_continue, *kw_sizeof;
void lex_init(void);

/* ---- preprocessor (kcc_pp.c) ---- */
typedef struct {
	const char *include_dirs[8];
	int ninclude;
	int files_read;       /* distinct opens */
	long bytes_read;      /* source bytes */
	int includes_skipped; /* by the multiple-include optimisation */
	int macros_expanded;
} PPStats;
/* Preprocesses path into out (exits on error); file names for messages. */
void preprocess(const char *path, PPStats *st, TokVec *out);
const char *pp_file_name(int fileno);

/* ---- types and the AST (kcc_parse.c, kcc_sema.c) ---- */
enum type_kind { TY_VOID, TY_CHAR, TY_INT, TY_LONG, TY_PTR, TY_ARRAY, TY_STRUCT, TY_FUNC };

typedef struct Field {
	Name *name;
	struct Type *type;
	int offset;
} Field;

typedef struct Type {
	uint8_t kind;
	uint8_t is_unsigned;
	int size, align;
	struct Type *base; /* PTR, ARRAY: element; FUNC: return */
	long len;          /* ARRAY */
	Name *tag;         /* STRUCT */
	Vec fields;        /* STRUCT: Field*; FUNC: parameter Type* */
	int complete;      /* STRUCT defined */
} Type;

enum node_kind {
	/* expressions */
	N_NUM,
	N_STR,
	N_VAR,
	N_BINARY,
	N_UNARY,
	N_ASSIGN,
	N_COND,
	N_CALL,
	N_INDEX,
	N_MEMBER,
	N_CAST,
	N_SIZEOF,
	N_POSTINC,
	N_POSTDEC,
	N_PREINC,
	N_PREDEC,
	/* statements */
	N_BLOCK,
	N_IF,
	N_WHILE,
	N_FOR,
	N_RETURN,
	N_BREAK,
	N_CONTINUE,
	N_EXPR,
	N_DECL,
	/* top level */
	N_FUNC,
	N_GLOBAL,
	N_STRUCTDEF
};

typedef struct Node {
	uint8_t kind;
	uint8_t op; /* enum punct of the operator (BINARY, UNARY, ASSIGN, MEMBER) */
	uint8_t is_static, is_extern;
	int line;
	Type *type;                 /* declared type, or the expression's type after sema */
	Name *name;                 /* VAR, MEMBER, CALL callee, DECL, FUNC, GLOBAL */
	struct Node *a, *b, *c, *d; /* operands / cond, then, else / for parts */
	Vec list;                   /* BLOCK statements, CALL arguments, FUNC parameters (DECL) */
	int64_t val;                /* NUM, SIZEOF result */
	struct Sym *sym;            /* VAR, DECL, FUNC after sema */
	struct Field *field;        /* MEMBER after sema */
} Node;

typedef struct {
	Vec decls; /* top-level nodes in source order */
	int nodes;
} Unit;
Unit *parse(const TokVec *toks);

/* ---- semantic analysis (kcc_sema.c) ---- */
enum sym_kind { S_FUNC, S_GLOBAL, S_LOCAL, S_PARAM };
typedef struct Sym {
	uint8_t kind;
	uint8_t is_static, defined, used;
	Name *name;
	Type *type;
	Node *def; /* the FUNC or GLOBAL node that defines it */
	int slot;  /* S_LOCAL, S_PARAM: frame slot */
	int index; /* position in the object's symbol table, -1 if none */
} Sym;

typedef struct {
	int functions, globals, structs, locals, folds, warnings, scopes, lookups;
	Vec syms; /* every file-scope Sym, in first-declaration order */
	int max_slots;
} SemaResult;
void sema(Unit *u, SemaResult *r);
Type *type_int(void);
Type *type_long(void);
Type *type_char(void);
Type *type_void(void);
Type *type_ptr(Type *base);
Type *type_array(Type *base, long len);
Type *type_basic(int kind, int is_unsigned);
Type *struct_type(Name *tag); /* the (possibly incomplete) struct of this tag */
void struct_layout(Type *t);
Field *struct_field(const Type *t, const Name *name);
int type_is_integer(const Type *t);
int type_is_pointer(const Type *t); /* pointer or array */
int type_compatible(const Type *a, const Type *b);
/* Folds a constant expression; 1 and *v if n is one. */
int const_value(const Node *n, int64_t *v);

/* ---- code and object (kcc_gen.c) ---- */
typedef struct {
	uint64_t src_hash; /* in: the token-stream hash, stored in the object */
	int functions_emitted, relocs;
	size_t text_bytes, data_bytes;
	uint64_t tree_hash;
} GenStats;
/* Generates code for u and writes the object file; exits on error. */
void gen_object(Unit *u, SemaResult *r, const char *out_path, GenStats *st);

/* Object file format (read by kld.c too): see kobj.h. */

#endif
