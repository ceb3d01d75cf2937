#!/usr/bin/env bash
# check-hv.sh - the hypervisor's transparency check: the guest test suite
# (ktest) and the kernel's mm self-tests (mmtest=1) pass under every
# configuration and vCPU count, with the same result line as natively, and
# the VMM's accounting adds up.
# Usage: scripts/check-hv.sh [VTLAB] [GUEST_DIR]
#   (default build/vtlab and build/guest: kernel.elf, kernel-pv.elf,
#   disk-test.img; `make kernel disk-test` builds them)
# Environment: HV_CONFIGS (default "STVT HTVT STPV HTPV EPT"), HV_VCPUS
#   (default "1 2 4"), HV_EXTRA (more vtlab run options for the virtualized
#   runs, e.g. "--guest-vhpt-walker on --track full").
# Prints "N passed, N failed" last.
set -uo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
vtlab=${1:-${VTLAB:-build/vtlab}}
guest=${2:-build/guest}
configs=${HV_CONFIGS:-STVT HTVT STPV HTPV EPT}
vcpus_list=${HV_VCPUS:-1 2 4}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

for f in kernel.elf kernel-pv.elf disk-test.img; do
	if [[ ! -r $guest/$f ]]; then
		echo "check-hv.sh: $guest/$f missing (run make kernel disk-test)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

# run NAME KERNEL MMU ARGS...: the guest suite's result line, or the failure
run() {
	local name=$1 kernel=$2 mmu=$3
	shift 3
	"$vtlab" run --kernel "$guest/$kernel" --disk "$guest/disk-test.img" --disk-snapshot \
		--args "mmu=$mmu /bin/ktest" --max-seconds 300 --summary json "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
}

for n in $vcpus_list; do
	if ! run "native-$n" kernel.elf svtlb --vcpus "$n"; then
		bad "native, $n vCPUs: the suite fails natively ($(tail -1 "$tmp/native-$n.err"))"
		continue
	fi
	want=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/native-$n.out")
	for c in $configs; do
		kernel=kernel.elf mmu=svtlb
		[[ $c == STPV || $c == HTPV ]] && kernel=kernel-pv.elf
		[[ $c == EPT ]] && mmu=sv39 # two-stage: the guest's Sv39 over the G-stage
		name="$c-$n"
		extra=${HV_EXTRA:-}
		[[ $c == EPT ]] && extra="" # HV_EXTRA holds Svtlb options (e.g. the guest-VHPT walker)
		# shellcheck disable=SC2086
		if ! run "$name" "$kernel" "$mmu" --vcpus "$n" --config "$c" $extra; then
			bad "$c, $n vCPUs: exit status $? ($(tail -1 "$tmp/$name.err"))"
			continue
		fi
		got=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/$name.out")
		json=$(tail -1 "$tmp/$name.out")
		if [[ -z $got || $got != "$want" ]]; then
			bad "$c, $n vCPUs: '$got', natively '$want'"
		elif ! grep -q "\"hv\":{\"config\":\"$c\",\"vcpus\":$n" <<<"$json"; then
			bad "$c, $n vCPUs: the summary has no hv object for $c"
		elif [[ $c == STVT || $c == HTVT ]] && ! grep -q '"itc":{"count":[1-9]' <<<"$json"; then
			bad "$c, $n vCPUs: no trapped itc exits counted"
		elif [[ $c == STPV || $c == HTPV ]] && ! grep -q '"hypercall":{"count":[1-9]' <<<"$json"; then
			bad "$c, $n vCPUs: no hypercall exits counted"
		else
			ok "$c, $n vCPUs: $got, as natively"
		fi
	done
