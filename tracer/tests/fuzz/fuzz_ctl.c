/*
 * fuzz_ctl.c - libFuzzer target: the collector's control protocol
 * (tracer/collector_proto.c): ctl_split(), ctl_escape() and the line reader
 * ctl_read_line() on arbitrary bytes.
 *
 * Feeds: the input is a 4-byte header then the bytes a peer sends.
 *   byte 0  bits 0-1: how the bytes are cut into writes (all at once, or
 *           random sizes up to 16, 512 or 8192 bytes, seeded by byte 3);
 *           bits 2-3: fds (dups of /dev/null) sent with each write, 0-3
 *   byte 1-2  the reader's line buffer size, little endian, modulo
 *           2 * CTL_LINE_MAX + 2 (callers pass CTL_LINE_MAX)
 *   byte 3  the seed of the write sizes and of the escape buffer sizes
 * Each '\n'-separated line of the body (up to a NUL, as a C string) goes to
 * ctl_split() and ctl_escape(); the body, written into one end of a unix
 * socketpair with the fds attached, is read from the other end with
 * ctl_read_line() (no wait after each write, then to EOF).
 *
 * Must hold (collector_proto.h): no sanitizer report, no hang, no fd leak.
 * ctl_split() returns -1 or at most CTL_MAX_ARGS arguments inside the line,
 * and escaping each argument (ctl_escape) and splitting the joined result
 * gives the same arguments back.  ctl_escape() output fits its buffer, holds
 * no byte <= 0x20 and no DEL, and splits back to the input; NULL only when
 * the buffer is too small.  The reader returns exactly the body's complete
 * lines in order, whatever the cut into writes, until the first line that
 * does not fit the caller's buffer or is longer than CTL_LINE_MAX - 1 bytes
 * (then -1, EMSGSIZE); then -1 at EOF (EMSGSIZE when the unterminated tail
 * already exceeds a line).  Every received fd is handed out once or closed.
 *
 * Build and run: scripts/fuzz.sh ctl.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collector_proto.h"

#define HEADER 4

static int devnull = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ctl.c: %s%s\n", what, detail);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0)
		die("cannot open /dev/null", "");
	return 0;
}

static unsigned open_fds(void)
{
	unsigned n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		die("cannot list /proc/self/fd", "");
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* xorshift32: the write and buffer sizes, reproducible from the input. */
static uint32_t next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* ---------------------------------------------------------------- split, escape */

static size_t escaped_max(size_t n)
{
	return 3 * n + 4; /* every byte as %XX, or "%00", and the NUL */
}

/* Escapes each argument, joins them with spaces, splits the result: the
 * same arguments must come back. */
static void check_round_trip(char **argv, int n)
{
	size_t total = 1;
	for (int i = 0; i < n; i++)
		total += escaped_max(strlen(argv[i])) + 1;
	char *joined = malloc(total), *p = joined;
	if (!joined)
		die("out of memory", "");
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ' ';
		if (!ctl_escape(argv[i], p, total - (size_t)(p - joined)))
			die("ctl_escape failed with room to spare: ", argv[i]);
		p += strlen(p);
	}
	*p = '\0';
	char *again[CTL_MAX_ARGS];
	if (ctl_split(joined, again) != n)
		die("escaped and joined arguments split into another count", "");
	for (int i = 0; i < n; i++)
		if (strcmp(again[i], argv[i]) != 0)
			die("an argument changed through escape and split: ", argv[i]);
	free(joined);
}

static void check_split(const char *line)
{
	size_t len = strlen(line);
	char *copy = malloc(len + 1); /* exact size: ASan sees a read past it */
	if (!copy)
		die("out of memory", "");
	memcpy(copy, line, len + 1);
	char *argv[CTL_MAX_ARGS];
	int n = ctl_split(copy, argv);
	if (n < -1 || n > CTL_MAX_ARGS)
		die("ctl_split returned a count out of range: ", line);
	for (int i = 0; i < n; i++)
		if (argv[i] < copy || argv[i] + strlen(argv[i]) > copy + len)
			die("ctl_split gave an argument outside the line: ", line);
	if (n == 0 && strspn(line, " ") != len)
		die("ctl_split found no argument in a line with some: ", line);
	if (n > 0)
		check_round_trip(argv, n);
	free(copy);
}

static void check_escape(const char *s, uint32_t *seed)
{
	size_t big = escaped_max(strlen(s));
	size_t outlen = next(seed) % 2 ? big : next(seed) % (big + 1);
	char *out = malloc(outlen ? outlen : 1);
	if (!out)
		die("out of memory", "");
	char *r = ctl_escape(s, out, outlen);
	if (!r) {
		if (outlen == big)
			die("ctl_escape failed with room to spare: ", s);
		free(out);
		return;
	}
	size_t n = strnlen(out, outlen);
	if (r != out || n == outlen)
		die("ctl_escape output not terminated inside its buffer: ", s);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] <= 0x20 || out[i] == 0x7f)
			die("ctl_escape left a space, control byte or DEL: ", s);
	char *argv[CTL_MAX_ARGS];
	if (ctl_split(out, argv) != 1 || strcmp(argv[0], s) != 0)
		die("ctl_escape output does not split back to its input: ", s);
	free(out);
}

/* ---------------------------------------------------------------- reader */

struct feed {
	const uint8_t *body;
	size_t size;
	size_t written;     /* bytes of body written to the socket so far */
	size_t linemax;     /* the caller's buffer */
	size_t next_line;   /* where the next expected line starts in body */
	int done;           /* the reader returned -1 */
	unsigned fds_sent;  /* fds attached to the writes */
	unsigned fds_taken; /* fds handed out by ctl_take_fds */
};

