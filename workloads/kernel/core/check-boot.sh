#!/bin/sh
# check-boot.sh - boots the kernel's core on vtlab and runs its self-tests
# (boot option ktest=1) with 1, 2, 4 and 8 vCPUs; each boot must print
# "N passed, 0 failed" and power off with exit code 0, and a second run
# must give the same instruction count (the machine is deterministic).
# Builds core/ alone with its mm/fs stand-ins (core/standalone.mk); with
# KERNEL=path it boots that kernel instead, once per MMU (mmu=sv39 and
# mmu=svtlb).  Run from the top of the tree.  Prints "N passed, N failed";
# exit status 0 only if nothing failed.
set -u
VTLAB=${VTLAB:-build/vtlab}
KERNEL=${KERNEL:-}
if [ -z "$KERNEL" ]; then
	make -s -f workloads/kernel/core/standalone.mk >/dev/null || { echo "check-boot: build failed"; echo "0 passed, 1 failed"; exit 1; }
	KERNEL=build/guest/core-standalone.elf
	MMUS="boot"
else
	MMUS="sv39 svtlb"
fi
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
insns() { sed -n 's/^{"instructions":\([0-9]*\).*/\1/p' "$1" | tail -1; }
for mmu in $MMUS; do
	args="ktest=1"
	[ "$mmu" = boot ] || args="ktest=1 mmu=$mmu"
	for n in 1 2 4 8; do
		what="$KERNEL --vcpus $n --args '$args'"
		"$VTLAB" run --kernel "$KERNEL" --vcpus "$n" --args "$args" --max-seconds 120 \
			--summary json >"$out" 2>&1
		rc=$?
		first=$(insns "$out")
		if [ $rc -ne 0 ] || ! grep -q '^[0-9]* passed, 0 failed$' "$out"; then
			echo "check-boot: FAIL (exit $rc): $what"
			grep -E 'FAIL|panic|passed' "$out" | sed 's/^/    /'
			fail=$((fail + 1))
			continue
		fi
		"$VTLAB" run --kernel "$KERNEL" --vcpus "$n" --args "$args" --max-seconds 120 \
			--summary json >"$out" 2>&1
		second=$(insns "$out")
		if [ -z "$first" ] || [ "$first" != "$second" ]; then
			echo "check-boot: FAIL: not deterministic ($first vs $second instructions): $what"
			fail=$((fail + 1))
			continue
		fi
		echo "check-boot: ok: $what ($(grep '^[0-9]* passed' "$out"), $first instructions)"
		pass=$((pass + 1))
	done
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