done
# mm's self-tests (boot option mmtest=1, workloads/kernel/mm/mmtest.c): the
# same result line under every configuration as natively with its MMU; the
# Svtlb configurations inject the nested DTLB miss its psr.ic test provokes.
# mmtest NAME KERNEL MMU ARGS...: like run, booting into the self-tests.
mmtest() {
	local name=$1 kernel=$2 mmu=$3
	shift 3
	"$vtlab" run --kernel "$guest/$kernel" --args "mmtest=1 mmu=$mmu" --max-seconds 120 \
		--summary json "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
}
for n in $vcpus_list; do
	declare -A mm_want=()
	for mmu in svtlb sv39; do
		mmtest "mm-native-$mmu-$n" kernel.elf "$mmu" --vcpus "$n"
		mm_want[$mmu]=$(grep -E '^mmtest: [0-9]+ passed, 0 failed' "$tmp/mm-native-$mmu-$n.out")
		[[ -n ${mm_want[$mmu]} ]] || bad "mmtest native $mmu, $n vCPUs: '$(grep -E '^mmtest: [0-9]+ passed' "$tmp/mm-native-$mmu-$n.out")'"
	done
	for c in $configs; do
		kernel=kernel.elf mmu=svtlb
		[[ $c == STPV || $c == HTPV ]] && kernel=kernel-pv.elf
		[[ $c == EPT ]] && mmu=sv39
		name="mm-$c-$n"
		mmtest "$name" "$kernel" "$mmu" --vcpus "$n" --config "$c"
		got=$(grep -E '^mmtest: [0-9]+ passed, [0-9]+ failed' "$tmp/$name.out")
		json=$(tail -1 "$tmp/$name.out")
		if [[ -z $got || $got != "${mm_want[$mmu]}" ]]; then
			bad "mmtest $c, $n vCPUs: '$got', natively '${mm_want[$mmu]}'"
		elif [[ $mmu == svtlb ]] && ! grep -q '"nested_dtlb_miss":{"count":1,' <<<"$json"; then
			bad "mmtest $c, $n vCPUs: the VMM did not inject one nested DTLB miss"
		else
			ok "mmtest $c, $n vCPUs: $got, as natively"
		fi
	done
done
# The database holds what the summary printed: a 2-vCPU HTVT run of the
# suite with the walker on and full track (so that the vTLB inserts and
# the walker walks too) stored with --db; for every exit reason, injected
# fault kind and mechanism counter (event "vmm"), the sum over the vCPUs of
# the counters table equals the JSON summary's number.
db="$tmp/hv.db"
# (Traced, so that the events' numeric reasons can be checked for names.)
run db kernel.elf svtlb --vcpus 2 --config HTVT --guest-vhpt-walker on --track full --db "$db" \
	--trace exits,faults
if ! python3 - "$tmp/db.out" "$db" <<'PY'; then
import json, sqlite3, sys
hv = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["hv"]
want = {("vm_exit", k): v["count"] for k, v in hv["vm_exit"].items()}
want.update({("inject", k): v["count"] for k, v in hv["inject"].items()})
want.update({("vmm", k): v for k, v in hv.items()
             if type(v) is int and k != "vcpus"})  # the counters, not the settings
got = dict((((e, r), n) for e, r, n in sqlite3.connect(sys.argv[2]).execute(
    "SELECT event, reason, n FROM run_counters WHERE event IN ('vm_exit', 'inject', 'vmm')")))
# the summary leaves out exits and kinds that did not happen: 0
wrong = ["%s %s: summary %s, database %s" % (e, r, want.get((e, r), 0), got.get((e, r)))
         for e, r in sorted(set(want) | set(got)) if want.get((e, r), 0) != got.get((e, r))]
moving = [k for k in ("vtlb_inserts", "vtlb_hits", "guest_vhpt_walks", "mvhpt_inserts",
                      "mmio_accesses") if not want.get(("vmm", k))]
if wrong or moving:
    print("; ".join(wrong[:5] + ["%s is 0" % k for k in moving]))
    sys.exit(1)
print("%d counters" % len(want))
PY
	bad "database: the counters differ from the summary's (above)"
else
	ok "database: exits, injections and VMM counters as in the summary"
fi
# Every exit, injected fault and SBI call traced has its reason's name in
# reason_names (events_named); the exits and injections used to be bare
# numbers.  Each of those three event types was traced at least once.
named=$(sqlite3 "$db" "SELECT count(DISTINCT type_name) || ' ' || count(*) FILTER (WHERE
	reason_name IS NULL) FROM events_named WHERE type_name IN ('vm_exit', 'inject',
	'sbi_call')" 2>&1)
if [[ $named == "3 0" ]]; then
	ok "database: the traced exits, injections and SBI calls have reason names"
else
	bad "database: reason names: expected '3 0' (event types, events without a name), got '$named'"
fi
# The VMM process's host counters (libpfm4's default set) are stored too:
# each one counted, or marked unsupported (no PMU in a VM) with no value.
hc=$(sqlite3 "$db" "SELECT count(*) FROM host_counters WHERE supported = 1 AND value IS NOT NULL
	OR supported = 0 AND value IS NULL" 2>&1)
if [[ $hc == 4 ]]; then
	ok "database: the 4 host counters of the run"
else
	bad "database: host counters: expected 4 rows, got '$hc'"
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
