/*
 * kcc.c - /bin/kcc, the compiler of the kernel-build workload.
 *
 *   kcc [-v] [-I DIR]... -o OUT.o SRC.c
 *
 * Preprocesses SRC.c (reading it and its headers through the file
 * system), parses it, checks it, generates code and writes OUT.o (format:
 * kobj.h).  Exit 0 on success; 1 with a one-line message naming the file
 * and line on an error in the input; 2 on a usage error.  -v prints one
 * line of statistics.  Deterministic: the object depends on the input
 * files only.
 */
#include <stdio.h>
#include <string.h>

#include "kcc.h"

static void usage(void)
{
	fprintf(stderr, "usage: kcc [-v] [-I DIR]... -o OUT.o SRC.c\n");
}

static uint64_t token_hash(const TokVec *v)
{
	uint64_t h = 0x746f6b;
	for (int i = 0; i < v->n; i++) {
		const Token *t = &v->t[i];
		h = hash_mix(h, (uint64_t)t->kind << 8 | t->punct);
		h = hash_mix(h, t->name ? t->name->hash : (uint64_t)t->num);
	}
	return h;
}

int main(int argc, char **argv)
{
	PPStats pp = { 0 };
	const char *out = NULL, *src = NULL;
	int verbose = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "-I") == 0 && i + 1 < argc && pp.ninclude < 8)
			pp.include_dirs[pp.ninclude++] = argv[++i];
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (argv[i][0] != '-' && !src)
			src = argv[i];
		else {
			usage();
			return 2;
		}
	}
	if (!out || !src) {
		usage();
		return 2;
	}
	lex_init();
	TokVec toks = { 0 };
	preprocess(src, &pp, &toks);
	Unit *u = parse(&toks);
	SemaResult sr = { 0 };
	sema(u, &sr);
	GenStats gs = { 0 };
	gs.src_hash = token_hash(&toks);
	gen_object(u, &sr, out, &gs);
	if (verbose)
		printf("kcc %s: %d files, %ld bytes, %d tokens, %d nodes, %d functions "
		       "(%d emitted), %d folds, %d warnings, %zu text bytes\n",
		       src, pp.files_read, pp.bytes_read, toks.n, u->nodes, sr.functions,
		       gs.functions_emitted, sr.folds, sr.warnings, gs.text_bytes);
	return 0;
}
