/*
 * report_table.c - tables of text printed in four formats (report_table.h).
 *
 * Text: the title, a rule, headings, a rule, then the rows, each column
 * padded to its widest cell (widths in UTF-8 characters, so "±" counts
 * one).  Markdown: a pipe table with a bold title line above it.  LaTeX:
 * a table environment with a caption, booktabs rules (\toprule, \midrule,
 * \bottomrule; \usepackage{booktabs}), shrunk to the text width when wider
 * (\resizebox; \usepackage{graphicx}).  CSV: a header line and the rows;
 * the title is left out, as a CSV reader would take it for data.
 *
 * The notes (what an interval is, what a row lacks) follow the table:
 * lines of text, paragraphs of Markdown, a footnote-size paragraph under
 * the tabular in LaTeX.  CSV leaves them out like the title (a caller
 * that wants them prints report_table_notes()).
 */
#include "report_table.h"

#include <stdlib.h>
#include <string.h>

int report_format_parse(const char *s, enum report_format *f)
{
	static const struct {
		const char *name;
		enum report_format f;
	} names[] = { { "text", REPORT_TEXT },
		      { "markdown", REPORT_MARKDOWN },
		      { "md", REPORT_MARKDOWN },
		      { "latex", REPORT_LATEX },
		      { "csv", REPORT_CSV } };
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i].name) == 0) {
			*f = names[i].f;
			return 0;
		}
	return -1;
}

static char *copy(const char *s)
{
	return strdup(s ? s : "");
}

int report_table_init(struct report_table *t, const char *title, unsigned ncols,
		      const char *const *head, const char *align)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->title = copy(title);
	t->head = calloc(ncols, sizeof *t->head);
	t->align = calloc(ncols + 1, 1);
	if (!t->title || !t->head || !t->align)
		return -1;
	for (unsigned c = 0; c < ncols; c++) {
		t->head[c] = copy(head[c]);
		t->align[c] = align[c] == 'r' ? 'r' : 'l';
		if (!t->head[c])
			return -1;
	}
	return 0;
}

int report_table_add_row(struct report_table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		unsigned cap = t->cap ? 2 * t->cap : 16;
		char **c = realloc(t->cells, (size_t)cap * t->ncols * sizeof *c);
		if (!c)
			return -1;
		t->cells = c;
		t->cap = cap;
	}
	char **row = t->cells + (size_t)t->nrows * t->ncols;
	for (unsigned c = 0; c < t->ncols; c++)
		row[c] = NULL;
	t->nrows++; /* counted now, so report_table_free() frees a half-copied row */
	for (unsigned c = 0; c < t->ncols; c++)
		if (!(row[c] = copy(cells[c])))
			return -1;
	return 0;
}

void report_table_free(struct report_table *t)
{
	for (size_t i = 0; t->cells && i < (size_t)t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (unsigned c = 0; t->head && c < t->ncols; c++)
		free(t->head[c]);
	free(t->cells);
	free(t->head);
	free(t->align);
	free(t->title);
	free(t->notes);
	memset(t, 0, sizeof *t);
}

int report_table_note(struct report_table *t, const char *line)
{
	size_t had = t->notes ? strlen(t->notes) : 0;
	char *n = realloc(t->notes, had + strlen(line) + 2);
	if (!n)
		return -1;
	snprintf(n + had, strlen(line) + 2, "%s\n", line);
	t->notes = n;
	return 0;
}

const char *report_table_notes(const struct report_table *t)
{
	return t->notes ? t->notes : "";
}

static const char *cell(const struct report_table *t, unsigned r, unsigned c)
{
	return t->cells[(size_t)r * t->ncols + c];
}

/* Characters, not bytes: UTF-8 continuation bytes do not count. */
static size_t width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void pad(const char *s, size_t w, char align, FILE *out)
{
	size_t n = width(s);
	if (align == 'r')
		fprintf(out, "%*s%s", (int)(w - n), "", s);
	else
		fprintf(out, "%s%*s", s, (int)(w - n), "");
}

static void print_text(const struct report_table *t, FILE *out)
{
	size_t *w = calloc(t->ncols, sizeof *w), total = 0;
	if (!w)
		return;
	for (unsigned c = 0; c < t->ncols; c++) {
		w[c] = width(t->head[c]);
		for (unsigned r = 0; r < t->nrows; r++)
			if (width(cell(t, r, c)) > w[c])
				w[c] = width(cell(t, r, c));
		total += w[c] + (c ? 2 : 0);
	}
	fprintf(out, "%s\n", t->title);
	for (int pass = 0; pass < 2 + (int)t->nrows; pass++) {
		if (pass == 1) {
			for (size_t i = 0; i < total; i++)
				fputc('-', out);
			fputc('\n', out);
			continue;
		}
		for (unsigned c = 0; c < t->ncols; c++) {
			const char *s = pass == 0 ? t->head[c] : cell(t, (unsigned)pass - 2, c);
			if (c)
				fputs("  ", out);
			/* no trailing blanks after the last column */
			if (c + 1 == t->ncols && t->align[c] == 'l')
				fputs(s, out);
			else
				pad(s, w[c], t->align[c], out);
		}
		fputc('\n', out);
	}
	fputs(report_table_notes(t), out);
	free(w);
}

static void md_cell(const char *s, FILE *out)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s == '\n' ? ' ' : *s, out);
	}
}

