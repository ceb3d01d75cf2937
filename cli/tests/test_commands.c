/*
 * test_commands.c - unit test of the subcommands' usage errors (commands.h:
 * "Messages are one line on stderr, prefixed 'vtlab CMD: '", exit status 2).
 *
 * Calls cmd_run, cmd_costs, cmd_collect, cmd_import, cmd_plot,
 * cmd_campaign, cmd_merge, cmd_report and cmd_query with one bad option or value each and checks that stderr
 * holds exactly one line, starting with the command's prefix and naming
 * the offending word.  costs and import used to let getopt print "costs:
 * unrecognized option ..." on a line of its own before theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cmd_capture.h"
#include "commands.h"
#include "machine.h"
#include "run_workload.h"
#include "vtlab/fs_format.h"
#include "where_option.h"

/* One usage error: status 2, one line "vtlab CMD: ..." naming `word`. */
static void usage_error(int (*fn)(int, char **), char **argv, const char *word)
{
	char err[2048], prefix[64];
	int status = cmd_capture(fn, argv, false, err, sizeof err);
	char *nl = strchr(err, '\n');
	snprintf(prefix, sizeof prefix, "vtlab %s: ", argv[0]);
	CHECK(status == EXIT_USAGE, "%s %s: status %d", argv[0], argv[1], status);
	CHECK(nl && nl[1] == '\0', "%s %s: not one line: '%s'", argv[0], argv[1], err);
	CHECK(strncmp(err, prefix, strlen(prefix)) == 0, "%s %s: no prefix '%s': '%s'", argv[0],
	      argv[1], prefix, err);
	CHECK(strstr(err, word) != NULL, "%s %s: '%s' not named: '%s'", argv[0], argv[1], word,
	      err);
}

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })

/* A two-block file at path: zeros, or a vtfs superblock claiming nblocks. */
static void write_disk(const char *path, uint32_t nblocks)
{
	static uint8_t img[2 * VTFS_BLOCK_SIZE];
	struct vtfs_super sb = { .magic = VTFS_MAGIC,
				 .version = VTFS_VERSION,
				 .block_size = VTFS_BLOCK_SIZE,
				 .nblocks = nblocks };
	memset(img, 0, sizeof img);
	if (nblocks)
		memcpy(img, &sb, sizeof sb);
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(img, 1, sizeof img, f) == sizeof img && fclose(f) == 0, "write %s", path);
}

/* A workload disk that is not a vtfs image, or is cut short, is refused
 * before boot with the file named; the guest kernel used to panic with
 * "cannot mount the disk", naming no file. */
static void bad_workload_disks(void)
{
	char path[] = "/tmp/vtlab-test-disk-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	close(fd);
	char *argv[] = { "run", "--workload", "kbuild", "--kernel", path, "--disk", path, NULL };
	write_disk(path, 0);
	usage_error(cmd_run, argv, "is not a vtfs image");
	write_disk(path, 100);
	usage_error(cmd_run, argv, "was cut short");
	char *folder[] = {
		"run", "--workload", "kbuild", "--kernel", path, "--disk", "/tmp", NULL
	};
	usage_error(cmd_run, folder, "/tmp: cannot read it: Is a directory");
	write_disk(path, 2);
	char err[2048];
	int status = cmd_capture(cmd_run, argv, true, err, sizeof err);
	CHECK(strstr(err, "vtfs") == NULL, "a whole vtfs image refused: '%s'", err);
	(void)status; /* the "kernel" is no ELF: it fails later, not here */
	unlink(path);
}

/* stderr into err while fn(arg) runs; fn's result. */
static int quiet(int (*fn)(void *), void *arg, char *err, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	fflush(stderr);
	if (tmp)
		dup2(fileno(tmp), STDERR_FILENO);
	int r = fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	err[0] = '\0';
	if (tmp) {
		rewind(tmp);
		size_t n = fread(err, 1, len - 1, tmp);
		err[n] = '\0';
		fclose(tmp);
	}
	return r;
}

static int check_name(void *name)
{
	return workload_check_name(name);
}

static int check_mmu(void *mmu)
{
	return workload_check_mmu(mmu);
}

struct apply {
	struct workload_opts w;
	struct machine_config cfg;
	const char *exe;
};

static int apply(void *a)
{
	struct apply *x = a;
	return workload_apply(&x->w, &x->cfg, x->exe);
}

/* run_workload.h: the names and MMUs taken, and the boot arguments
 * "mmu=M [other kernel options] /bin/NAME [TEST] [--small] [workload
 * options]", the kernel and disk beside the binary unless given, the
 * disk snapshot on. */
