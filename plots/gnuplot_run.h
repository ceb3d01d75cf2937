/*
 * gnuplot_run.h - draws a chart by running `gnuplot SCRIPT`.
 *
 * Contract: gnuplot_run() returns 0 when gnuplot exited 0 and left a
 * non-empty OUTPUT; otherwise -1 with one line in err: gnuplot missing
 * (and how to install it), killed, failed (its own messages, naming the
 * script and line, went to stderr before), an empty output, or one cut
 * short (a PNG, PDF or SVG without its end, as a full disk leaves it;
 * removed).
 */
#ifndef PLOTS_GNUPLOT_RUN_H
#define PLOTS_GNUPLOT_RUN_H

#include <stddef.h>

int gnuplot_run(const char *script, const char *output, char *err, size_t errlen);

#endif
