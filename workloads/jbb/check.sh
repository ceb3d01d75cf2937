#!/usr/bin/env bash
# check.sh - tests of the jbb workload on the vtlab kernel.
#
# Boots a copy-on-write snapshot of the workloads image with `/bin/jbb --small` on 1,
# 2, 4 and 8 vCPUs, times mmu=sv39 and mmu=svtlb, and checks that
#   - every run exits with 0 and reports the metric "bops" and a digest;
#   - the output digest is the same in every configuration (the warehouse
#     count is fixed, so the output depends on neither MMU nor vCPUs);
#   - two identical runs (2 vCPUs, each MMU) give the same instruction
#     count, metric and digest (the machine and the workload are
#     deterministic), and another schedule (--sched-seed) the same digest
#     with another instruction count;
#   - the collector is transparent: a run with --verify (heap checked
#     after every collection) and a run with a larger heap (fewer
#     collections) give the same digest as the others;
#   - a heap too small for the data stops jbb with exit code 1 and a
#     message naming --heap.
# Prints one PASS/FAIL line per check and "N passed, N failed"; exit 0
# when nothing failed.
#
# Environment: see workloads/check-common.sh (LOG_DIR default
# build/jbb-logs, MAX_SECONDS 120).
LOG_DIR_DEFAULT=build/jbb-logs
MAX_SECONDS_DEFAULT=120
. "$(dirname "$0")/../check-common.sh"

# run NAME VCPUS MMU JBB_ARGS...: one boot; sets rc, digest, insns, metric.
run() {
	local name=$1 vcpus=$2 mmu=$3
	shift 3
	boot "$name" "$vcpus" "$mmu" /bin/jbb "$@"
	digest=$(field "$name" output_digest)
	insns=$(field "$name" instructions)
	metric=$(field "$name" metric_value)
	local metric_name
	metric_name=$(field "$name" metric_name)
	if [ "$rc" -ne 0 ] || [ "$metric_name" != bops ] || [ -z "$digest" ] ||
		! grep -q '^  Result: [0-9]* bops' "$LOG_DIR/$name.log"; then
		fail "$name: exit $rc, metric '$metric_name', digest '$digest'; see $LOG_DIR/$name.log"
		show_tail "$name"
		return 1
	fi
	pass "$name: exit 0, $metric bops, digest $digest, $insns instructions"
}

reference=""
# same_digest NAME: checks the last run's digest against the first one.
same_digest() {
	if [ -z "$reference" ]; then
		reference=$digest
	elif [ "$digest" = "$reference" ]; then
		pass "$1: digest matches"
	else
		fail "$1: digest $digest differs from $reference"
	fi
}

for n in $VCPUS; do
	for mmu in $MMUS; do
		run "small-vcpus$n-$mmu" "$n" "$mmu" --small && same_digest "small-vcpus$n-$mmu"
	done
done

# Determinism: the same command twice.
for mmu in $MMUS; do
	run "repeat1-$mmu" 2 "$mmu" --small || continue
	first="$insns $metric $digest"
	run "repeat2-$mmu" 2 "$mmu" --small || continue
	[ "$mmu" = svtlb ] && fixed_insns=$insns
	if [ "$insns $metric $digest" = "$first" ]; then
		pass "repeat-$mmu: same instructions, metric and digest ($first)"
	else
		fail "repeat-$mmu: '$first' then '$insns $metric $digest'"
	fi
done

# Another interleaving of the vCPUs (--sched-seed) changes the time, not
# the output.
if BOOT_OPTS="--sched-seed 3" run "sched-seed-svtlb" 2 svtlb --small; then
	same_digest "sched-seed-svtlb"
	if [ -z "${fixed_insns:-}" ]; then
		: # MMUS without svtlb: no fixed-slice run to compare with
	elif [ "$insns" != "$fixed_insns" ]; then
		pass "sched-seed-svtlb: another schedule ($insns instructions against $fixed_insns)"
	else
		fail "sched-seed-svtlb: --sched-seed 3 ran the same $insns instructions as fixed slices"
	fi
fi

# The collector changes nothing the warehouses compute.
run "verify-heap" 4 svtlb --small --verify && same_digest "verify-heap"
run "large-heap" 2 sv39 --small --heap 64 && same_digest "large-heap"
if [ -f "$LOG_DIR/large-heap.log" ] && [ -f "$LOG_DIR/small-vcpus2-sv39.log" ]; then
	gcs_small=$(grep -o '[0-9]* full mark-compact' "$LOG_DIR/small-vcpus2-sv39.log" | cut -d' ' -f1)
	gcs_large=$(grep -o '[0-9]* full mark-compact' "$LOG_DIR/large-heap.log" | cut -d' ' -f1)
	if [ -n "$gcs_small" ] && [ -n "$gcs_large" ] && [ "$gcs_small" -gt 0 ] &&
		[ "$gcs_large" -lt "$gcs_small" ]; then
		pass "collections: $gcs_small with the small heap, $gcs_large with --heap 64"
	else
		fail "collections: '$gcs_small' with the small heap, '$gcs_large' with --heap 64"
	fi
fi

# A heap too small for the population is an error that names --heap.
boot heap-too-small 2 svtlb /bin/jbb --small --heap 1
if [ "$rc" -eq 1 ] && grep -q 'heap full.*--heap' "$LOG_DIR/heap-too-small.log"; then
	pass "heap-too-small: exit 1 with a message naming --heap"
else
	fail "heap-too-small: exit $rc; see $LOG_DIR/heap-too-small.log"
fi

finish
