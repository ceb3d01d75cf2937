/*
 * commands.h - the subcommands of the vtlab command line.
 *
 * Contract: a command gets argv with argv[0] = its own name and returns the
 * process exit status: 0 success, 2 usage or setup error, otherwise what
 * the command documents (`run`: the guest's exit code, 0..255).  Messages
 * are one line on stderr, prefixed "vtlab CMD: ".  A help function prints
 * the command's full help to the given stream.
 */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

#include "run_record.h"

/* VTLAB_VERSION comes from the Makefile (-DVTLAB_VERSION). */

/* Exit status for command-line and setup errors. */
#define EXIT_USAGE 2

/* Prints the message for getopt_long()'s error opt (':' missing value, else
 * an unknown or ambiguous option, or a value given to a long option that
 * takes none), naming the word at fault by the command's longopts, and
 * returns EXIT_USAGE (getopt_error.c). */
struct option;
/* Every command parses its options from optind = 0, not 1: glibc and musl
 * then reset getopt whole, including a group (-xq) that an earlier parse in
 * the same process left half-read after an error (the tests run commands
 * in one process). */
int cli_getopt_error(const char *cmd, int opt, int argc, char **argv,
		     const struct option *longopts);
/* Prints "vtlab CMD: " + the formatted message + " (see vtlab CMD --help)"
 * as one line and returns EXIT_USAGE (getopt_error.c). */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message of vmm/, tracer/ or db/ without its "vtlab: ", for a command
 * that prints its own "vtlab CMD: " before it (getopt_error.c). */
const char *cli_unprefixed(const char *msg);

/* The path of this vtlab executable (self_exe.c), which runs the collector
 * (`vtlab collect`) and a campaign's cells (`vtlab run`): resolved, so it
 * shows as "vtlab" in ps; "/proc/self/exe" itself if that fails. */
const char *cli_self_exe(char *buf, size_t len);
/* Where this vtlab binary was started from, even when it has been rebuilt
 * since (self_exe.c): the folder of the files built beside it. */
const char *cli_self_path(char *buf, size_t len);
/* mkdir -p `path` (make_dirs.c): 0, or -1 with errno set and the folder
 * that could not be made in `failed` (may be NULL). */
int cli_make_dirs(const char *path, char *failed, size_t len);
/* Opens a results database for reading (open_results.c): one written by
 * an older vtlab is migrated first, with a note on stderr.  0, or -1 after
 * printing "vtlab CMD: FILE: what failed". */
struct db;
int cli_open_results(const char *cmd, const char *path, struct db **out);

int cmd_run(int argc, char **argv);
/* `vtlab run` up to the point the guest would start: parses and checks
 * the options, finds the kernel and disk image, loads the costs.  Returns
 * 0 or EXIT_USAGE after the run's own error message (the campaign runner
 * checks every cell with it before running any). */
int cmd_run_check(int argc, char **argv);
void cmd_run_help(FILE *f);
/* cmd_run_check() that then calls fn with every setting the run would
 * store (run_record_settings, run_record.h): what a campaign compares
 * with a done cell's run (campaign_settings.c).  0; 1 when fn stopped it;
 * EXIT_USAGE after the message when the options are refused. */
int cmd_run_each_setting(int argc, char **argv, run_setting_fn fn, void *ctx);
int cmd_costs(int argc, char **argv);
void cmd_costs_help(FILE *f);
int cmd_import(int argc, char **argv);
void cmd_import_help(FILE *f);
int cmd_collect(int argc, char **argv);
void cmd_collect_help(FILE *f);
int cmd_plot(int argc, char **argv);
void cmd_plot_help(FILE *f);
int cmd_campaign(int argc, char **argv);
void cmd_campaign_help(FILE *f);
int cmd_merge(int argc, char **argv);
void cmd_merge_help(FILE *f);
int cmd_report(int argc, char **argv);
void cmd_report_help(FILE *f);
int cmd_query(int argc, char **argv);
void cmd_query_help(FILE *f);

#endif
