/*
 * collector_proto.c - lines and fds over the VMM <-> collector control
 * socket (collector_proto.h).
 *
 * Contract: see collector_proto.h.  Sends loop over partial writes; fds go
 * with the first byte of their line (SCM_RIGHTS, unix(7)), so the reader
 * collects them on the recvmsg that returns that byte and keeps them until
 * ctl_take_fds.  Received fds are made close-on-exec (MSG_CMSG_CLOEXEC).
 */
#include "collector_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int ctl_send_bytes(int fd, const void *bytes, size_t n, const int *fds, unsigned nfds, int flags)
{
	const char *p = bytes;
	union {
		char buf[CMSG_SPACE(sizeof(int) * CTL_MAX_FDS)];
		struct cmsghdr align;
	} u;
	if (nfds > CTL_MAX_FDS) {
		errno = EINVAL;
		return -1;
	}
	while (n > 0) {
		struct iovec iov = { .iov_base = (void *)p, .iov_len = n };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		if (nfds > 0) {
			memset(&u, 0, sizeof u);
			msg.msg_control = u.buf;
			msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
			struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
			memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
		}
		ssize_t w = sendmsg(fd, &msg, flags | MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		nfds = 0; /* the fds went with the first byte */
	}
	return 0;
}

int ctl_send_line(int fd, const char *line, const int *fds, unsigned n)
{
	char buf[CTL_LINE_MAX + 1];
	size_t len = strlen(line);
	if (len >= CTL_LINE_MAX || memchr(line, '\n', len)) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(buf, line, len);
	buf[len] = '\n';
	return ctl_send_bytes(fd, buf, len + 1, fds, n, 0);
}

int ctl_sendf(int fd, const char *fmt, ...)
{
	char line[CTL_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line) {
		errno = EMSGSIZE;
		return -1;
	}
	return ctl_send_line(fd, line, NULL, 0);
}

void ctl_reader_init(struct ctl_reader *r, int fd)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
}

/* Keeps the fds of one control message; closes those that do not fit. */
static void keep_fds(struct ctl_reader *r, struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
			if (r->nfds < CTL_MAX_FDS)
				r->fds[r->nfds++] = fd;
			else
				close(fd);
		}
	}
}

/* One recvmsg into the buffer.  Returns bytes read, 0 at EOF, -1 on error. */
static ssize_t fill(struct ctl_reader *r)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * CTL_MAX_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = r->buf + r->len, .iov_len = sizeof r->buf - r->len };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof u.buf };
	ssize_t got;
	do
		got = recvmsg(r->fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (got < 0 && errno == EINTR);
	if (got > 0) {
		keep_fds(r, &msg);
		r->len += (size_t)got;
	}
	return got;
}

/* Moves a complete buffered line into line[len]; returns 1, 0 if none is
 * complete yet, -1 if it does not fit or is longer than the protocol allows.
 * A line of CTL_LINE_MAX bytes or more is refused even when the caller's
 * buffer would hold it: otherwise such a line would pass when it arrived in
 * one piece and fail when its first CTL_LINE_MAX bytes came without the
 * '\n' (the check above), depending on the socket's timing. */
static int take_line(struct ctl_reader *r, char *line, size_t len)
{
	char *nl = memchr(r->buf, '\n', r->len);
	if (!nl) {
		if (r->len >= CTL_LINE_MAX) {
			errno = EMSGSIZE;
			return -1;
		}
		return 0;
	}
	size_t n = (size_t)(nl - r->buf);
	if (n >= CTL_LINE_MAX || n + 1 > len) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(line, r->buf, n);
	line[n] = '\0';
	r->len -= n + 1;
	memmove(r->buf, nl + 1, r->len);
	return 1;
}

uint64_t ctl_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int64_t now_ms(void)
{
	return (int64_t)(ctl_now_ns() / 1000000u);
}

int ctl_read_line(struct ctl_reader *r, char *line, size_t len, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	for (;;) {
		int t = take_line(r, line, len);
		if (t != 0)
			return t;
		if (r->eof)
			return -1;
		int wait = -1;
		if (deadline >= 0) {
			int64_t left = deadline - now_ms();
			wait = left > 0 ? (int)left : 0;
		}
		struct pollfd p = { .fd = r->fd, .events = POLLIN };
		int pr = poll(&p, 1, wait);
		if (pr < 0 && errno != EINTR)
			return -1;
		if (pr == 0)
			return 0;
		if (pr < 0)
			continue;
		ssize_t got = fill(r);
		if (got == 0)
			r->eof = 1;
		else if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
	}
}

unsigned ctl_take_fds(struct ctl_reader *r, int *out, unsigned max)
{
	unsigned n = r->nfds < max ? r->nfds : max;
	memcpy(out, r->fds, n * sizeof(int));
	memmove(r->fds, r->fds + n, (r->nfds - n) * sizeof(int));
	r->nfds -= n;
	return n;
}

void ctl_reader_close_fds(struct ctl_reader *r)
{
	for (unsigned i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	r->nfds = 0;
}

static int needs_escape(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '%';
}

/* Writes the %-escaped form of *s into out while it fits in room bytes
 * (no NUL written), advancing *s past what was written; returns the
 * length written.  *s is left at the first byte that did not fit. */
static size_t escape_into(const char **s, char *out, size_t room)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (; **s; (*s)++) {
		unsigned char c = (unsigned char)**s;
		size_t need = needs_escape(c) ? 3 : 1;
		if (o + need > room)
			break;
		if (need == 3) {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	return o;
}

char *ctl_escape(const char *s, char *out, size_t outlen)
{
	if (outlen == 0)
		return NULL;
	if (!s || !*s) { /* an empty argument still needs a token */
		if (outlen < 4)
			return NULL;
		memcpy(out, "%00", 4);
		return out;
	}
	size_t o = escape_into(&s, out, outlen - 1);
	if (*s) {
		out[0] = '\0';
		return NULL;
	}
	out[o] = '\0';
	return out;
}

char *ctl_quote(const char *s, char *out, size_t outlen)
{
	if (ctl_escape(s, out, outlen))
		return out;
	/* Too long: the escaped prefix that leaves room for "..." and NUL. */
	size_t o = escape_into(&s, out, outlen - 4);
	memcpy(out + o, "...", 4);
	return out;
}

bool ctl_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (d > max || x > (max - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*out = x;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Unescapes in place; "%00" is the empty string (the only NUL allowed). */
static int unescape(char *s)
{
	char *w = s;
	for (char *p = s; *p; p++) {
		if (*p != '%') {
			*w++ = *p;
			continue;
		}
		int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
		if (hi < 0 || lo < 0)
			return -1;
		int c = hi * 16 + lo;
		if (c == 0) {
			if (p != s || p[3] != '\0')
				return -1;
			break;
		}
		*w++ = (char)c;
		p += 2;
	}
	*w = '\0';
	return 0;
}

int ctl_split(char *line, char **argv)
{
	int n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (n >= CTL_MAX_ARGS || unescape(tok))
			return -1;
		argv[n++] = tok;
	}
	return n;
}
