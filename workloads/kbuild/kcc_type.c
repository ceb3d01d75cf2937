/*
 * kcc_type.c - kcc's types: the basic types (one shared object each),
 * pointer and array types (new objects: a compiler allocates them per
 * declaration), struct types by tag (one per tag, completed by their
 * definition) and struct layout with the LP64 sizes and alignments
 * (char 1, int 4, long and pointers 8; RISC-V psABI, "C type details").
 */
#include "kcc.h"

static Type basic[2][4] = {
	{ { .kind = TY_VOID, .size = 1, .align = 1 },
	  { .kind = TY_CHAR, .size = 1, .align = 1 },
	  { .kind = TY_INT, .size = 4, .align = 4 },
	  { .kind = TY_LONG, .size = 8, .align = 8 } },
	{ { .kind = TY_VOID, .size = 1, .align = 1 },
	  { .kind = TY_CHAR, .size = 1, .align = 1, .is_unsigned = 1 },
	  { .kind = TY_INT, .size = 4, .align = 4, .is_unsigned = 1 },
	  { .kind = TY_LONG, .size = 8, .align = 8, .is_unsigned = 1 } },
};
static Map struct_tags;

Type *type_basic(int kind, int is_unsigned)
{
	return &basic[is_unsigned ? 1 : 0][kind];
}

Type *type_void(void)
{
	return type_basic(TY_VOID, 0);
}

Type *type_char(void)
{
	return type_basic(TY_CHAR, 0);
}

Type *type_int(void)
{
	return type_basic(TY_INT, 0);
}

Type *type_long(void)
{
	return type_basic(TY_LONG, 0);
}

Type *type_ptr(Type *base)
{
	Type *t = kcc_alloc(sizeof *t);
	t->kind = TY_PTR;
	t->size = t->align = 8;
	t->base = base;
	return t;
}

Type *type_array(Type *base, long len)
{
	Type *t = kcc_alloc(sizeof *t);
	t->kind = TY_ARRAY;
	t->base = base;
	t->len = len;
	t->size = (int)(base->size * len);
	t->align = base->align;
	return t;
}

Type *struct_type(Name *tag)
{
	Type *t = map_get(&struct_tags, tag);
	if (!t) {
		t = kcc_alloc(sizeof *t);
		t->kind = TY_STRUCT;
		t->tag = tag;
		t->size = 0;
		t->align = 1;
		map_put(&struct_tags, tag, t);
	}
	return t;
}

void struct_layout(Type *t)
{
	int off = 0, align = 1;
	for (int i = 0; i < t->fields.n; i++) {
		Field *f = t->fields.v[i];
		int a = f->type->align;
		off = (off + a - 1) / a * a;
		f->offset = off;
		off += f->type->size;
		if (a > align)
			align = a;
	}
	t->align = align;
	t->size = (off + align - 1) / align * align;
	t->complete = 1;
}

Field *struct_field(const Type *t, const Name *name)
{
	for (int i = 0; i < t->fields.n; i++) {
		Field *f = t->fields.v[i];
		if (f->name == name)
			return f;
	}
	return NULL;
}

int type_is_integer(const Type *t)
{
	return t->kind == TY_CHAR || t->kind == TY_INT || t->kind == TY_LONG;
}

int type_is_pointer(const Type *t)
{
	return t->kind == TY_PTR || t->kind == TY_ARRAY;
}

/* Same type for assignment purposes (integers convert freely). */
int type_compatible(const Type *a, const Type *b)
{
	if (type_is_integer(a) && type_is_integer(b))
		return 1;
	if (type_is_pointer(a) && type_is_pointer(b))
		return a->base->kind == TY_VOID || b->base->kind == TY_VOID ||
		       type_compatible(a->base, b->base);
	if (a->kind == TY_STRUCT && b->kind == TY_STRUCT)
		return a == b;
	return a->kind == b->kind;
}
