/*
 * chart_script.h - writes the gnuplot script of one chart: the terminal of
 * the chosen format, the output file, the data inline (a datablock), the
 * variables the template reads, then plots/templates/style.gp and the
 * chart's template.  The script is self-contained: `gnuplot FILE.gp` draws
 * the chart again, so a user can restyle it by editing the copy vtlab
 * leaves beside the chart.
 *
 * Contract: every string from the database or the command line enters the
 * script either as a quoted data field (chart_label_write) or as a
 * single-quoted gnuplot string with quotes doubled and backquotes and
 * control characters replaced: nothing a run's name holds can become a
 * gnuplot command.
 */
#ifndef PLOTS_CHART_SCRIPT_H
#define PLOTS_CHART_SCRIPT_H

#include <stdio.h>

#include "chart_query.h"

enum chart_format { CHART_PNG, CHART_SVG, CHART_PDF };

struct chart_style {
	enum chart_format format;
	unsigned width, height; /* pixels (PNG, SVG); PDF at 160 pixels an inch;
				 * 0: the default (chart_script.c) */
	const char *title;      /* NULL: the chart's own */
};

/* "png", "svg", "pdf" -> format; -1 when none of them. */
int chart_format_parse(const char *name, enum chart_format *f);
const char *chart_format_name(enum chart_format f);

/* The templates (plots/templates/NAME.gp, compiled in by scripts/text-to-c.sh). */
extern const char chart_style_gp[], chart_panels_gp[], chart_perf_gp[], chart_faults_gp[],
	chart_scaling_gp[], chart_sweep_gp[];

/* Writes s as a single-quoted gnuplot string (see the contract). */
void chart_string_write(const char *s, FILE *f);

/* half: the bars' 95% CI half-widths (chart_query_perf_ci), NULL or
 * without a value for none: error bars are drawn when some bar has one.
 * baseline: the configuration the bars are relative to (the y label and
 * the dashed line at 1 name it). */
void chart_script_perf(FILE *f, const struct chart_style *st, const char *output,
		       const struct chart_table *t, const struct chart_table *half,
		       const char *title, const char *baseline);
void chart_script_faults(FILE *f, const struct chart_style *st, const char *output,
			 const struct chart_panels *p, const char *title);
void chart_script_scaling(FILE *f, const struct chart_style *st, const char *output,
			  const struct chart_panels *p, const char *title);
/* param: the swept parameter, the x axis's label. */
void chart_script_sweep(FILE *f, const struct chart_style *st, const char *output,
			const struct chart_panels *p, const char *title, const char *param);

#endif
