#!/usr/bin/env bash
# check-hv-workloads.sh - issue 4's first "What must hold": every workload
# gives the same output under every configuration and vCPU count as
# natively.  Runs the small preset of each workload natively (Svtlb and
# Sv39) and under every hypervisor configuration, with the strategies'
# knobs turned (guest-VHPT walker, full track, whole large pages, and a
# tiny hash vTLB and machine VHPT - 16 buckets, chains of 2, a pool of 16,
# 32 KiB - that recycle all the time), on 1, 2, 4 and 8 vCPUs.
# Each run must exit 0 and give the output digest of the native 1-vCPU run.
#
# Usage: scripts/check-hv-workloads.sh [VTLAB]   (default build/vtlab; the
#   workloads come from `make workloads`)
# Environment: HVW_WORKLOADS (default: kbuild, jbb and four sysbench tests),
#   HVW_VCPUS (default "1 2 4 8"), JOBS (parallel runs, default nproc).
# Prints one line per workload and configuration and "N passed, N failed"
# last.
set -uo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
vtlab=${1:-${VTLAB:-build/vtlab}}
workloads=${HVW_WORKLOADS:-kbuild jbb sysbench:fileio sysbench:oltp sysbench:memory sysbench:threads}
vcpus_list=${HVW_VCPUS:-1 2 4 8}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# configuration name -> vtlab run options
declare -A opts=(
	[native]="--config native"
	[native-sv39]="--config native --mmu sv39"
	[STVT]="--config STVT"
	[STVT+walker]="--config STVT --guest-vhpt-walker on"
	[HTVT]="--config HTVT"
	[HTVT+walker]="--config HTVT --guest-vhpt-walker on"
	[HTVT+full]="--config HTVT --guest-vhpt-walker on --track full"
	[HTVT+whole]="--config HTVT --large-pages whole"
	[HTVT+tiny]="--config HTVT --guest-vhpt-walker on --track full --vtlb-buckets 16 --vtlb-chain-max 2 --vtlb-pool 16 --machine-vhpt-size 32K"
	[STPV]="--config STPV"
	[HTPV]="--config HTPV"
	[EPT]="--config EPT"
)
configs="native native-sv39 STVT STVT+walker HTVT HTVT+walker HTVT+full HTVT+whole HTVT+tiny STPV HTPV EPT"

[[ -x $vtlab ]] || {
	echo "check-hv-workloads.sh: $vtlab missing (run make workloads)"
	echo "0 passed, 1 failed"
	exit 1
}

# run WORKLOAD CONFIG VCPUS: its summary in $tmp/W.C.N.json, status in .rc
run() {
	local f="$tmp/${1//:/_}.$2.$3"
	# shellcheck disable=SC2086
	"$vtlab" run --workload "$1" --small ${opts[$2]} --vcpus "$3" --max-seconds 300 \
		--summary json >"$f.json" 2>"$f.err"
	echo $? >"$f.rc"
}

n=0
for w in $workloads; do
	for c in $configs; do
		for v in $vcpus_list; do
			run "$w" "$c" "$v" &
			n=$((n + 1))
			((n % jobs == 0)) && wait
		done
	done
done
wait

digest() { # the output digest of a run's summary, or nothing
	tail -n 1 "$1" 2>/dev/null | grep -o '"output_digest":"[^"]*"' | cut -d'"' -f4
}

for w in $workloads; do
	base="$tmp/${w//:/_}"
	want=$(digest "$base.native.1.json")
	if [[ -z $want || $(cat "$base.native.1.rc") != 0 ]]; then
		fail=$((fail + 1))
		echo "FAIL $w: no native 1-vCPU digest ($(tail -n 1 "$base.native.1.err"))"
		continue
	fi
	for c in $configs; do
		bad=""
		for v in $vcpus_list; do
			f="$base.$c.$v"
			got=$(digest "$f.json")
			rc=$(cat "$f.rc")
			if [[ $rc != 0 ]]; then
				bad+=" $v vCPUs: exit $rc ($(tail -n 1 "$f.err"));"
			elif [[ $got != "$want" ]]; then
				bad+=" $v vCPUs: digest '$got';"
			fi
		done
		if [[ -z $bad ]]; then
			pass=$((pass + 1))
			echo "ok   $w $c: digest $want on $vcpus_list vCPUs"
		else
			fail=$((fail + 1))
			echo "FAIL $w $c: expected digest $want;$bad"
		fi
	done
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