/* The model, over the bytes written so far: 1 and the next line the reader
 * must return; -1 when it must fail with EMSGSIZE (a complete line too long
 * for the caller's buffer or for the protocol, or an unterminated one that
 * already exceeds a line); 0 when no complete line is there (the reader
 * returns 0, or -1 once at EOF). */
static int expected(const struct feed *f, size_t *len)
{
	const uint8_t *p = f->body + f->next_line;
	size_t left = f->written - f->next_line;
	const uint8_t *nl = memchr(p, '\n', left);
	if (!nl)
		return left >= CTL_LINE_MAX ? -1 : 0;
	*len = (size_t)(nl - p);
	return *len + 1 > f->linemax || *len >= CTL_LINE_MAX ? -1 : 1;
}

/* Reads what the reader has now (timeout 0), or to the end (at_eof),
 * checking each result against the model. */
static void drain(struct ctl_reader *rd, struct feed *f, char *line, int at_eof)
{
	while (!f->done) {
		size_t len = 0;
		int want = expected(f, &len);
		errno = 0;
		int r = ctl_read_line(rd, line, f->linemax, at_eof ? 5000 : 0);
		if (r == 1) {
			if (want != 1)
				die("ctl_read_line returned a line the model does not have", "");
			if (memcmp(line, f->body + f->next_line, len) != 0 || line[len] != '\0')
				die("ctl_read_line returned another line than the one sent", "");
			f->next_line += len + 1;
			int fds[3];
			unsigned n = ctl_take_fds(rd, fds, 3);
			for (unsigned i = 0; i < n; i++)
				close(fds[i]);
			f->fds_taken += n;
			continue;
		}
		if (r == 0) {
			if (want != 0 || at_eof)
				die(at_eof ? "ctl_read_line waited for more after EOF"
					   : "ctl_read_line had nothing where the model has a result",
				    "");
			return;
		}
		if (r != -1)
			die("ctl_read_line returned neither 1, 0 nor -1", "");
		f->done = 1;
		if (want == 1)
			die("ctl_read_line failed where a complete line fits", "");
		if (want == -1 && errno != EMSGSIZE)
			die("an overlong line did not fail with EMSGSIZE", "");
		if (want == 0 && !at_eof)
			die("ctl_read_line failed before EOF without an overlong line", "");
	}
}

static void send_chunk(int fd, const uint8_t *p, size_t n, unsigned nfds, struct feed *f)
{
	int fds[3];
	for (unsigned i = 0; i < nfds; i++)
		if ((fds[i] = dup(devnull)) < 0)
			die("dup failed", "");
	/* Never blocks: the socket buffer holds far more than max_len
	 * (MSG_DONTWAIT turns a wait into a failure). */
	if (ctl_send_bytes(fd, p, n, fds, nfds, MSG_DONTWAIT) != 0)
		die("a write to the socketpair failed", "");
	for (unsigned i = 0; i < nfds; i++)
		close(fds[i]);
	f->fds_sent += nfds;
}

static void check_reader(const uint8_t *body, size_t size, unsigned mode, unsigned nfds,
			 size_t linemax, uint32_t *seed)
{
	static const size_t max_chunk[4] = { 0, 16, 512, 8192 };
	unsigned before = open_fds();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair failed", "");
	struct ctl_reader *rd = malloc(sizeof *rd);
	char *line = malloc(linemax ? linemax : 1); /* exact size for ASan */
	if (!rd || !line)
		die("out of memory", "");
	ctl_reader_init(rd, sv[0]);
	struct feed f = { .body = body, .size = size, .linemax = linemax };
	/* Once the reader failed, writing on would only fill the socket buffer
	 * (each small write costs far more than its bytes there). */
	for (size_t off = 0; off < size && !f.done;) {
		size_t n = mode == 0 ? size : 1 + next(seed) % max_chunk[mode];
		if (n > size - off)
			n = size - off;
		send_chunk(sv[1], body + off, n, nfds, &f);
		off += n;
		f.written = off;
		drain(rd, &f, line, 0);
	}
	shutdown(sv[1], SHUT_WR);
	drain(rd, &f, line, 1);
	if (!f.done)
		die("ctl_read_line never reported EOF", "");
	if (f.fds_taken + rd->nfds > f.fds_sent)
		die("the reader holds more fds than were sent", "");
	ctl_reader_close_fds(rd);
	if (rd->nfds != 0)
		die("ctl_reader_close_fds left fds", "");
	close(sv[0]);
	close(sv[1]);
	free(line);
	free(rd);
	if (open_fds() != before)
		die("file descriptors leaked", "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HEADER)
		return 0;
	unsigned mode = data[0] & 3, nfds = (data[0] >> 2) & 3;
	size_t linemax = (data[1] | (size_t)data[2] << 8) % (2 * CTL_LINE_MAX + 2);
	uint32_t seed = 0x9e3779b9u ^ data[3]; /* xorshift needs a non-zero state */
	const uint8_t *body = data + HEADER;
	size -= HEADER;

	char *text = malloc(size + 1);
	if (!text)
		die("out of memory", "");
	memcpy(text, body, size);
	text[size] = '\0';
	/* Lines as C strings: a NUL ends a line's text, as for the callers. */
	for (char *p = text; p < text + size;) {
		char *nl = memchr(p, '\n', (size_t)(text + size - p));
		if (nl)
			*nl = '\0';
		check_split(p);
		check_escape(p, &seed);
		p = nl ? nl + 1 : text + size;
	}
	free(text);

	check_reader(body, size, mode, nfds, linemax, &seed);
	return 0;
}
