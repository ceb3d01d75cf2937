/*
 * chart_table.c - a grid of numbers with row and column labels, grown as
 * cells are set; written out as gnuplot data (chart_table.h).
 */
#include "chart_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int find(char *const *labels, unsigned n, const char *s)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(labels[i], s) == 0)
			return (int)i;
	return -1;
}

/* Re-lays the cells for a new capacity; new cells are missing. */
static int resize(struct chart_table *t, unsigned rows_cap, unsigned cols_cap)
{
	double *cell = malloc(sizeof *cell * rows_cap * cols_cap);
	char **rows = realloc(t->rows, sizeof *rows * rows_cap);
	if (rows)
		t->rows = rows;
	char **cols = realloc(t->cols, sizeof *cols * cols_cap);
	if (cols)
		t->cols = cols;
	if (!cell || !rows || !cols) {
		free(cell);
		return -1;
	}
	for (unsigned r = 0; r < rows_cap; r++)
		for (unsigned c = 0; c < cols_cap; c++)
			cell[r * cols_cap + c] =
				r < t->nrows && c < t->ncols ? t->cell[r * t->cols_cap + c] : NAN;
	free(t->cell);
	t->cell = cell;
	t->rows_cap = rows_cap;
	t->cols_cap = cols_cap;
	return 0;
}

/* The index of label s in rows (is_row) or cols, added when absent. */
static int intern(struct chart_table *t, const char *s, int is_row)
{
	char **labels = is_row ? t->rows : t->cols;
	unsigned *n = is_row ? &t->nrows : &t->ncols;
	int i = find(labels, *n, s);
	if (i >= 0)
		return i;
	/* Both capacities start at 8 (no zero-sized cell array), then double. */
	unsigned rc = t->rows_cap ? t->rows_cap : 8, cc = t->cols_cap ? t->cols_cap : 8;
	if (is_row && t->nrows == rc)
		rc *= 2;
	if (!is_row && t->ncols == cc)
		cc *= 2;
	if ((rc != t->rows_cap || cc != t->cols_cap) && resize(t, rc, cc))
		return -1;
	char *copy = strdup(s);
	if (!copy)
		return -1;
	(is_row ? t->rows : t->cols)[*n] = copy;
	return (int)(*n)++;
}

int chart_table_set(struct chart_table *t, const char *row, const char *col, double v)
{
	int r = intern(t, row, 1);
	int c = r < 0 ? -1 : intern(t, col, 0);
	if (c < 0)
		return -1;
	t->cell[(unsigned)r * t->cols_cap + (unsigned)c] = v;
	return 0;
}

int chart_table_add_col(struct chart_table *t, const char *col)
{
	return intern(t, col, 0) < 0 ? -1 : 0;
}

double chart_table_get(const struct chart_table *t, unsigned r, unsigned c)
{
	if (r >= t->nrows || c >= t->ncols)
		return NAN;
	return t->cell[r * t->cols_cap + c];
}

int chart_table_col(const struct chart_table *t, const char *col)
{
	return find(t->cols, t->ncols, col);
}

double chart_table_max(const struct chart_table *t)
{
	double m = 0;
	for (unsigned r = 0; r < t->nrows; r++)
		for (unsigned c = 0; c < t->ncols; c++) {
			double v = chart_table_get(t, r, c);
			if (!isnan(v) && v > m)
				m = v;
		}
	return m;
}

void chart_label_write(const char *s, FILE *f)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '`')
			ch = '\'';
		else if (ch < 0x20 || ch == 0x7f)
			ch = ' ';
		fputc(ch, f);
	}
	fputc('"', f);
}

void chart_table_write(const struct chart_table *t, const char *corner, FILE *f)
{
	chart_label_write(corner, f);
	for (unsigned c = 0; c < t->ncols; c++) {
		fputc(' ', f);
		chart_label_write(t->cols[c], f);
	}
	fputc('\n', f);
	for (unsigned r = 0; r < t->nrows; r++) {
		chart_label_write(t->rows[r], f);
		for (unsigned c = 0; c < t->ncols; c++) {
			double v = chart_table_get(t, r, c);
			if (isnan(v))
				fputs(" ?", f);
			else
				fprintf(f, " %.6g", v);
		}
		fputc('\n', f);
	}
}

void chart_table_free(struct chart_table *t)
{
	for (unsigned i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	for (unsigned i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->rows);
	free(t->cols);
	free(t->cell);
	memset(t, 0, sizeof *t);
}
