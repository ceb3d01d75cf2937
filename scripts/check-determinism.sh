#!/usr/bin/env bash
# check-determinism.sh - the engine's determinism contract (vmm/machine.h):
# the same command gives the same instruction counts, cycles and events.
#
# Usage: scripts/check-determinism.sh [VTLAB [GUEST_DIR]]  (build/vtlab, build/guest)
# Runs each program twice (the smp_* ones with 2, 4 and 8 harts) and compares
# the --summary json objects without the wall-clock fields (wall_ns, mips).
# The smp_* ones also run under --sched-seed: the same seed twice must give
# the same run, and another interleaving than the fixed slices (they spin on
# each other, so their instruction counts move) with the same exit code 0.
# Prints one line per check and "N passed, N failed" last.
set -uo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
vtlab=${1:-${VTLAB:-build/vtlab}}
dir=${2:-build/guest}
pass=0
fail=0

# One run's summary with the host-time fields removed.
summary() { # elf vcpus [vtlab run options]
	"$vtlab" run --kernel "$1" --vcpus "$2" "${@:3}" --summary json --console /dev/null 2>/dev/null |
		tail -n 1 | sed -E 's/"(wall_ns|mips)":[^,}]*,?//g'
}

check() {
	local elf=$1 vcpus=$2 a b
	a=$(summary "$elf" "$vcpus")
	b=$(summary "$elf" "$vcpus")
	if [[ -n $a && $a == "$b" && $a == *'"instructions":'* ]]; then
		pass=$((pass + 1))
		echo "ok   $(basename "$elf") --vcpus $vcpus"
	else
		fail=$((fail + 1))
		echo "FAIL $(basename "$elf") --vcpus $vcpus: summaries differ or are missing"
		echo "  first:  $a"
		echo "  second: $b"
	fi
}

check_seed() {
	local elf=$1 a b fixed
	a=$(summary "$elf" 2 --sched-seed 7)
	b=$(summary "$elf" 2 --sched-seed 7)
	fixed=$(summary "$elf" 2)
	if [[ -n $a && $a == "$b" && $a != "$fixed" && $a == *'"exit_code":0'* &&
		$fixed == *'"exit_code":0'* ]]; then
		pass=$((pass + 1))
		echo "ok   $(basename "$elf") --vcpus 2 --sched-seed 7"
	else
		fail=$((fail + 1))
		echo "FAIL $(basename "$elf") --vcpus 2 --sched-seed 7: expected the same run twice," \
			"another than with fixed slices, both exiting 0"
		echo "  seed 7:  $a"
		echo "  again:   $b"
		echo "  fixed:   $fixed"
	fi
}

for elf in "$dir"/*.elf; do
	case $(basename "$elf") in
	smp_*)
		for n in 2 4 8; do check "$elf" "$n"; done
		check_seed "$elf"
		;;
	*) check "$elf" 1 ;;
	esac
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
