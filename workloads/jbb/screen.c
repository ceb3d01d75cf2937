/*
 * screen.c - formatting into a transaction's 80 x 24 screen (screen.h).
 */
#include "screen.h"

#include <string.h>

jobj *screen_new(warehouse_ctx *w)
{
	jobj *s = wh_new(w, T_SCREEN, 0, SCREEN_COLS * SCREEN_ROWS);
	/* Object data is 8-byte aligned (heap.h) and the screen a multiple of 8. */
	jwords_fill(jobj_data(s), SCREEN_COLS * SCREEN_ROWS / 8, 0x2020202020202020ull);
	return s;
}

char *screen_cells(jobj *screen)
{
	return jobj_data(screen);
}

void screen_text(char *cells, unsigned col, unsigned row, const char *text, size_t n)
{
	if (row >= SCREEN_ROWS || col >= SCREEN_COLS)
		return;
	if (n > SCREEN_COLS - col)
		n = SCREEN_COLS - col;
	memcpy(cells + row * SCREEN_COLS + col, text, n);
}

void screen_str(char *cells, unsigned col, unsigned row, const char *text)
{
	screen_text(cells, col, row, text, strlen(text));
}

/* Decimal digits of v (with a '-' when negative) right-aligned in buf[0..width). */
static void format_right(char *buf, unsigned width, int64_t v, int cents)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	unsigned i = width;
	unsigned ndigits = 0;
	memset(buf, ' ', width);
	do {
		if (cents && ndigits == 2 && i > 0)
			buf[--i] = '.';
		if (i > 0)
			buf[--i] = (char)('0' + u % 10);
		u /= 10;
		ndigits++;
	} while ((u != 0 || (cents && ndigits < 3)) && i > 0);
	if (cents && i > 0)
		buf[--i] = '$';
	if (v < 0 && i > 0)
		buf[--i] = '-';
}

void screen_num(char *cells, unsigned col, unsigned row, int64_t v, unsigned width)
{
	char buf[24];
	if (width > sizeof buf)
		width = sizeof buf;
	format_right(buf, width, v, 0);
	screen_text(cells, col, row, buf, width);
}

void screen_money(char *cells, unsigned col, unsigned row, int64_t cents, unsigned width)
{
	char buf[24];
	if (width > sizeof buf)
		width = sizeof buf;
	format_right(buf, width, cents, 1);
	screen_text(cells, col, row, buf, width);
}
