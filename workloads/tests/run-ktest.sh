#!/usr/bin/env bash
# run-ktest.sh - runs the guest test suite on the vtlab kernel in every
# configuration: 1, 2, 4 and 8 vCPUs, times mmu=sv39 and mmu=svtlb.  Each
# configuration boots a fresh copy of the test image with
# `--args "mmu=M /bin/ktest"` (init runs the driver, which runs every
# /bin/ktest-* and prints "N passed, N failed"), then two more boots of
# one copy check consistency across a reboot (/bin/ktest-persist write,
# then verify).  Prints each configuration's result and the total
# "N passed, N failed" (test programs, summed over configurations; a boot
# that dies before printing its count is one failure).  Exit 0 when
# nothing failed.
#
# Environment: VTLAB (default build/vtlab), KERNEL (build/guest/kernel.elf),
# IMAGE (build/guest/disk-test.img), VCPUS ("1 2 4 8"), MMUS ("sv39 svtlb"),
# TESTS (names for the driver, default all), MAX_SECONDS per boot (600),
# LOG_DIR (build/ktest-logs).
set -u

VTLAB=${VTLAB:-build/vtlab}
KERNEL=${KERNEL:-build/guest/kernel.elf}
IMAGE=${IMAGE:-build/guest/disk-test.img}
VCPUS=${VCPUS:-"1 2 4 8"}
MMUS=${MMUS:-"sv39 svtlb"}
TESTS=${TESTS:-}
MAX_SECONDS=${MAX_SECONDS:-600}
LOG_DIR=${LOG_DIR:-build/ktest-logs}

for f in "$VTLAB" "$KERNEL" "$IMAGE"; do
	if [ ! -f "$f" ]; then
		echo "run-ktest.sh: $f: not found (make ktest builds it)" >&2
		exit 2
	fi
done
mkdir -p "$LOG_DIR"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

total_pass=0
total_fail=0

# boot LOG DISK VCPUS ARGS: one run; its exit status is the guest's.
boot() {
	"$VTLAB" run --kernel "$KERNEL" --disk "$2" --mem 256M --vcpus "$3" --args "$4" \
		--max-seconds "$MAX_SECONDS" --console "$1" >"$1.summary" 2>&1
}

for n in $VCPUS; do
	for mmu in $MMUS; do
		name="vcpus$n-$mmu"
		log="$LOG_DIR/$name.log"
		cp "$IMAGE" "$work/disk.img"
		boot "$log" "$work/disk.img" "$n" "mmu=$mmu /bin/ktest $TESTS"
		rc=$?
		counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
		if [ -z "$counts" ]; then
			echo "FAIL $name: no result line (exit $rc); last lines of $log:"
			tail -n 15 "$log" | sed 's/^/    /'
			tail -n 5 "$log.summary" | sed 's/^/    /'
			total_fail=$((total_fail + 1))
			continue
		fi
		p=${counts%% passed*}
		f=${counts#*passed, }
		f=${f%% failed}
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + f))
		if [ "$f" -eq 0 ] && [ "$rc" -eq 0 ]; then
			echo "PASS $name: $counts"
		else
			echo "FAIL $name: $counts (exit $rc); see $log"
			grep -E '^(FAIL|pid [0-9]+ .*killed|panic)' "$log" | head -n 20 | sed 's/^/    /'
			[ "$f" -eq 0 ] && total_fail=$((total_fail + 1))
		fi
	done
done

# Consistency across a reboot, on one configuration per MMU.
if [ -z "$TESTS" ]; then
	for mmu in $MMUS; do
		name="persist-$mmu"
		cp "$IMAGE" "$work/persist.img"
		boot "$LOG_DIR/$name-write.log" "$work/persist.img" 2 "mmu=$mmu /bin/ktest-persist write"
		rc_w=$?
		boot "$LOG_DIR/$name-verify.log" "$work/persist.img" 2 "mmu=$mmu /bin/ktest-persist verify"
		rc_v=$?
		if [ $rc_w -eq 0 ] && [ $rc_v -eq 0 ]; then
			echo "PASS $name"
			total_pass=$((total_pass + 1))
		else
			echo "FAIL $name (write boot exit $rc_w, verify boot exit $rc_v); see $LOG_DIR/$name-*.log"
			total_fail=$((total_fail + 1))
		fi
	done
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
