#!/usr/bin/env bash
# check-robustness.sh - end-to-end checks of `vtlab run --db` and the
# collector (tracer/README.md, "Storing runs"): what is stored, drop mode,
# the standalone collector, and the three failures of issue 5: the
# collector killed mid-run, the VMM killed mid-run, a full disk; a
# database that cannot be opened (exit 3); and the summary written to a
# full disk.
#
# Usage: scripts/check-robustness.sh [VTLAB [TRACER_GUEST_DIR]]
#        (default build/vtlab, build/tracer-guest: trace_load_forever.elf,
#        trace_load_100k.elf, built by `make test`)
# Needs sqlite3.  The full-disk check mounts a small tmpfs, which needs
# root; without it that check is reported as skipped.  Every run is bounded
# by `timeout`, so a hang is a failure, not a stuck test.  Prints one line
# per check and "N passed, N failed" last; exits 1 if any failed.
set -uo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
vtlab=${1:-${VTLAB:-build/vtlab}}
gdir=${2:-build/tracer-guest}
forever=$gdir/trace_load_forever.elf
finite=$gdir/trace_load_100k.elf
pass=0
fail=0
tmp=$(mktemp -d /tmp/vtlab-robust.XXXXXX)
mnt=""

cleanup() {
	[[ -n $mnt ]] && umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() {
	pass=$((pass + 1))
	echo "ok   $1"
}
bad() {
	fail=$((fail + 1))
	echo "FAIL $1"
	shift
	for l in "$@"; do echo "  $l"; done
}
q() { sqlite3 -batch "$1" "$2" 2>&1; }

# Waits (up to $2 tenths of a second) until process $1 has ended (gone or
# a zombie: its parent may be dead and nobody reaps it at once).
wait_gone() {
	local i st
	for ((i = 0; i < $2; i++)); do
		st=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
		[[ $st == Z* ]] && return 0
		sleep 0.1
	done
	return 1
}

# Waits until the database holds at least one committed event.
wait_events() {
	local i n
	for ((i = 0; i < 100; i++)); do
		n=$(q "$1" "select count(*) from events" 2>/dev/null)
		[[ $n =~ ^[0-9]+$ ]] && ((n > 0)) && return 0
		sleep 0.1
	done
	return 1
}

# The database is sound: integrity check passes and the per-type tallies
# written with each batch match the events (no half-written batch).
sound() {
	[[ $(q "$1" "pragma integrity_check") == ok ]] &&
		[[ $(q "$1" "select count(*) from events") == \
			$(q "$1" "select coalesce(sum(n), 0) from event_tallies") ]]
}

for f in "$vtlab" "$forever" "$finite"; do
	if [[ ! -e $f ]]; then
		echo "check-robustness: $f is missing (run make test)" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
done

# ---- a stored run: every event of the exact counters, lossless
check_stored() {
	local db=$tmp/stored.db out rc ev cnt
	out=$(timeout 120 "$vtlab" run --kernel "$finite" --vcpus 2 --db "$db" --trace all \
		--summary json 2>&1 >/dev/null)
	rc=$?
	ev=$(q "$db" "select count(*) from events where type in
		(select id from event_types where name in ('exception','mmio_read','mmio_write'))")
	cnt=$(q "$db" "select sum(n) from counters where event in
		('exception','mmio_read','mmio_write')")
	if ((rc == 0)) && [[ $(q "$db" "select status from runs") == complete &&
		$ev == "$cnt" && $cnt -ge 300000 ]] &&
		[[ $(q "$db" "select count(*) from run_summary where config = 'native' and
			vcpus = 2 and instructions > 0 and cycles > 0") == 1 ]] &&
		[[ $(q "$db" "select value from run_params where name = 'cost.mmio'") =~ ^[0-9]+$ ]]; then
		ok "run stored: $ev events = the exact counters, status complete"
	else
		bad "run stored" "exit $rc: $out" "events $ev, counters $cnt"
	fi
}

# ---- drop mode: a 16-record ring loses records; every loss is counted
check_drop() {
	local db=$tmp/drop.db out rc ev lost cnt
	out=$(timeout 120 "$vtlab" run --kernel "$finite" --db "$db" --trace mmio,faults \
		--trace-mode drop --ring-size 16 --summary json 2>&1 >/dev/null)
	rc=$?
	ev=$(q "$db" "select count(*) from events")
	lost=$(q "$db" "select coalesce(sum(lost), 0) from losses where vcpu = 0")
	cnt=$(q "$db" "select sum(n) from counters where event in
		('exception','mmio_read','mmio_write')")
	if ((rc == 0)) && [[ $lost =~ ^[0-9]+$ && $ev =~ ^[0-9]+$ ]] && ((lost > 0)) &&
		((ev + lost == cnt)); then
		ok "drop mode: $ev stored + $lost lost = $cnt counted"
	else
		bad "drop mode" "exit $rc: $out" "events $ev, lost $lost, counters $cnt"
	fi
}

# ---- the collector killed mid-run: the VMM ends with an error, no hang
check_collector_killed() {
	local db=$tmp/ckill.db log=$tmp/ckill.log vm col rc st
	timeout 60 "$vtlab" run --kernel "$forever" --db "$db" --trace all \
		--console /dev/null >/dev/null 2>"$log" &
	vm=$!
	wait_events "$db"
	vm=$(pgrep -P "$vm" -x vtlab || echo "$vm") # timeout's child is vtlab
	col=$(pgrep -P "$vm" | head -n 1)
	if [[ -z $col ]]; then
		bad "collector killed" "no collector process found under pid $vm"
		wait
		return
	fi
	kill -9 "$col"
	wait %1
	rc=$?
	st=$(q "$db" "select status from runs")
	if ((rc != 0 && rc != 124)) && grep -q "collector (pid $col) was killed by signal 9" "$log" &&
		[[ $st == incomplete ]] && sound "$db" && wait_events "$db"; then
		ok "collector killed: VMM stopped (exit $rc), run incomplete, $(q "$db" \
			"select count(*) from events") committed events kept"
	else
		bad "collector killed" "exit $rc (124 = hung), run status '$st'" "$(tail -n 3 "$log")"
	fi
}

# ---- the VMM killed mid-run: the collector commits and marks the run
check_vmm_killed() {
	local db=$tmp/vkill.db log=$tmp/vkill.log vm col st n
	"$vtlab" run --kernel "$forever" --db "$db" --trace all --console /dev/null \
		>/dev/null 2>"$log" &
	vm=$!
	wait_events "$db"
	col=$(pgrep -P "$vm" | head -n 1)
	kill -9 "$vm"
	wait "$vm" 2>/dev/null
	if [[ -z $col ]] || ! wait_gone "$col" 300; then
		bad "VMM killed" "collector '${col:-none}' still running 30 s after the VMM died"
		[[ -n $col ]] && kill -9 "$col"
		return
	fi
	st=$(q "$db" "select status from runs")
	n=$(q "$db" "select count(*) from events")
	if [[ $st == incomplete ]] && ((n > 0)) && sound "$db" &&
		grep -q "stored as incomplete" "$log"; then
		ok "VMM killed: collector stored $n events and marked the run incomplete"
	else
		bad "VMM killed" "run status '$st', $n events" "$(tail -n 3 "$log")"
	fi
}

# ---- a full disk: a clear error, nothing half-written
check_disk_full() {
	if [[ $(id -u) != 0 ]] || ! mkdir -p "$tmp/small" ||
		! mount -t tmpfs -o size=1m tmpfs "$tmp/small" 2>/dev/null; then
		echo "skip disk full: mounting a small tmpfs needs root"
		return
	fi
	mnt=$tmp/small
	local db=$mnt/full.db out rc st why
	out=$(timeout 120 "$vtlab" run --kernel "$finite" --db "$db" --trace all \
		--summary json 2>&1 >/dev/null)
	rc=$?
	st=$(q "$db" "select status from runs")
	why=$(q "$db" "select exit_reason from runs")
	if ((rc != 0 && rc != 124)) && [[ $out == *"disk full"* && $st != complete &&
		$st != running && $why == *"disk full"* ]] && sound "$db"; then
		ok "disk full: exit $rc, clear error, run '$st' for a full disk, $(q "$db" \
			"select count(*) from events") events in whole batches"
	else
		bad "disk full" "exit $rc, run status '$st', reason '$why'" "$out"
	fi
	umount "$mnt" && mnt=""
}

# ---- a standalone collector serves a run
check_standalone() {
	local db=$tmp/alone.db sock=$tmp/c.sock col rc crc out
	"$vtlab" collect --db "$db" --listen "$sock" --once 2>"$tmp/alone.log" &
	col=$!
	for ((i = 0; i < 50; i++)); do [[ -S $sock ]] && break; sleep 0.1; done
	out=$(timeout 60 "$vtlab" run --kernel "$finite" --collector "$sock" --trace faults \
		--summary json 2>&1 >/dev/null)
	rc=$?
	wait "$col"
	crc=$?
	if ((rc == 0 && crc == 0)) && [[ $(q "$db" "select status from runs") == complete ]] &&
		[[ $(q "$db" "select count(*) from events") == \
			$(q "$db" "select sum(n) from counters where event = 'exception'") ]]; then
		ok "standalone collector: run stored, collector exited 0"
	else
		bad "standalone collector" "run exit $rc, collector exit $crc: $out" \
			"$(cat "$tmp/alone.log")"
	fi
}

# ---- usage errors are one line, exit 2
check_usage() {
	local out rc
	out=$("$vtlab" run --kernel "$finite" --trace all 2>&1)
	rc=$?
	if ((rc == 2)) && [[ $out == "vtlab run: --trace: needs --db"* ]]; then
		ok "usage: --trace without --db"
	else
		bad "usage: --trace without --db" "exit $rc: $out"
	fi
}

# ---- output that cannot be written is an error, not a silent exit 0
check_output_lost() {
	local out rc
	out=$("$vtlab" run --kernel "$finite" --summary json 2>&1 >/dev/full)
	rc=$?
	if ((rc == 1)) && [[ $out == *"error writing standard output (is its disk full?): guest console output and the summary lost"* ]]; then
		ok "summary to a full disk: exit 1, says what was lost"
	else
		bad "summary to a full disk" "exit $rc: $out"
	fi
}

# ---- a database that cannot be opened: exit 3 (not stored), one clean line
check_db_unopenable() {
	local out rc db=$tmp/no-such-dir/x.db
	out=$("$vtlab" run --kernel "$finite" --db "$db" 2>&1 >/dev/null)
	rc=$?
	if ((rc == 3)) && [[ $out == "vtlab run: --db $db: cannot open the database"* ]] &&
		[[ $(grep -c "$db" <<<"$out") == 1 && $(grep -o "$db" <<<"$out" | wc -l) == 1 ]]; then
		ok "a database that cannot be opened: exit 3, named once"
	else
		bad "a database that cannot be opened" "exit $rc: $out"
	fi
}

check_stored
check_db_unopenable
check_output_lost
check_drop
check_collector_killed
check_vmm_killed
check_disk_full
check_standalone
check_usage
echo "$pass passed, $fail failed"
((fail == 0))
