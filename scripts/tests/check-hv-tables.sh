#!/usr/bin/env bash
# check-hv-tables.sh - the numbers scripts/hv-tables.sh prints, from the
# summaries of a stand-in vtlab whose metrics are chosen here, against
# values worked out by hand: each speedup over the schedules as mean [95%
# CI] (Student's t with n-1 degrees of freedom), the percent changes of
# injected faults and the speedup of the default run, for a rate (bops,
# higher is better) and two times (build_seconds, latency_p95_ns: lower is
# better, by analyze/stats.c's rule).
#
# Usage: scripts/tests/check-hv-tables.sh   (no build needed; python3)
# Prints a line per check and `N passed, N failed`; exits 1 if any failed.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# The stand-in: `vtlab run --workload W --config C [--guest-vhpt-walker on]
# --sched-seed S ... --summary json` prints one JSON summary.  Under
# schedule S >= 1 HTVT is 1 + (S mod 5) / 10 times as fast as STVT (a
# speedup of 10 (S mod 5) percent), under the default schedule 1.25 times;
# every other configuration runs at STVT's speed.
cat >"$tmp/vtlab" <<'FAKE'
#!/usr/bin/env bash
w="" c="" walker=off seed=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--workload) w=$2; shift ;;
	--config) c=$2; shift ;;
	--guest-vhpt-walker) walker=$2; shift ;;
	--sched-seed) seed=$2; shift ;;
	esac
	shift
done
speed=1 # HTVT with the walker off or on: as fast
if [[ $c == HTVT ]]; then
	speed=$(awk -v s="$seed" 'BEGIN { print s == 0 ? 1.25 : 1 + (s % 5) / 10 }')
fi
if [[ $w == kbuild ]]; then name=build_seconds value=$(awk -v x="$speed" 'BEGIN { printf "%.17g", 2 / x }')
elif [[ $w == sysbench:oltp ]]; then name=latency_p95_ns value=$(awk -v x="$speed" 'BEGIN { printf "%.17g", 3000 / x }')
else name=bops value=$(awk -v x="$speed" 'BEGIN { printf "%.17g", 1000 * x }'); fi
inject='{}'
[[ $c == STVT ]] && inject='{"alt_dtlb_miss":{"count":1000},"dtlb_miss":{"count":500}}'
[[ $c == HTVT && $walker == off ]] && inject='{"alt_dtlb_miss":{"count":10},"dtlb_miss":{"count":490}}'
[[ $c == HTVT && $walker == on ]] && inject='{"alt_dtlb_miss":{"count":10},"dtlb_miss":{"count":98}}'
exc='{"itlb_miss":0,"dtlb_miss":0,"alt_dtlb_miss":0,"page_not_present":0,"access_rights":0,"dirty_bit":0}'
printf '{"cycles":1000000,"metric_name":"%s","metric_value":%s,"output_digest":"0x1","exceptions":%s,"hv":{"inject":%s,"vm_exit":{}}}\n' \
	"$name" "$value" "$exc" "$inject"
FAKE
chmod +x "$tmp/vtlab"

check() { # what, output, expected line (a fixed string)
	if grep -qF -- "$3" <<<"$2"; then
		passed=$((passed + 1))
		echo "PASS $1"
	else
		failed=$((failed + 1))
		echo "FAIL $1: no line with '$3' in:"
		grep -F "$(cut -c1-16 <<<"$3")" <<<"$2" | sed 's/^/    /'
	fi
}

for w in jbb kbuild sysbench:oltp; do
	# 5 schedules: gains 10 20 30 40 0, mean 20, sd 15.811, t(0.975, 4)
	# 2.776: half 19.63
	out=$(VTLAB=$tmp/vtlab JOBS=2 bash "$here/hv-tables.sh" --workloads "$w" --seeds 5 2>&1)
	check "$w 5 schedules" "$out" "HTVT vs STVT   +20.0% [+0.4, +39.6] faster"
	check "$w per schedule" "$out" "per schedule: +10.0 +20.0 +30.0 +40.0 +0.0"
	check "$w injected faults" "$out" "    1500 ->      500  -66.7%"
	check "$w Alt-DTLB" "$out" "    1000 ->       10  -99.0%"
	check "$w TLB misses, walker" "$out" "     490 ->       98  -80.0%"
	check "$w default schedule" "$out" "HTVT +25.0% (faster)"
	check "$w HTPV as fast as STPV" "$out" "HTPV +0.0% (the same)"
done
# 32 schedules: 31 degrees of freedom, beyond the 30 of the t table: mean
# 19.6875, sd 14.024, t(0.975, 31) 2.0395 (1.96 gave [+14.8, +24.5])
out=$(VTLAB=$tmp/vtlab JOBS=2 bash "$here/hv-tables.sh" --workloads jbb --seeds 32 2>&1)
check "jbb 32 schedules" "$out" "HTVT vs STVT   +19.7% [+14.6, +24.7] faster"

echo "$passed passed, $failed failed"
((failed == 0))