static void workload_args(void)
{
	char err[4096], disk[] = "/tmp/vtlab-test-wdisk-XXXXXX";
	int fd = mkstemp(disk);
	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	close(fd);
	const char *good[] = { "kbuild", "jbb", "sysbench:cpu", "sysbench:mutex" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		CHECK(quiet(check_name, (void *)good[i], err, sizeof err) == 0, "%s: %s", good[i],
		      err);
	const char *bad[] = { "sysbenchXcpu", "sysbench:", "sysbench:disk", "jbbx", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(quiet(check_name, (void *)bad[i], err, sizeof err) == -1 &&
			      strstr(err, "vtlab run: --workload: expected"),
		      "'%s' taken: %s", bad[i], err);
	CHECK(quiet(check_mmu, "sv39", err, sizeof err) == 0 &&
		      quiet(check_mmu, "svtlb", err, sizeof err) == 0 &&
		      quiet(check_mmu, "sv48", err, sizeof err) == -1 && strstr(err, "'sv48'"),
	      "mmus: %s", err);

	write_disk(disk, 2); /* two blocks, the superblock says two: whole */
	char *extra[] = { "--seconds", "3" };
	struct apply a = { .w = { .name = "sysbench:fileio",
				  .mmu = "sv39",
				  .small = true,
				  .extra = extra,
				  .nextra = 2 },
			   .cfg = { .args = "quiet", .kernel = disk, .disk = disk },
			   .exe = "/nonexistent/bin/vtlab" };
	CHECK(quiet(apply, &a, err, sizeof err) == 0 && a.cfg.args == a.w.args &&
		      strcmp(a.w.args, "mmu=sv39 quiet /bin/sysbench fileio --small --seconds 3") ==
			      0 &&
		      a.cfg.disk_snapshot && a.cfg.kernel == (const char *)disk,
	      "sysbench:fileio: '%s' %s", a.w.args, err);

	/* --mmu alone: the argument, no program, no kernel or disk */
	a = (struct apply){ .w = { .mmu = "svtlb" }, .exe = "/nonexistent/bin/vtlab" };
	CHECK(quiet(apply, &a, err, sizeof err) == 0 && a.cfg.args &&
		      strcmp(a.cfg.args, "mmu=svtlb") == 0 && !a.cfg.kernel && !a.cfg.disk &&
		      !a.cfg.disk_snapshot,
	      "--mmu alone: '%s' %s", a.cfg.args ? a.cfg.args : "(null)", err);
	a = (struct apply){ .cfg = { .args = "quiet" }, .exe = "/nonexistent/bin/vtlab" };
	CHECK(quiet(apply, &a, err, sizeof err) == 0 && strcmp(a.cfg.args, "quiet") == 0,
	      "no workload: the arguments kept");

	/* the kernel and disk beside the binary, the PV kernel with --pv */
	a = (struct apply){ .w = { .name = "jbb" }, .exe = "/nonexistent/bin/vtlab" };
	CHECK(quiet(apply, &a, err, sizeof err) == -1 &&
		      strstr(err, "--workload jbb: /nonexistent/bin/guest/kernel.elf is missing") &&
		      strcmp(a.w.args, "/bin/jbb") == 0,
	      "kernel beside the binary: %s", err);
	a = (struct apply){ .w = { .name = "jbb", .pv = true }, .exe = "/nonexistent/bin/vtlab" };
	CHECK(quiet(apply, &a, err, sizeof err) == -1 &&
		      strstr(err, "/nonexistent/bin/guest/kernel-pv.elf is missing"),
	      "--pv: %s", err);
	a = (struct apply){ .w = { .name = "jbb" },
			    .cfg = { .kernel = disk },
			    .exe = "/nonexistent/bin/vtlab" };
	CHECK(quiet(apply, &a, err, sizeof err) == -1 &&
		      strstr(err, "/nonexistent/bin/guest/disk-workloads.img is missing"),
	      "disk beside the binary: %s", err);

	/* "/bin/jbb " and a word: 2047 bytes fit w->args, 2048 do not */
	char word[2048];
	memset(word, 'w', sizeof word);
	word[2038] = '\0';
	char *longer[] = { word };
	a = (struct apply){ .w = { .name = "jbb", .extra = longer, .nextra = 1 },
			    .cfg = { .kernel = disk, .disk = disk },
			    .exe = "/nonexistent/bin/vtlab" };
	CHECK(quiet(apply, &a, err, sizeof err) == 0 && strlen(a.w.args) == 2047,
	      "2047 bytes of arguments: %s", err);
	word[2038] = 'w';
	word[2039] = '\0';
	a.w = (struct workload_opts){ .name = "jbb", .extra = longer, .nextra = 1 };
	CHECK(quiet(apply, &a, err, sizeof err) == -1 &&
		      strstr(err, "the guest argument string is longer than 2047 bytes"),
	      "2048 bytes of arguments: %s", err);

	/* a superblock cut short, of another version or block size */
	struct vtfs_super sb = { .magic = VTFS_MAGIC,
				 .version = VTFS_VERSION,
				 .block_size = VTFS_BLOCK_SIZE,
				 .nblocks = 2 };
	a = (struct apply){ .w = { .name = "jbb" },
			    .cfg = { .kernel = disk, .disk = disk },
			    .exe = "/nonexistent/bin/vtlab" };
	FILE *f = fopen(disk, "wb");
	CHECK(f && fwrite(&sb, 1, 8, f) == 8 && fclose(f) == 0, "write %s", disk);
	CHECK(quiet(apply, &a, err, sizeof err) == -1 && strstr(err, "shorter than a superblock"),
	      "8 bytes of a superblock: %s", err);
	struct vtfs_super other[] = { sb, sb };
	other[0].version++;
	other[1].block_size /= 2;
	for (int i = 0; i < 2; i++) {
		write_disk(disk, 2);
		f = fopen(disk, "r+b");
		CHECK(f && fwrite(&other[i], sizeof sb, 1, f) == 1 && fclose(f) == 0, "write");
		a.w = (struct workload_opts){ .name = "jbb" };
		CHECK(quiet(apply, &a, err, sizeof err) == -1 && strstr(err, "this vtlab reads"),
		      "version %u, %u-byte blocks: %s", other[i].version, other[i].block_size, err);
	}
	unlink(disk);
}

/* A cost file's error is the command's, one line naming the option and
 * the file's line ("vtlab costs: --cost-file: F:2: ..."); vmm/'s message
 * came out as "vtlab: F:2: ...". */
static void bad_cost_file(void)
{
	char path[] = "/tmp/vtlab-test-costs-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	CHECK(write(fd, "mmio = 300\nbogus = 1\n", 22) == 22, "write %s", path);
	close(fd);
	char want[128];
	snprintf(want, sizeof want, "--cost-file: %s:2: unknown cost 'bogus'", path);
	usage_error(cmd_costs, ARGV("costs", "--cost-file", path), want);
	usage_error(cmd_run, ARGV("run", "--kernel", "/nonexistent.elf", "--cost-file", path),
		    want);
	unlink(path);
}

/* --where's limits (cli/where_option.c): a NAME of CLI_WHERE_NAME_MAX
 * bytes, which the copy would cut short (and so select by another name),
 * and a term past REPORT_MAX_WHERE are usage errors. */
static void where_limits(void)
{
	char name[CLI_WHERE_NAME_MAX + 8];
	memset(name, 'n', CLI_WHERE_NAME_MAX);
	snprintf(name + CLI_WHERE_NAME_MAX, 8, "=1");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "--where", name), "NAME=VALUE");
	char *argv[3 + 2 * (REPORT_MAX_WHERE + 1) + 1] = { "report", "--db", "x.db" };
	for (unsigned i = 0; i <= REPORT_MAX_WHERE; i++) {
		argv[3 + 2 * i] = "--where";
		argv[4 + 2 * i] = "a=1";
	}
	usage_error(cmd_report, argv, "at most 16 terms");
}

