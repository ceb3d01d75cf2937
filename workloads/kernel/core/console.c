/*
 * console.c - the console: a 16550 UART at 0x10000000, output only
 * (docs/devices.md 4), reached through io_map(); the console file
 * (fd 0/1/2 of init: reads give end of file, writes go to the UART); and
 * io_map() itself (core/BOOT.md section 3: IOBASE + pa under Svtlb,
 * KERNBASE + pa under Sv39 and the boot table).
 */
#include "kernel.h"
#include "riscv.h"

#define UART_PA 0x10000000ull
#define UART_THR 0

static struct spinlock console_lock = { 0, -1, "console" };

void *io_map(uint64_t pa)
{
	uint64_t satp = csr_read(satp);
	if (SATP_MODE(satp) == SATP_MODE_SVTLB)
		return (void *)(IOBASE + pa);
	if (SATP_MODE(satp) == 0)
		return (void *)pa;
	return (void *)(KERNBASE + pa);
}

void console_putc(char c)
{
	volatile uint8_t *uart = io_map(UART_PA);
	uart[UART_THR] = (uint8_t)c;
}

void console_write_locked(const char *s, size_t n)
{
	spin_lock(&console_lock);
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
	spin_unlock(&console_lock);
}

static int64_t console_read(struct file *f, uint64_t ubuf, size_t n)
{
	(void)f, (void)ubuf, (void)n;
	return 0;
}

static int64_t console_write(struct file *f, uint64_t ubuf, size_t n)
{
	(void)f;
	char buf[256];
	size_t done = 0;
	while (done < n) {
		size_t c = n - done < sizeof buf ? n - done : sizeof buf;
		if (copyin(buf, ubuf + done, c) < 0)
			return done ? (int64_t)done : -VTLAB_EFAULT;
		console_write_locked(buf, c);
		done += c;
	}
	return (int64_t)done;
}

static int console_stat(struct file *f, struct vtlab_stat *st)
{
	(void)f;
	memset(st, 0, sizeof *st);
	st->st_mode = VTLAB_S_IFCHR | 0666;
	st->st_nlink = 1;
	st->st_blksize = 1;
	return 0;
}

static int64_t console_lseek(struct file *f, int64_t off, int whence)
{
	(void)f, (void)off, (void)whence;
	return -VTLAB_ESPIPE;
}

static void console_close(struct file *f)
{
	(void)f;
}

const struct file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.lseek = console_lseek,
	.stat = console_stat,
	.close = console_close,
};
