/*
 * fuzz_costs.c - libFuzzer target: the cost-file parser, cost_load_file()
 * (vmm/cost.c), on arbitrary bytes.
 *
 * Feeds: the input is the content of a cost file (`vtlab run --cost-file`,
 * `vtlab costs FILE`), written to a memfd and loaded through its
 * /proc/self/fd path, the way the CLI loads a file.
 *
 * Must hold (cost.h, cost.c, docs/costs.md): no sanitizer report; the result
 * is 0 or -1.  On -1 the message is one line "vtlab: PATH:N: WHY" where N is
 * a line of the file that is not blank once its comment is removed (or that
 * holds a NUL byte), and the table is exactly as it was.  On 0, ticks_div is at least 1, every byte
 * outside '#' comments is one a "name = value" line can hold (names are
 * [a-z0-9_], values decimal or 0x hexadecimal, spacing): a file with other
 * bytes, a NUL included, must be rejected, not read in part; and the table
 * is the initial one with each line's value, read as decimal or (0x) hex,
 * set in file order (a model independent of cost.c's own parsing).
 *
 * Build and run: scripts/fuzz.sh costs.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cost.h"

static int file_fd = -1;
static char file_path[64];
static struct cost_table initial; /* every field distinct from its default */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_costs.c: %s%s\n", what, detail);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	file_fd = memfd_create("fuzz_costs", 0);
	if (file_fd < 0)
		die("memfd_create failed", "");
	snprintf(file_path, sizeof file_path, "/proc/self/fd/%d", file_fd);
	cost_defaults(&initial);
	for (size_t i = 0; i < cost_count(); i++)
		cost_set(&initial, cost_name(i), cost_get(&initial, i) * 3 + 7);
	return 0;
}

/* Bytes a "name = value" line may hold outside its comment. */
static int grammar_byte(unsigned char c)
{
	return islower(c) || isdigit(c) || c == '_' || c == '=' || c == 'X' ||
	       (c >= 'A' && c <= 'F') || c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	       c == '\f' || c == '\r';
}

/* Is line `want` (1-based) of the input blank once its comment is cut?  A
 * line holding a NUL byte anywhere is not (cost.c rejects the byte). */
static int line_blank(const uint8_t *data, size_t size, unsigned long want)
{
	unsigned long line = 1;
	size_t i = 0;
	for (; i < size && line < want; i++)
		if (data[i] == '\n')
			line++;
	if (line != want)
		die("the error names a line the file does not have", "");
	size_t end = i;
	while (end < size && data[end] != '\n')
		end++;
	if (memchr(data + i, '\0', end - i))
		return 0;
	for (; i < end && data[i] != '#'; i++)
		if (!isspace(data[i]))
			return 0;
	return 1;
}

static void check_error(const uint8_t *data, size_t size, const char *err)
{
	char prefix[96];
	int n = snprintf(prefix, sizeof prefix, "vtlab: %s:", file_path);
	if (strncmp(err, prefix, (size_t)n) != 0)
		die("the message does not start with 'vtlab: PATH:': ", err);
	if (strchr(err, '\n'))
		die("the message is not one line: ", err);
	char *end;
	unsigned long line = strtoul(err + n, &end, 10);
	if (end == err + n || line == 0 || strncmp(end, ": ", 2) != 0 || !end[2])
		die("the message does not go on with 'LINE: WHY': ", err);
	if (line_blank(data, size, line))
		die("the message names a blank or comment line: ", err);
}

static void check_accepted(const uint8_t *data, size_t size, const struct cost_table *c)
{
	int comment = 0;
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\n')
			comment = 0;
		else if (data[i] == '#')
			comment = 1;
		else if (!comment && !grammar_byte(data[i])) {
			char b[8];
			snprintf(b, sizeof b, "0x%02x", data[i]);
			die("a file with a byte no cost line can hold was accepted: ", b);
		}
	}
	if (c->ticks_div == 0)
		die("ticks_div 0 accepted", "");

	/* Every line is now known to be blank or "name = value": apply them. */
	struct cost_table want = initial;
	char *text = malloc(size + 1);
	if (!text)
		die("out of memory", "");
	memcpy(text, data, size);
	text[size] = '\0';
	/* Lines split with memchr rather than as strings, so that the model
	 * does not depend on the file holding no NUL. */
	for (char *line = text, *nl; line < text + size; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(text + size - line));
		if (!nl)
			nl = text + size;
		*nl = '\0';
		line[strcspn(line, "#")] = '\0';
		char *eq = strchr(line, '=');
		if (!eq)
			continue; /* blank */
		*eq = '\0';
		char name[64];
		if (sscanf(line, " %63s", name) != 1)
			die("an accepted line has no name", "");
		const char *v = eq + 1;
		while (isspace((unsigned char)*v))
			v++;
		int hex = v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
		uint64_t value = strtoull(hex ? v + 2 : v, NULL, hex ? 16 : 10);
		if (cost_set(&want, name, value))
			die("an accepted line names an unknown cost: ", name);
	}
	free(text);
	if (memcmp(&want, c, sizeof want) != 0)
		die("the loaded table is not the file's values read as decimal or 0x hex", "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(file_fd, 0) || pwrite(file_fd, data, size, 0) != (ssize_t)size)
		die("writing the memfd failed", "");
	struct cost_table c = initial;
	char err[1024] = "";
	int r = cost_load_file(&c, file_path, err, sizeof err);
	if (r == -1) {
		check_error(data, size, err);
		if (memcmp(&c, &initial, sizeof c) != 0)
			die("a rejected file changed the table: ", err);
	} else if (r == 0) {
		check_accepted(data, size, &c);
	} else {
		die("cost_load_file returned neither 0 nor -1", "");
	}
	return 0;
}
