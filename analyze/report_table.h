/*
 * report_table.h - a table of text cells printed as a report: aligned
 * text for the terminal, Markdown, LaTeX (booktabs) or CSV.
 *
 * Contract: a table has a title, a fixed number of columns, each with a
 * heading and an alignment ('l' or 'r'), and rows of that many cells; the
 * cells are copied.  report_table_print() writes it in a format, escaping
 * what the format would misread: '|' in Markdown; LaTeX's special
 * characters (# $ % & _ { } ~ ^ \), those the default font prints as
 * other glyphs (< > | and the "--" ligature) and "±" (as $\pm$); in CSV, any field
 * holding a comma, a quote or a line break is quoted (RFC 4180; lines end
 * in \n).  Notes follow the table in every format but CSV.  A NULL cell
 * prints empty.  Functions returning int give 0, or
 * -1 when memory runs out.
 */
#ifndef ANALYZE_REPORT_TABLE_H
#define ANALYZE_REPORT_TABLE_H

#include <stdio.h>

enum report_format { REPORT_TEXT, REPORT_MARKDOWN, REPORT_LATEX, REPORT_CSV };

struct report_table {
	char *title;
	unsigned ncols, nrows, cap;
	char **head;  /* ncols headings */
	char *align;  /* ncols of 'l' / 'r' */
	char **cells; /* nrows x ncols, row-major */
	char *notes;  /* lines printed under the table ('\n'-terminated), or NULL */
};

/* "text", "markdown" (or "md"), "latex", "csv"; -1 otherwise. */
int report_format_parse(const char *s, enum report_format *f);

int report_table_init(struct report_table *t, const char *title, unsigned ncols,
		      const char *const *head, const char *align);
int report_table_add_row(struct report_table *t, const char *const *cells);
/* Adds a line to the notes under the table (not in CSV, like the title). */
int report_table_note(struct report_table *t, const char *line);
/* The notes, '\n'-terminated lines; "" when there are none. */
const char *report_table_notes(const struct report_table *t);
void report_table_print(const struct report_table *t, enum report_format f, FILE *out);
void report_table_free(struct report_table *t);

#endif