static void print_markdown(const struct report_table *t, FILE *out)
{
	fprintf(out, "**");
	md_cell(t->title, out);
	fprintf(out, "**\n\n|");
	for (unsigned c = 0; c < t->ncols; c++) {
		fputc(' ', out);
		md_cell(t->head[c], out);
		fputs(" |", out);
	}
	fputs("\n|", out);
	for (unsigned c = 0; c < t->ncols; c++)
		fputs(t->align[c] == 'r' ? "---:|" : "---|", out);
	fputc('\n', out);
	for (unsigned r = 0; r < t->nrows; r++) {
		fputc('|', out);
		for (unsigned c = 0; c < t->ncols; c++) {
			fputc(' ', out);
			md_cell(cell(t, r, c), out);
			fputs(" |", out);
		}
		fputc('\n', out);
	}
	for (const char *n = report_table_notes(t); *n;) {
		size_t len = strcspn(n, "\n");
		fputc('\n', out);
		for (size_t i = 0; i < len; i++) {
			if (n[i] == '|' || n[i] == '*' || n[i] == '_')
				fputc('\\', out);
			fputc(n[i], out);
		}
		fputc('\n', out);
		n += len + (n[len] == '\n');
	}
}

static void latex_cell(const char *s, FILE *out)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (strncmp(s, "±", 2) == 0) {
			fputs("$\\pm$", out);
			s++;
		} else if (ch == '\\')
			fputs("\\textbackslash{}", out);
		else if (ch == '~')
			fputs("\\textasciitilde{}", out);
		else if (ch == '^')
			fputs("\\textasciicircum{}", out);
		else if (ch == '<') /* OT1, LaTeX's default font encoding, prints ¡ */
			fputs("\\textless{}", out);
		else if (ch == '>') /* ¿ */
			fputs("\\textgreater{}", out);
		else if (ch == '|') /* — */
			fputs("\\textbar{}", out);
		else if (ch == '-' && s[1] == '-') /* not the -- ligature (an en dash) */
			fputs("-{}", out);
		else if (strchr("#$%&_{}", ch) && ch)
			fprintf(out, "\\%c", ch);
		else
			fputc(ch == '\n' ? ' ' : ch, out);
	}
}

static void print_latex(const struct report_table *t, FILE *out)
{
	/* A table wider than the text (the perf table is) shrinks to fit it;
	 * a narrower one keeps its size. */
	fputs("% a vtlab table: needs \\usepackage{booktabs} and \\usepackage{graphicx}\n"
	      "\\begin{table}\n\\centering\n\\caption{",
	      out);
	latex_cell(t->title, out);
	fprintf(out,
		"}\n\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%%\n"
		"\\begin{tabular}{%s}\n\\toprule\n",
		t->align);
	for (unsigned r = 0; r <= t->nrows; r++) {
		for (unsigned c = 0; c < t->ncols; c++) {
			if (c)
				fputs(" & ", out);
			latex_cell(r == 0 ? t->head[c] : cell(t, r - 1, c), out);
		}
		fputs(" \\\\\n", out);
		if (r == 0)
			fputs("\\midrule\n", out);
	}
	fputs("\\bottomrule\n\\end{tabular}}\n", out);
	for (const char *n = report_table_notes(t); *n;) {
		size_t len = strcspn(n, "\n");
		char *line = strndup(n, len);
		fputs("\\par\\smallskip{\\footnotesize ", out);
		latex_cell(line ? line : "", out);
		fputs("}\n", out);
		free(line);
		n += len + (n[len] == '\n');
	}
	fputs("\\end{table}\n", out);
}

static void csv_cell(const char *s, FILE *out)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void print_csv(const struct report_table *t, FILE *out)
{
	for (unsigned r = 0; r <= t->nrows; r++) {
		for (unsigned c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out);
			csv_cell(r == 0 ? t->head[c] : cell(t, r - 1, c), out);
		}
		fputc('\n', out);
	}
}

void report_table_print(const struct report_table *t, enum report_format f, FILE *out)
{
	switch (f) {
	case REPORT_TEXT: print_text(t, out); break;
	case REPORT_MARKDOWN: print_markdown(t, out); break;
	case REPORT_LATEX: print_latex(t, out); break;
	case REPORT_CSV: print_csv(t, out); break;
	}
}
