#!/usr/bin/env bash
# check-determinism.sh - the engine's determinism contract (vmm/machine.h):
# the same command gives the same instruction counts, cycles and events.
#
# Usage: scripts/check-determinism.sh [VTLAB [GUEST_DIR]]  (build/vtlab, build/guest)
# Runs each program twice (the smp_* ones with 2, 4 and 8 harts) and compares
# the --summary json objects without the wall-clock fields (wall_ns, mips).
# Prints one line per check and "N passed, N failed" last.
set -uo pipefail
vtlab=${1:-${VTLAB:-build/vtlab}}
dir=${2:-build/guest}
pass=0
fail=0

# One run's summary with the host-time fields removed.
summary() {
	"$vtlab" run --kernel "$1" --vcpus "$2" --summary json --console /dev/null 2>/dev/null |
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

for elf in "$dir"/*.elf; do
	case $(basename "$elf") in
	smp_*) for n in 2 4 8; do check "$elf" "$n"; done ;;
	*) check "$elf" 1 ;;
	esac
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
