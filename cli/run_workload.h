/*
 * run_workload.h - `vtlab run --workload NAME[:TEST]`: which kernel, disk
 * image and argument string run one of the guest workloads.
 *
 * Contract: workload_apply() fills cfg->kernel and cfg->disk (unless the
 * user gave them) with the guest kernel and the workload disk image that
 * `make workloads` builds beside the vtlab binary (build/guest/), turns on
 * the disk snapshot (every run starts from the same image), and builds
 * cfg->args = "mmu=M [other kernel options] /bin/NAME [TEST] [--small]
 * [workload options]" (the kernel's boot arguments, docs/devices.md, lab
 * device ARGS).  It returns 0, or -1 after a one-line error on stderr.
 */
#ifndef CLI_RUN_WORKLOAD_H
#define CLI_RUN_WORKLOAD_H

#include <stdbool.h>

struct machine_config;

struct workload_opts {
	const char *name; /* kbuild, jbb, sysbench:TEST; NULL: no workload */
	const char *mmu;  /* sv39 | svtlb; NULL: the kernel's default (svtlb) */
	bool small;       /* the workload's --small preset */
	bool pv;          /* the paravirtual kernel build */
	char **extra;     /* workload options (after `--`) */
	int nextra;
	char args[2048]; /* the argument string handed to the guest */
};

/* Validates a --workload or --mmu value; -1 after an error message. */
int workload_check_name(const char *name);
int workload_check_mmu(const char *mmu);
int workload_apply(struct workload_opts *w, struct machine_config *cfg, const char *exe_path);

#endif
