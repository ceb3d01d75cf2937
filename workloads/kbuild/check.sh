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
# Environment: VTLAB (default build/vtlab), KERNEL (build/guest/kernel.elf),
# IMAGE (build/guest/disk-workloads.img), VCPUS ("1 2 4 8"),
# MMUS ("sv39 svtlb"), MAX_SECONDS per run (120), LOG_DIR
# (build/kbuild-logs).
set -u

VTLAB=${VTLAB:-build/vtlab}
KERNEL=${KERNEL:-build/guest/kernel.elf}
IMAGE=${IMAGE:-build/guest/disk-workloads.img}
VCPUS=${VCPUS:-"1 2 4 8"}
MMUS=${MMUS:-"sv39 svtlb"}
MAX_SECONDS=${MAX_SECONDS:-120}
LOG_DIR=${LOG_DIR:-build/kbuild-logs}

for f in "$VTLAB" "$KERNEL" "$IMAGE"; do
	if [ ! -f "$f" ]; then
		echo "check.sh: $f: not found (make workloads builds it)" >&2
		exit 2
	fi
done
mkdir -p "$LOG_DIR"

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# run NAME VCPUS MMU: one boot; sets rc, insns, metric_name, metric, digest.
run() {
	local log="$LOG_DIR/$1.log"
	"$VTLAB" run --kernel "$KERNEL" --disk "$IMAGE" --disk-snapshot --mem 256M --vcpus "$2" \
		--args "mmu=$3 /bin/kbuild --small" --max-seconds "$MAX_SECONDS" \
		--console "$log" --summary json >"$log.json" 2>"$log.err"
	rc=$?
	local fields
	fields=$(tail -n 1 "$log.json" | python3 -c '
import json, sys
try:
    d = json.loads(sys.stdin.read())
except ValueError:
    d = {}
print(d.get("instructions", "-"), d.get("metric_name", "-"), d.get("metric_value", "-"),
      d.get("output_digest", "-"))')
	read -r insns metric_name metric digest <<<"$fields"
}

ref_digest=""
for n in $VCPUS; do
	for mmu in $MMUS; do
		name="vcpus$n-$mmu"
		run "$name" "$n" "$mmu"
		if [ "$rc" -ne 0 ] || [ "$metric_name" != "build_seconds" ] || [ "$digest" = "-" ]; then
			bad "$name: exit $rc, metric '$metric_name', digest '$digest'; see $LOG_DIR/$name.log"
			tail -n 5 "$LOG_DIR/$name.log" | sed 's/^/    /'
			continue
		fi
		if [ -z "$ref_digest" ]; then
			ref_digest=$digest
			ref_name=$name
		fi
		if [ "$digest" = "$ref_digest" ]; then
			ok "$name: build_seconds $metric, $insns instructions, digest $digest"
		else
			bad "$name: digest $digest differs from $ref_name's $ref_digest"
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
	ok "repeat (2 vCPUs, $first_mmu): identical runs ($b)"
else
	bad "repeat (2 vCPUs, $first_mmu): '$a' then '$b'"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
