#!/usr/bin/env bash
# check.sh - the sysbench-like suite's test: every TEST (cpu memory fileio
# oltp threads mutex) with --small on 1, 2, 4, 8 vCPUs times mmu=sv39 and
# mmu=svtlb, each on a copy-on-write snapshot of the workload image.  Checks: exit code
# 0 and a reported metric; the output digest identical across all eight
# configurations of a test; a second identical run (2 vCPUs, svtlb) with
# the same instruction count, metric and digest.  Prints one line per
# failure and "N passed, N failed" (one check per run, one per test for the
# digest, one per test for the repeat).  Exit 0 when nothing failed.
#
# Environment: VTLAB (build/vtlab), KERNEL (build/guest/kernel.elf), IMAGE
# (build/guest/disk-workloads.img), TESTS, VCPUS ("1 2 4 8"), MMUS
# ("sv39 svtlb"), MAX_SECONDS per run (60), LOG_DIR (build/sysbench-logs).
set -u

VTLAB=${VTLAB:-build/vtlab}
KERNEL=${KERNEL:-build/guest/kernel.elf}
IMAGE=${IMAGE:-build/guest/disk-workloads.img}
TESTS=${TESTS:-"cpu memory fileio oltp threads mutex"}
VCPUS=${VCPUS:-"1 2 4 8"}
MMUS=${MMUS:-"sv39 svtlb"}
MAX_SECONDS=${MAX_SECONDS:-60}
LOG_DIR=${LOG_DIR:-build/sysbench-logs}

for f in "$VTLAB" "$KERNEL" "$IMAGE"; do
	if [ ! -f "$f" ]; then
		echo "check.sh: $f: not found (make workloads builds it)" >&2
		exit 2
	fi
done
mkdir -p "$LOG_DIR"
pass=0
fail=0

# field JSON NAME: one field of the summary line (numbers and strings).
field() {
	sed -n "s/.*\"$2\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$1" | tail -n 1
}

# run NAME TEST VCPUS MMU: one boot; leaves NAME.json and NAME.log.
run() {
	"$VTLAB" run --kernel "$KERNEL" --disk "$IMAGE" --disk-snapshot --mem 256M --vcpus "$3" \
		--args "mmu=$4 /bin/sysbench $2 --small" --max-seconds "$MAX_SECONDS" \
		--summary json --console "$LOG_DIR/$1.log" >"$LOG_DIR/$1.json" 2>&1
}

for t in $TESTS; do
	digests=""
	for n in $VCPUS; do
		for mmu in $MMUS; do
			name="$t-vcpus$n-$mmu"
			run "$name" "$t" "$n" "$mmu"
			rc=$?
			d=$(field "$LOG_DIR/$name.json" output_digest)
			m=$(field "$LOG_DIR/$name.json" metric_name)
			if [ "$rc" -eq 0 ] && [ -n "$d" ] && [ "$m" = events_per_second ]; then
				pass=$((pass + 1))
				digests="$digests $d"
			else
				echo "FAIL $name: exit $rc, digest '$d', metric '$m'; see $LOG_DIR/$name.log"
				tail -n 5 "$LOG_DIR/$name.log" | sed 's/^/    /'
				fail=$((fail + 1))
			fi
		done
	done
	distinct=$(echo $digests | tr ' ' '\n' | sort -u | wc -l)
	if [ -n "$digests" ] && [ "$distinct" -eq 1 ]; then
		echo "PASS $t: digest $(echo $digests | cut -d' ' -f1) on every configuration"
		pass=$((pass + 1))
	else
		echo "FAIL $t: $distinct different digests:$digests"
		fail=$((fail + 1))
	fi
	# determinism: the same command twice gives the same counts
	run "$t-repeat" "$t" 2 svtlb
	same=1
	for k in instructions metric_value output_digest; do
		a=$(field "$LOG_DIR/$t-vcpus2-svtlb.json" $k)
		b=$(field "$LOG_DIR/$t-repeat.json" $k)
		if [ -z "$a" ] || [ "$a" != "$b" ]; then
			echo "FAIL $t repeat: $k '$a' then '$b'"
			same=0
		fi
	done
	if [ $same -eq 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
