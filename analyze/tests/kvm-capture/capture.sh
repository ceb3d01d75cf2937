#!/usr/bin/env bash
# capture.sh - captures a real KVM trace on this machine and imports it.
#
# Usage: analyze/tests/kvm-capture/capture.sh [OUT_DIR]
#   Builds tiny_vm.c, enables the kvm and kvmmmu events in tracefs
#   (mounting it at /sys/kernel/tracing if needed), runs `tiny_vm real` and
#   `tiny_vm user`, saves each trace as OUT_DIR/real-MODEmode.txt (default
#   build/kvm-capture) and checks that `vtlab import kvm` stores the
#   events the guest must have caused: two port writes and one MMIO read
#   (real), one port write and one injected #PF (user), no unknown line.
#
# Output ends with "N passed, N failed" (scripts/run-tests.sh --unit).
# When /dev/kvm or the tracefs kvm events are not usable (not root, no
# KVM, no tracefs) it prints "SKIP: why" and "0 passed, 0 failed": a skip
# is never counted as a pass.  Needs root (tracefs), sqlite3, build/vtlab.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
VTLAB=${VTLAB:-$root/build/vtlab}
out=${1:-$root/build/kvm-capture}
T=/sys/kernel/tracing
pass=0
fail=0

skip() {
	echo "SKIP: $*"
	echo "0 passed, 0 failed"
	exit 0
}

check() { # description, command...
	local what=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $what"
	fi
}

[[ -c /dev/kvm && -r /dev/kvm && -w /dev/kvm ]] || skip "/dev/kvm is missing or not accessible"
[[ -x $VTLAB ]] || skip "$VTLAB is not built"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
if [[ ! -e $T/trace ]]; then
	mount -t tracefs nodev "$T" 2>/dev/null || skip "tracefs is not mounted and cannot be mounted at $T (needs root)"
fi
[[ -w $T/events/kvm/enable ]] || skip "the tracefs kvm events are absent or not writable ($T/events/kvm)"
[[ -w $T/events/kvmmmu/enable ]] || skip "the tracefs kvmmmu events are absent or not writable"

mkdir -p "$out"
${CC:-gcc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 "$here/tiny_vm.c" -o "$out/tiny_vm" ||
	{ echo "FAIL: tiny_vm.c does not build"; echo "0 passed, 1 failed"; exit 1; }
"$out/tiny_vm" real >/dev/null 2>&1 || skip "KVM does not run the guest: $("$out/tiny_vm" real 2>&1 | tail -n 1)"

# Captures one run of tiny_vm MODE into $out/real-MODEmode.txt.  Tracing is
# global: other VMs running now would add their events too.
capture() {
	local mode=$1 saved_on
	saved_on=$(cat $T/tracing_on)
	echo 0 >$T/tracing_on
	echo >$T/trace
	echo 1 >$T/events/kvm/enable
	echo 1 >$T/events/kvmmmu/enable
	echo 1 >$T/tracing_on
	"$out/tiny_vm" "$mode" >"$out/tiny_vm-$mode.log" 2>&1
	local rc=$?
	echo 0 >$T/tracing_on
	cat $T/trace >"$out/real-${mode}mode.txt"
	echo 0 >$T/events/kvm/enable
	echo 0 >$T/events/kvmmmu/enable
	echo >$T/trace
	echo "$saved_on" >$T/tracing_on
	return $rc
}

q() { sqlite3 "$out/capture.db" "$1"; }

rm -f "$out/capture.db"
for mode in real user; do
	check "tiny_vm $mode runs to its end" capture $mode
	check "import of real-${mode}mode.txt" "$VTLAB" import kvm "$out/real-${mode}mode.txt" --db "$out/capture.db" \
		>"$out/import-$mode.log" 2>&1
	check "real-${mode}mode.txt has no unknown or malformed line" \
		grep -q "unknown lines 0, malformed KVM events 0" "$out/import-$mode.log"
done
run_real=$(q "select id from runs where workload = 'real-realmode.txt'")
run_user=$(q "select id from runs where workload = 'real-usermode.txt'")
check "real: 2 port writes counted" [ "$(q "select n from counters where run_id = $run_real and event = 'mmio_write' and reason = 'pio'")" = 2 ]
check "real: 1 MMIO read counted" [ "$(q "select n from counters where run_id = $run_real and event = 'mmio_read' and reason = 'mmio'")" = 1 ]
check "real: MMIO read of 0x8000 stored" [ "$(q "select count(*) from events where run_id = $run_real and addr0 = 32768 and type = (select id from event_types where name = 'mmio_read')")" -ge 1 ]
check "user: 1 port write" [ "$(q "select n from counters where run_id = $run_user and event = 'mmio_write' and reason = 'pio'")" = 1 ]
check "user: #PF injected" [ "$(q "select n from injected_faults where run_id = $run_user and kind = '#PF'")" = 1 ]
check "both runs complete" [ "$(q "select count(*) from runs where status = 'complete'")" = 2 ]
echo "traces kept in $out/real-realmode.txt and $out/real-usermode.txt"
echo "$pass passed, $fail failed"
((fail == 0))
