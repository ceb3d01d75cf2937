/*
 * screen.h - the text screen a transaction fills with its results.
 *
 * Contract: SPECjbb's transactions format their output as an 80 x 24
 * character screen (a "transaction log buffer") that a terminal would
 * show; here it is a heap object (garbage as soon as the transaction is
 * over, as in Java) whose bytes feed the warehouse's result digest.  The
 * put functions clip at the screen's edges; numbers are right-aligned.
 */
#ifndef JBB_SCREEN_H
#define JBB_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "warehouse.h"

/* A new screen of spaces; returns its cells (row-major, SCREEN_COLS wide). */
jobj *screen_new(warehouse_ctx *w);
char *screen_cells(jobj *screen);
void screen_text(char *cells, unsigned col, unsigned row, const char *text, size_t n);
void screen_str(char *cells, unsigned col, unsigned row, const char *text); /* NUL-terminated */
void screen_num(char *cells, unsigned col, unsigned row, int64_t v, unsigned width);
/* "$-1234.56" right-aligned in width columns. */
void screen_money(char *cells, unsigned col, unsigned row, int64_t cents, unsigned width);

#endif