int main(void)
{
	bad_cost_file();
	usage_error(cmd_costs, ARGV("costs", "--bogus"), "'--bogus'");
	usage_error(cmd_costs, ARGV("costs", "--cost-file"), "'--cost-file'");
	usage_error(cmd_costs, ARGV("costs", "--markdown=1"), "'--markdown=1'");
	usage_error(cmd_costs, ARGV("costs", "extra"), "'extra'");
	usage_error(cmd_import, ARGV("import", "kvm", "t.txt", "--bogus"), "'--bogus'");
	usage_error(cmd_import, ARGV("import", "kvm", "t.txt", "--db"), "'--db'");
	usage_error(cmd_import, ARGV("import", "kvm", "t.txt"), "--dry-run");
	usage_error(cmd_collect, ARGV("collect", "--bogus"), "'--bogus'");
	usage_error(cmd_collect, ARGV("collect", "--db", "x.db", "--control-fd", "x"),
		    "--control-fd");
	usage_error(cmd_plot, ARGV("plot", "--bogus"), "'--bogus'");
	usage_error(cmd_plot, ARGV("plot", "--chart", "perf"), "--db");
	usage_error(cmd_plot, ARGV("plot", "--db", "x.db", "--chart", "pie"), "'pie'");
	usage_error(cmd_plot, ARGV("plot", "--db", "x.db", "--format", "jpg"), "'jpg'");
	usage_error(cmd_plot, ARGV("plot", "--db", "x.db", "--size", "9x9"), "--size");
	usage_error(cmd_plot, ARGV("plot", "--db", "x.db", "-o", "a.png"), "--chart");
	usage_error(cmd_plot, ARGV("plot", "--db", "x.db", "extra"), "'extra'");
	usage_error(cmd_plot, ARGV("plot", "--db", "x.db", "--chart", "sweep"), "--param");
	usage_error(cmd_plot, ARGV("plot", "--db", "x.db", "--where", "walker"), "NAME=VALUE");
	usage_error(cmd_plot,
		    ARGV("plot", "--db", "x.db", "--chart", "faults", "--baseline", "STVT"),
		    "--chart perf");
	usage_error(cmd_campaign, ARGV("campaign", "--bogus"), "'--bogus'");
	usage_error(cmd_campaign, ARGV("campaign"), "the campaign file");
	usage_error(cmd_campaign, ARGV("campaign", "a.xml", "b.xml"), "'b.xml'");
	usage_error(cmd_campaign, ARGV("campaign", "-j", "65", "a.xml"), "'65'");
	usage_error(cmd_campaign, ARGV("campaign", "--db"), "'--db'");
	usage_error(cmd_campaign, ARGV("campaign", "--cell", "x", "a.xml"), "'x'");
	usage_error(cmd_campaign, ARGV("campaign", "--slurm", "--dry-run", "a.xml"), "--dry-run");
	usage_error(cmd_campaign, ARGV("campaign", "--check", "--dry-run", "a.xml"), "give one");
	usage_error(cmd_merge, ARGV("merge", "--bogus"), "'--bogus'");
	usage_error(cmd_merge, ARGV("merge", "a.db"), "--db");
	usage_error(cmd_merge, ARGV("merge", "--db", "out.db"), "shard");
	usage_error(cmd_report, ARGV("report", "--bogus"), "'--bogus'");
	usage_error(cmd_report, ARGV("report"), "--db");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "--table", "pie"), "'pie'");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "--format", "html"), "'html'");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "--vcpus", "0"), "'0'");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "extra"), "'extra'");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "--format", "csv"), "--table");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "--where", "vtlb-buckets"),
		    "'vtlb-buckets'");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "--where", "=64"), "NAME=VALUE");
	usage_error(cmd_report, ARGV("report", "--db", "x.db", "--baseline", ""), "--baseline");
	usage_error(cmd_report,
		    ARGV("report", "--db", "x.db", "--table", "faults", "--baseline", "STVT"),
		    "--table perf");
	usage_error(cmd_query, ARGV("query", "--bogus"), "'--bogus'");
	usage_error(cmd_query, ARGV("query", "run_summary"), "--db");
	usage_error(cmd_query, ARGV("query", "--db", "x.db"), "a view name or a SQL statement");
	usage_error(cmd_query, ARGV("query", "--db", "x.db", "select", "1"), "'1'");
	usage_error(cmd_query, ARGV("query", "--db", "x.db", "--list", "v"), "'v'");
	usage_error(cmd_run, ARGV("run", "--bogus"), "'--bogus'");
	usage_error(cmd_run, ARGV("run", "--kernel", "k.elf", "--campaign", "c"), "--campaign");
	usage_error(cmd_run, ARGV("run", "--kernel", "k.elf", "--db", "x.db", "--repetition", "-1"),
		    "'-1'");
	usage_error(cmd_run, ARGV("run", "--kernel", "k.elf", "--mem", "3M5"), "--mem");
	/* workload options without --workload used to be ignored silently */
	usage_error(cmd_run, ARGV("run", "--kernel", "k.elf", "--small"), "--small");
	usage_error(cmd_run, ARGV("run", "--kernel", "k.elf", "--pv"), "--pv");
	usage_error(cmd_run, ARGV("run", "--kernel", "k.elf", "--mmu", "sv39"), "--mmu");
	/* a kernel the loader refuses: the option that named it */
	usage_error(cmd_run, ARGV("run", "--kernel", "/nonexistent/k.elf"),
		    "--kernel /nonexistent/k.elf: cannot open");
	bad_workload_disks();
	workload_args();
	where_limits();
	/* A value given to a long option that takes none names that option,
	 * even by a prefix and with a later word that getopt has not read. */
	usage_error(cmd_costs, ARGV("costs", "--markdown=1", "-m"),
		    "'--markdown' takes no value, got '--markdown=1'");
	usage_error(cmd_costs, ARGV("costs", "--mark=1"), "'--markdown' takes no value");
	usage_error(cmd_report, ARGV("report", "--c=1"), "unknown or ambiguous option '--c=1'");
	/* the value of a long option before a group is not at fault */
	usage_error(cmd_costs, ARGV("costs", "--cost-file=x", "-xq"), "unknown option '-x'");
	/* A short option inside a group leaves getopt mid-word, where
	 * argv[optind - 1] is the word before the group: here a long option,
	 * which is not the one at fault.  (The next command's parse starts
	 * afresh: commands.h.) */
	usage_error(cmd_costs, ARGV("costs", "--markdown", "-xq"), "unknown option '-x'");
	usage_error(cmd_costs, ARGV("costs", "-xq"), "unknown option '-x'");
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
