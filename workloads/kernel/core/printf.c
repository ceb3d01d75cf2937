/*
 * printf.c - kvsnprintf/ksnprintf/kprintf and panic.
 * Supported: %d %i %u %x %X %p %s %c %%, flags '-' '0', a width, and the
 * length modifiers l, ll, z (what the kernel uses; C11 7.21.6.1 meanings).
 * kprintf formats into a buffer and writes it under the console lock, so
 * lines from different harts do not interleave.
 */
#include "kernel.h"
#include "riscv.h"

struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->n)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, bool upper, bool neg, int width,
		    char pad, bool left)
{
	char tmp[24];
	int i = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	do {
		tmp[i++] = digits[v % base];
		v /= base;
	} while (v);
	int len = i + (neg ? 1 : 0);
	if (neg && pad == '0')
		put(o, '-');
	for (; !left && width > len; width--)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (i)
		put(o, tmp[--i]);
	for (; left && width > len; width--)
		put(o, ' ');
}

static void put_str(struct out *o, const char *s, int width, bool left)
{
	int len = (int)strlen(s);
	for (; !left && width > len; width--)
		put(o, ' ');
	while (*s)
		put(o, *s++);
	for (; left && width > len; width--)
		put(o, ' ');
}

static uint64_t arg_unsigned(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
}

static int64_t arg_signed(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, int64_t) : va_arg(*ap, int);
}

int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap_in)
{
	struct out o = { buf, n, 0 };
	va_list ap;
	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false;
		char pad = ' ';
		for (; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		int width = 0;
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		int lng = 0;
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng = 1;
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, lng);
			put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, false, v < 0, width,
				pad, left);
			break;
		}
		case 'u':
			put_num(&o, arg_unsigned(&ap, lng), 10, false, false, width, pad, left);
			break;
		case 'x':
			put_num(&o, arg_unsigned(&ap, lng), 16, false, false, width, pad, left);
			break;
		case 'X':
			put_num(&o, arg_unsigned(&ap, lng), 16, true, false, width, pad, left);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uint64_t)va_arg(ap, void *), 16, false, false, width, pad,
				left);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			put_str(&o, s ? s : "(null)", width, left);
			break;
		}
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case '%': put(&o, '%'); break;
		case 0: fmt--; break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	va_end(ap);
	if (n)
		buf[o.len < n ? o.len : n - 1] = 0;
	return (int)o.len;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = kvsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

void console_write_locked(const char *s, size_t n); /* console.c */

void kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int len = kvsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	console_write_locked(buf, (size_t)len < sizeof buf ? (size_t)len : sizeof buf - 1);
}

static volatile int panicking;
extern char _bss[], _end[];

/* Return addresses along the frame-pointer chain (-fno-omit-frame-pointer;
 * RISC-V GCC: ra at fp-8, caller's fp at fp-16), while fp stays inside the
 * kernel image, where every kernel stack is. */
static void backtrace(void)
{
	uint64_t fp = (uint64_t)__builtin_frame_address(0);
	char line[48];
	for (int i = 0; i < 12 && fp >= (uint64_t)_bss + 16 && fp <= (uint64_t)_end && !(fp & 7);
	     i++) {
		uint64_t ra = ((uint64_t *)fp)[-1];
		fp = ((uint64_t *)fp)[-2];
		int n = ksnprintf(line, sizeof line, "  at 0x%lx\n", (unsigned long)ra);
		for (int k = 0; k < n; k++)
			console_putc(line[k]);
	}
}

_Noreturn void panic(const char *fmt, ...)
{
	char buf[256];
	intr_off();
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST) == 0) {
		const char *h = "kernel panic: ";
		for (const char *p = h; *p; p++)
			console_putc(*p);
		for (const char *p = buf; *p; p++)
			console_putc(*p);
		console_putc('\n');
		backtrace();
		machine_poweroff(3);
	}
	for (;;)
		__asm__ volatile("wfi");
}
