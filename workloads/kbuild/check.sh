#!/usr/bin/env bash
# check.sh - test of the kernel-build workload: runs `/bin/kbuild --small`
# on 1, 2, 4 and 8 vCPUs with mmu=sv39 and mmu=svtlb (a copy-on-write snapshot of
# the workload image each time) and checks that every run exits 0 and reports
# the build_seconds metric, that the output digest (of /out/kernel.img) is
# the same in every configuration, and that running one configuration
# twice gives the same instruction count, metric and digest (determinism).
# Prints one line per check and "N passed, N failed"; exit 0 when nothing
# failed.
#
# Environment: see workloads/check-common.sh (LOG_DIR default
# build/kbuild-logs, MAX_SECONDS 120).
LOG_DIR_DEFAULT=build/kbuild-logs
MAX_SECONDS_DEFAULT=120
. "$(dirname "$0")/../check-common.sh"

# run NAME VCPUS MMU: one build; sets rc, insns, metric_name, metric, digest.
run() {
	boot "$1" "$2" "$3" /bin/kbuild --small
	insns=$(field "$1" instructions)
	metric_name=$(field "$1" metric_name)
	metric=$(field "$1" metric_value)
	digest=$(field "$1" output_digest)
}

ref_digest=""
for n in $VCPUS; do
	for mmu in $MMUS; do
		name="vcpus$n-$mmu"
		run "$name" "$n" "$mmu"
		if [ "$rc" -ne 0 ] || [ "$metric_name" != "build_seconds" ] || [ -z "$digest" ]; then
			fail "$name: exit $rc, metric '$metric_name', digest '$digest'; see $LOG_DIR/$name.log"
			show_tail "$name"
			continue
		fi
		if [ -z "$ref_digest" ]; then
			ref_digest=$digest
			ref_name=$name
		fi
		if [ "$digest" = "$ref_digest" ]; then
			pass "$name: build_seconds $metric, $insns instructions, digest $digest"
		else
			fail "$name: digest $digest differs from $ref_name's $ref_digest"
		fi
	done
done

# Determinism: the same command twice gives the same counts.
first_mmu=${MMUS%% *}
run "repeat-a" 2 "$first_mmu"
a="$rc $insns $metric $digest"
run "repeat-b" 2 "$first_mmu"
b="$rc $insns $metric $digest"
if [ "$a" = "$b" ] && [ "$rc" -eq 0 ]; then
	pass "repeat (2 vCPUs, $first_mmu): identical runs ($b)"
else
	fail "repeat (2 vCPUs, $first_mmu): '$a' then '$b'"
fi

finish
