/*
 * lab.c - the lab device at 0x10003000 (docs/devices.md 7): metrics,
 * digest, markers, and the run's argument string (ARGS_LEN at 0x48, the
 * read-only ARGS window from 0x800, read in aligned 8-byte words).
 * Kernel side of SYS_lab: lab_op() takes kernel pointers.
 */
#include "kernel.h"
#include "riscv.h"

#define LAB_PA 0x10003000ull
#define LAB_NAME_ADDR 0x08
#define LAB_NAME_LEN 0x10
#define LAB_VALUE 0x18
#define LAB_DIGEST 0x20
#define LAB_MARKER 0x28
#define LAB_ARGS_LEN 0x48
#define LAB_ARGS_WINDOW 0x800
#define LAB_NAME_MAX 63

static struct spinlock lab_lock = { 0, -1, "lab" };

static volatile uint64_t *lab_reg(uint64_t off)
{
	return (volatile uint64_t *)((char *)io_map(LAB_PA) + off);
}

/* METRIC: a = kernel address of the NUL-terminated name (it must be in
 * RAM: a kernel stack, .bss or page_alloc memory), b = value in millionths.
 * DIGEST: a.  MARKER: a. */
void lab_op(int op, uint64_t a, uint64_t b)
{
	spin_lock(&lab_lock);
	switch (op) {
	case VTLAB_LAB_METRIC: {
		const char *name = (const char *)a;
		size_t len = strlen(name);
		*lab_reg(LAB_NAME_ADDR) = V2P(name);
		*lab_reg(LAB_NAME_LEN) = len > LAB_NAME_MAX ? LAB_NAME_MAX : len;
		*lab_reg(LAB_VALUE) = b;
		break;
	}
	case VTLAB_LAB_DIGEST: *lab_reg(LAB_DIGEST) = a; break;
	case VTLAB_LAB_MARKER: *lab_reg(LAB_MARKER) = a; break;
	default: break;
	}
	spin_unlock(&lab_lock);
}

/* Copies the argument string into buf (NUL-terminated, truncated to n-1);
 * returns its full length. */
size_t lab_args(char *buf, size_t n)
{
	size_t len = (size_t)*lab_reg(LAB_ARGS_LEN);
	size_t i = 0;
	for (; i < len && i + 1 < n; i += 8) {
		uint64_t w = *lab_reg(LAB_ARGS_WINDOW + i);
		for (size_t k = 0; k < 8 && i + k < len && i + k + 1 < n; k++)
			buf[i + k] = (char)(w >> (8 * k));
	}
	if (n)
		buf[len < n - 1 ? len : n - 1] = 0;
	return len;
}
