/*
 * test_import_cmd.c - unit test of `vtlab import kvm` (cli/cmd_import.c)
 * on files that are not KVM traces: a binary file, ftrace text without
 * the kvm events, a missing file and a pipe are refused with one line naming the
 * file, what was expected and how to get it, exit 1, and no database is
 * created; a real trace (a fixture of analyze/tests) still imports.  The
 * parsing itself is tested by analyze/tests/test_import_kvm.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cmd_capture.h"
#include "commands.h"
#include "test_files.h"

static char scratch[] = "/tmp/vtlab-test-import-cmd-XXXXXX";

/* `vtlab import ARGV`, stdout dropped, stderr into out. */
static int import_stderr(char **argv, char *out, size_t len)
{
	return cmd_capture(cmd_import, argv, true, out, len);
}

static const char *write_file(const char *name, const char *text, size_t len)
{
	static char path[4][256];
	static int k;
	char *p = path[k++ & 3];
	snprintf(p, sizeof path[0], "%s/%s", scratch, name);
	FILE *f = fopen(p, "w");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	return p;
}

/* `file` is refused: exit 1, one line naming it and holding `what`, and
 * the database is not created. */
static void refused(const char *file, const char *what)
{
	char db[300], err[2048];
	snprintf(db, sizeof db, "%s/out.db", scratch);
	int rc = import_stderr((char *[]){ "import", "kvm", (char *)file, "--db", db, NULL }, err,
			       sizeof err);
	char *nl = strchr(err, '\n');
	CHECK(rc == 1 && nl && nl[1] == '\0' && strstr(err, file) && strstr(err, what),
	      "%s: status %d, one line with '%s': %s", file, rc, what, err);
	CHECK(access(db, F_OK) != 0, "%s: no database created", file);
	for (const char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\n') {
			CHECK(0, "%s: a control character in the message", file);
			break;
		}
}

int main(void)
{
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 1;
	}
	static const char binary[] = "\x7f"
				     "ELF\x02\x01\x01\x1b[31m\x00\x00\x03\nmore\x01\x02\n";
	refused(write_file("a.out", binary, sizeof binary - 1),
		"line 1 is not ftrace output: '?ELF????[31m'");
	const char *sched = "# tracer: nop\n#\nbash-123 [000] 1.0: sched_switch: a b\n";
	refused(write_file("sched.txt", sched, strlen(sched)), "kvm/enable");
	refused(write_file("empty.txt", "", 0), "no KVM event among its 0 lines");
	char missing[300];
	snprintf(missing, sizeof missing, "%s/none.txt", scratch);
	refused(missing, "cannot open");
	/* a pipe (or /dev/stdin) would import as an empty run */
	char fifo[300];
	snprintf(fifo, sizeof fifo, "%s/pipe", scratch);
	if (mkfifo(fifo, 0600) == 0)
		refused(fifo, "not a regular file (the trace is read more than once)");
	unlink(fifo);

	char fixture[600], db[300], err[2048];
	snprintf(fixture, sizeof fixture, "%s", __FILE__); /* cli/tests/test_import_cmd.c */
	char *cut = strstr(fixture, "cli/tests/test_import_cmd.c");
	if (cut)
		snprintf(cut, sizeof fixture - (size_t)(cut - fixture),
			 "analyze/tests/fixtures/vmx-tracefs.txt");
	snprintf(db, sizeof db, "%s/ok.db", scratch);
	int rc = import_stderr((char *[]){ "import", "kvm", fixture, "--db", db, NULL }, err,
			       sizeof err);
	CHECK(rc == 0 && access(db, F_OK) == 0, "a real trace imports: %d %s", rc, err);
	rc = import_stderr((char *[]){ "import", "kvm", fixture, "--dry-run", NULL }, err,
			   sizeof err);
	CHECK(rc == 0, "a real trace, dry run: %d %s", rc, err);
	test_remove_dir(scratch);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
