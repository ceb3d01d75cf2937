#!/usr/bin/env bash
# check.sh - the sysbench-like suite's test: every TEST (cpu memory fileio
# oltp threads mutex) with --small on 1, 2, 4, 8 vCPUs times mmu=sv39 and
# mmu=svtlb, each on a copy-on-write snapshot of the workload image.  Checks: exit code
# 0 and a reported metric; the output digest identical across all eight
# configurations of a test; a second identical run (2 vCPUs, svtlb) with
# the same instruction count, metric and digest.  Prints one PASS/FAIL line
# per check and "N passed, N failed" (one check per run, one per test for
# the digest, one per test for the repeat), and one per bad number given
# (a usage error, not a run).  Exit 0 when nothing failed.
#
# Environment: see workloads/check-common.sh (LOG_DIR default
# build/sysbench-logs, MAX_SECONDS 60), and TESTS (default all six).
TESTS=${TESTS:-"cpu memory fileio oltp threads mutex"}
LOG_DIR_DEFAULT=build/sysbench-logs
MAX_SECONDS_DEFAULT=60
. "$(dirname "$0")/../check-common.sh"

for t in $TESTS; do
	digests=""
	for n in $VCPUS; do
		for mmu in $MMUS; do
			name="$t-vcpus$n-$mmu"
			boot "$name" "$n" "$mmu" /bin/sysbench "$t" --small
			d=$(field "$name" output_digest)
			m=$(field "$name" metric_name)
			if [ "$rc" -eq 0 ] && [ -n "$d" ] && [ "$m" = events_per_second ]; then
				pass "$name: digest $d"
				digests="$digests $d"
			else
				fail "$name: exit $rc, digest '$d', metric '$m'; see $LOG_DIR/$name.log"
				show_tail "$name"
			fi
		done
	done
	distinct=$(echo $digests | tr ' ' '\n' | sort -u | wc -l)
	if [ -n "$digests" ] && [ "$distinct" -eq 1 ]; then
		pass "$t: digest $(echo $digests | cut -d' ' -f1) on every configuration"
	else
		fail "$t: $distinct different digests:$digests"
	fi
	# determinism: the same command twice gives the same counts
	boot "$t-repeat" 2 svtlb /bin/sysbench "$t" --small
	diff=""
	for k in instructions metric_value output_digest; do
		a=$(field "$t-vcpus2-svtlb" $k)
		b=$(field "$t-repeat" $k)
		if [ -z "$a" ] || [ "$a" != "$b" ]; then
			diff="$diff $k '$a' then '$b';"
		fi
	done
	if [ -z "$diff" ]; then
		pass "$t repeat: same instructions, metric and digest"
	else
		fail "$t repeat:$diff"
	fi
done

# Bad numbers are usage errors (exit 2, a message naming the option), not
# a run: strtoull took "-1" as 2^64 - 1 (2^64 - 1 events: no memory for
# the chunks, then a crash on the missing chunk table), and a size suffix
# could wrap (17179869185G was 1G).
for bad in "cpu --events=-1" "memory --memory-block-size=17179869185G"; do
	name="usage-${bad%% *}"
	# shellcheck disable=SC2086 # bad: the test and its option
	boot "$name" 1 sv39 /bin/sysbench $bad
	opt=${bad#* }
	opt=${opt%%=*}
	if [ "$rc" -eq 2 ] && grep -q -- "option $opt" "$LOG_DIR/$name.log"; then
		pass "$name: '$bad' is a usage error"
	else
		fail "$name: '$bad': exit $rc (want 2 and a message naming $opt); see $LOG_DIR/$name.log"
		show_tail "$name"
	fi
done

finish
