/*
 * klib.c - the freestanding C library functions the kernel uses (kernel.h
 * "klib").  The compiler may emit calls to memset/memcpy/memmove/memcmp
 * itself, so they must exist with the standard contracts (C11 7.24).
 */
#include "kernel.h"

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	if (((uintptr_t)p & 7) == 0 && (n & 7) == 0 && c == 0) {
		for (uint64_t *w = d; n; n -= 8)
			*w++ = 0;
		return d;
	}
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	return memmove(d, s, n);
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	if (dp == sp || n == 0)
		return d;
	if (dp < sp || dp >= sp + n) {
		if ((((uintptr_t)dp | (uintptr_t)sp | n) & 7) == 0) {
			uint64_t *dw = d;
			const uint64_t *sw = s;
			for (size_t i = 0; i < n / 8; i++)
				dw[i] = sw[i];
			return d;
		}
		for (size_t i = 0; i < n; i++)
			dp[i] = sp[i];
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

size_t strlcpy(char *d, const char *s, size_t n)
{
	size_t len = strlen(s);
	if (n) {
		size_t c = len < n - 1 ? len : n - 1;
		memcpy(d, s, c);
		d[c] = 0;
	}
	return len;
}
