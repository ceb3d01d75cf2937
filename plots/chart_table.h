/*
 * chart_table.h - the data of one chart panel: a grid of numbers with
 * labelled rows (the x axis: workloads, configurations, vCPU counts) and
 * labelled columns (the series: configurations, fault kinds), as gnuplot's
 * histogram and line styles read it.
 *
 * Contract: rows and columns appear in the order their labels were first
 * set; a cell never set is missing (NAN) and is written as "?", which the
 * generated scripts declare as gnuplot's missing-value marker.  Labels are
 * copied.  chart_table_write() quotes every label and replaces what gnuplot
 * could misread inside a quoted data field (double quotes, backquotes,
 * control characters) with a harmless character, so no database string can
 * end a data block or a field early.  Functions returning int give 0 on
 * success and -1 when memory runs out.
 */
#ifndef PLOTS_CHART_TABLE_H
#define PLOTS_CHART_TABLE_H

#include <stdio.h>

struct chart_table {
	char **rows, **cols;
	unsigned nrows, ncols;
	unsigned rows_cap, cols_cap;
	double *cell; /* rows_cap x cols_cap, row-major */
};

/* Sets the cell (row, col), adding the row or column label if new. */
int chart_table_set(struct chart_table *t, const char *row, const char *col, double v);
/* Adds a column label (no cells set) if new: fixes the column order. */
int chart_table_add_col(struct chart_table *t, const char *col);
/* The cell of row r, column c: NAN when never set. */
double chart_table_get(const struct chart_table *t, unsigned r, unsigned c);
/* The index of a column label, or -1. */
int chart_table_col(const struct chart_table *t, const char *col);
/* The largest value set (0 when none). */
double chart_table_max(const struct chart_table *t);
/* Writes the header line (corner label, then the column labels) and one
 * line per row, as one gnuplot data set. */
void chart_table_write(const struct chart_table *t, const char *corner, FILE *f);
/* Writes s between double quotes, made safe as the contract says. */
void chart_label_write(const char *s, FILE *f);
void chart_table_free(struct chart_table *t);

#endif
