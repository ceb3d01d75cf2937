#!/usr/bin/env bash
# check-campaign.sh - end-to-end checks of `vtlab campaign` as a user runs
# it: bad files and bad cells stop it before anything runs (naming the
# line), a campaign stores one complete run per cell with the cell's
# parameters really applied, a second run resumes (runs nothing), new axis
# values run only the new cells, a changed cost, size or trace spec is
# refused over cells done before, --dry-run writes nothing, a failing cell
# is reported with its log, -j 2 gives the same modeled cycles as -j 1,
# a second campaign on the database is refused while one runs, SIGTERM
# stops it leaving the running cell's run 'incomplete' (kill -9 too: the
# cells stop with it), a full disk stops it at the first cell that fails
# on it, and the <output charts> are drawn; then `vtlab report` and `vtlab query` on the
# campaign's database; --slurm's job array run task by task, merged with
# `vtlab merge`.
#
# Usage: cli/tests/check-campaign.sh [VTLAB]   (default $VTLAB or build/vtlab;
#        needs the workloads `make workloads` builds, and sqlite3)
# Prints one line per check and "N passed, N failed" last; exits 1 if any
# check failed.
set -uo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
vtlab=$(realpath "${1:-${VTLAB:-build/vtlab}}")
pass=0
fail=0
tmp=$(mktemp -d /tmp/vtlab-campaign.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

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
check() { # description, then a command that must succeed
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
verdict() { # the status of a check's conditions, its description, then what to show if it failed
	local status=$1 what=$2
	shift 2
	if ((status == 0)); then ok "$what"; else bad "$what" "$@"; fi
}
q() { sqlite3 -batch "$1" "$2" 2>&1; }

# A campaign file NAME.xml: configs, workloads (small), vcpus, extra XML.
campaign() {
	cat >"$1.xml" <<EOF
<?xml version="1.0"?>
<campaign name="$1">
  <configs>$2</configs>
  <workloads small="true">$3</workloads>
  <vcpus>$4</vcpus>
$5
</campaign>
EOF
}

# ------------------------------------------------------------ usage
"$vtlab" campaign --help >out 2>&1
check "--help exits 0 and shows the usage" grep -q "usage: vtlab campaign FILE.xml" out
"$vtlab" campaign >out 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q "expected the campaign file" out
verdict $? "no file: exit 2, says what is expected" "rc=$rc" "$(cat out)"

campaign one "native" "sysbench:cpu" "1" ""
"$vtlab" campaign one.xml --db "" >out 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q -- "--db: expected a database file" out
verdict $? "--db '': exit 2, says a file is expected" "rc=$rc" "$(cat out)"

# ------------------------------------------------------------ bad input
campaign broken "native STVT" "sysbench:cpu" "1 9" ""
"$vtlab" campaign broken.xml >out 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q "broken.xml:5: Element 'vcpus'" out && [[ ! -e broken.db ]]
verdict $? "a schema error: exit 2, FILE:LINE, no database" "rc=$rc" "$(cat out)"

campaign badcell "native HTVT" "sysbench:cpu" "1" '  <param name="vtlb-buckets">64 300</param>'
"$vtlab" campaign badcell.xml >out 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q "badcell.xml:6: the cell \"HTVT sysbench:cpu 1 vCPU vtlb-buckets=300\"" out &&
	grep -q "vtlb-buckets: expected a power of two" out && [[ ! -e badcell.db ]]
verdict $? "a value vtlab run refuses: exit 2, the <param> line, nothing run" "rc=$rc" "$(cat out)"

# the cost file's own errors: at the <costs> line, with the cost file's line
campaign badcosts "native" "sysbench:cpu" "1" '  <costs file="bad.costs"/>'
printf 'vm_exit = 10\nvm_exit 11\n' >bad.costs
"$vtlab" campaign badcosts.xml >out 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q "^vtlab campaign: badcosts.xml:6: the cell" out &&
	grep -q "bad.costs:2: expected 'name = value'" out && [[ ! -e badcosts.db ]]
verdict $? "a bad line in the <costs file>: exit 2, the <costs> line and the cost file's line" "rc=$rc" "$(cat out)"

# ------------------------------------------------------------ a campaign
campaign e2e "native HTVT" "sysbench:cpu" "1" \
	'  <param name="vtlb-buckets">64 256</param>
  <output charts="perf sweep" sweep-param="vtlb-buckets"/>'
"$vtlab" campaign e2e.xml >out 2>&1
rc=$?
n=$(q e2e.db "select count(*) from runs r join campaigns c on c.id = r.campaign_id where c.name = 'e2e' and r.status = 'complete'")
[[ $rc -eq 0 && $n == 3 ]] && grep -q "3 of 3 cells complete" out
verdict $? "3 cells (native once, HTVT per bucket count): 3 complete runs" "rc=$rc runs=$n" "$(cat out)"
applied=$(q e2e.db "select group_concat(v, ' ') from (select c.value || '/' || b.value as v
	from runs r join run_params c on c.run_id = r.id and c.name = 'campaign_cell'
	join run_params b on b.run_id = r.id and b.name = 'vtlb_buckets'
	where r.config = 'HTVT' order by r.id)")
check "each HTVT cell ran with its bucket count ($applied)" \
	test "$applied" = "vtlb-buckets=64/64 vtlb-buckets=256/256"
check "one log per cell beside the database" test "$(ls e2e.logs | wc -l)" -eq 3
check "<output charts=\"perf sweep\">: the charts and their scripts" \
	test -s e2e-perf.png -a -s e2e-perf.png.gp -a -s e2e-sweep.png -a -s e2e-sweep.png.gp

"$vtlab" campaign e2e.xml >out 2>&1
rc=$?
n=$(q e2e.db "select count(*) from runs")
[[ $rc -eq 0 && $n == 3 ]] && grep -q "3 already complete, 0 to run" out
verdict $? "run again: resumes, runs nothing" "rc=$rc runs=$n" "$(cat out)"

# ------------------------------------------------------------ reports
"$vtlab" report --db e2e.db --table perf --format csv >out 2>&1
rc=$?
[[ $rc -eq 0 && $(grep -c '^sysbench:cpu,1,' out) == 3 ]] &&
	grep -q '^sysbench:cpu,1,HTVT,vtlb-buckets=64,1,' out
verdict $? "vtlab report: a perf row per cell, the swept value in its own row" "rc=$rc" "$(cat out)"
"$vtlab" query --db e2e.db "delete from runs" >out 2>&1
rc=$?
n=$(q e2e.db "select count(*) from runs")
[[ $rc -eq 1 && $n == 3 ]] && grep -q "only statements that read" out
verdict $? "vtlab query refuses a write; the runs are all there" "rc=$rc runs=$n" "$(cat out)"
"$vtlab" query --db e2e.db --format csv "select count(*) as n from run_summary where campaign = 'e2e'" >out 2>&1
check "vtlab query: a SELECT as CSV" test "$(cat out)" = "$(printf 'n\n3')"
"$vtlab" report --db e2e.db --table all --config native >out 2>&1
rc=$?
[[ $rc -eq 0 ]] && grep -q "table faults skipped" out && grep -q '^sysbench:cpu .* native ' out
verdict $? "vtlab report --table all: a table the data cannot make is skipped, as by default" "rc=$rc" "$(cat out)"
"$vtlab" report --db e2e.db >/dev/full 2>out
rc=$?
"$vtlab" query --db e2e.db run_summary >/dev/full 2>>out
rc2=$?
[[ $rc -eq 1 && $rc2 -eq 1 && $(grep -c "No space left on device" out) == 2 ]]
verdict $? "vtlab report and query: a full disk is an error (exit 1)" "rc=$rc rc2=$rc2" "$(cat out)"

sed -i 's/64 256/64 256 1024/' e2e.xml
"$vtlab" campaign e2e.xml --dry-run >out 2>&1
n=$(q e2e.db "select count(*) from runs")
[[ $n == 3 ]] && [[ $(grep -c " to run  " out) == 1 ]] && grep -q "^    3  to run  HTVT sysbench:cpu 1 vCPU vtlb-buckets=1024" out
verdict $? "--dry-run lists the one new cell and runs nothing" "runs=$n" "$(cat out)"
"$vtlab" campaign e2e.xml --no-charts >out 2>&1
rc=$?
n=$(q e2e.db "select count(*) from runs where status = 'complete'")
check "a value added to an axis runs only its cell (4 runs)" test $rc -eq 0 -a "$n" = 4

# A setting outside the cells' identity changed: resuming would mix runs
# of both settings in one table row, so the campaign refuses and says why.
stale() { # description, sed expression on a copy of e2e.xml, what the message must name
	sed "$2" e2e.xml >stale.xml
	"$vtlab" campaign stale.xml --no-charts >out 2>&1
	local rc=$? n
	n=$(q e2e.db "select count(*) from runs")
	[[ $rc -eq 1 && $n == 4 ]] && grep -q "4 of the cells done in e2e.db were run with other settings" out &&
		grep -q "$3" out && grep -q "another name (<campaign name=...>) or database (--db FILE)" out
	verdict $? "$1: refused, nothing run, the cell and setting named" "rc=$rc runs=$n" "$(cat out)"
}
stale "a <cost> added" 's#<output#<costs><cost name="vm_exit" value="2001"/></costs><output#' \
	"\"native sysbench:cpu 1 vCPU\" (run [0-9]*), has cost.vm_exit = '[0-9]*' where the file now gives '2001'"
stale "small turned off" 's/ small="true"//' "workload_params = '.*--small.*' where the file now gives"
stale "a trace added" 's#<output#<trace>faults</trace><output#' "trace_spec = 'none' where the file now gives 'faults'"
# A default of vtlab's machine changed under done cells (a rebuilt vtlab):
# here the stored slice of every run is made another.
cp e2e.db olddefault.db
q olddefault.db "update run_params set value = 7 where name = 'slice'" >/dev/null
"$vtlab" campaign e2e.xml --db olddefault.db --no-charts >out 2>&1
rc=$?
[[ $rc -eq 1 ]] && grep -q "has slice = '7' where the file now gives '10000' (from a <param>, or a default of vtlab's machine or hypervisor)" out
verdict $? "a machine default changed under done cells: refused, the parameter named" "rc=$rc" "$(cat out)"
q olddefault.db "update run_params set value = '/elsewhere/kernel.elf' where name = 'kernel';
	update run_params set value = 10000 where name = 'slice';
	update run_params set value = 99 where name = 'sched_seed'" >/dev/null
"$vtlab" campaign e2e.xml --db olddefault.db --no-charts >out 2>&1
rc=$?
[[ $rc -eq 0 ]] && grep -q "4 already complete, 0 to run" out
verdict $? "another kernel path or schedule seed is not another setting: resumes" "rc=$rc" "$(cat out)"
printf 'vm_exit = 2001\n' >costs.txt
sed 's#<output#<costs file="costs.txt"/><output#' e2e.xml >stale.xml
"$vtlab" campaign stale.xml --db stale.db --no-charts >out 2>&1
rc=$?
"$vtlab" campaign stale.xml --db stale.db --no-charts >out 2>&1
rc2=$?
printf 'vm_exit = 2002\n' >costs.txt
"$vtlab" campaign stale.xml --db stale.db --no-charts >out 2>&1
rc3=$?
[[ $rc -eq 0 && $rc2 -eq 0 && $rc3 -eq 1 ]] && grep -q "cost.vm_exit = '2001' where the file now gives '2002'" out
verdict $? "the cost file: resumes while it is the same, refuses once a value in it changed" "rc=$rc/$rc2/$rc3" "$(cat out)"

# ------------------------------------------------------------ -j 2
cp e2e.xml par.xml
"$vtlab" campaign par.xml --db par.db -j 2 --no-charts >out 2>&1
rc=$?
same=$(sqlite3 -batch par.db "attach 'e2e.db' as o;
	select count(*) from runs p join run_params pc on pc.run_id = p.id and pc.name = 'campaign_cell'
	join o.runs r on r.config = p.config join o.run_params rc on rc.run_id = r.id
	and rc.name = 'campaign_cell' and rc.value = pc.value
	where p.cycles = r.cycles and p.instructions = r.instructions" 2>&1)
check "-j 2: the same modeled cycles and instructions per cell as -j 1 ($same of 4)" \
	test $rc -eq 0 -a "$same" = 4
# Cells started together begin their runs in the plan's order, which the
# charts' panels follow (racing cells swapped them: 3 of 4 demo runs at
# -j 2; here, at -j 3, 6 of 6 before the runner waited for each to begin).
campaign order "native" "kbuild jbb sysbench:cpu" "1" ""
"$vtlab" campaign order.xml --db order.db -j 3 --no-charts >out 2>&1
rc=$?
got=$(sqlite3 -batch order.db "select workload from runs order by id" 2>&1 | tr '\n' ' ')
[[ $rc -eq 0 && $got == "kbuild jbb sysbench:cpu " ]]
verdict $? "-j 3: runs numbered in the plan's order" "rc=$rc, runs in id order: $got" "$(cat out)"
# So do cells started as running ones end: two ending together started the
# next two back to back, racing (2 of the 25 runs of vtlb-sweep.xml at -j 2
# out of order before the runner waited after every start, not only while
# filling free slots).  A guard: the race needs two cells to end together.
campaign order2 "native" "sysbench:cpu" "1" "  <repetitions>6</repetitions>"
"$vtlab" campaign order2.xml --db order2.db -j 2 --no-charts >out 2>&1
rc=$?
got=$(sqlite3 -batch order2.db "select repetition from runs order by id" 2>&1 | tr '\n' ' ')
[[ $rc -eq 0 && $got == "0 1 2 3 4 5 " ]]
verdict $? "-j 2: cells started as others end also number their runs in order" \
	"rc=$rc, repetitions in id order: $got" "$(cat out)"

# ------------------------------------------------------------ a job array
campaign shard "native HTVT" "sysbench:cpu" "1" '  <param name="vtlb-buckets">64 256</param>'
"$vtlab" campaign shard.xml --cell 3 --db x.db >out 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q "numbered 0 to 2" out && [[ ! -e x.db ]]
verdict $? "--cell beyond the last: exit 2, the range" "rc=$rc" "$(cat out)"
"$vtlab" campaign shard.xml --slurm --db sh/shard.db >out 2>&1
script=sh/shard.shards/shard.sbatch
[[ -s $script ]] && grep -q '^#SBATCH --array=0-2$' $script && grep -q "sbatch $tmp/$script" out
verdict $? "--slurm: a 3-task array script in DB.shards/" "$(cat out)" "$(cat $script 2>&1)"
for i in 0 1 2; do (cd / && SLURM_ARRAY_TASK_ID=$i bash "$tmp/$script") >/dev/null 2>&1; done
merge=$(sed -n 's/^#   \(.* merge --db .*\)$/\1/p' $script)
(cd / && eval "$merge") >out 2>&1
rc=$?
[[ $rc -eq 0 ]] && grep -q "3 runs added from 3 databases" out
verdict $? "the array's tasks (run from /) and the script's vtlab merge line: 3 runs in the campaign's database" "rc=$rc" "$merge" "$(cat out)"
"$vtlab" campaign shard.xml --db sh/shard.db --no-charts >out 2>&1
same=$(sqlite3 -batch sh/shard.db "attach 'e2e.db' as o;
	select count(*) from runs p join run_params pc on pc.run_id = p.id and pc.name = 'campaign_cell'
	join o.runs r on r.config = p.config join o.run_params rc on rc.run_id = r.id
	and rc.name = 'campaign_cell' and rc.value = pc.value where p.cycles = r.cycles" 2>&1)
grep -q "3 already complete, 0 to run" out && [[ $same == 3 ]]
verdict $? "after the merge the campaign is complete, with the cycles of a local run" "same=$same" "$(cat out)"
"$vtlab" campaign shard.xml --slurm --cell 1 --db sh/shard.db >out 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q "sbatch --array=1" out
verdict $? "--slurm with --cell: exit 2, sbatch --array=N instead" "rc=$rc" "$(cat out)"
# a folder with a space and a % (Slurm's %j), a database not named .db
"$vtlab" campaign shard.xml --slurm --db "s p%j/r.sqlite" >out 2>&1
script="s p%j/r.sqlite.shards/shard.sbatch"
merge=$(sed -n 's/^#   \(.* merge --db .*\)$/\1/p' "$script")
grep -qF "sbatch '$tmp/$script'" out &&
	grep -qxF "#SBATCH --output=\"$tmp/s p%%j/r.sqlite.shards/cell-%a.log\"" "$script" &&
	[[ $merge == *" merge --db '$tmp/s p%j/r.sqlite' '$tmp/s p%j/r.sqlite.shards'/cell-*.db" ]]
verdict $? "--slurm in a folder with a space and a %: quoted paths, %% for Slurm, the database's own name" "$(cat out)" "$(cat "$script" 2>&1)"

# ------------------------------------------------------------ long labels
campaign longlabel "HTVT" "sysbench:cpu" "1" \
	'  <param name="mem">256M</param><param name="itlb">64:4</param><param name="dtlb">64:4</param>
  <param name="guest-vhpt-walker">off</param><param name="vtlb-buckets">4096</param>
  <param name="vtlb-chain-max">8</param><param name="vtlb-pool">4096</param>
  <param name="track">full</param><param name="large-pages">split</param>
  <param name="machine-vhpt-size">65536</param><param name="machine-vhpt-chain">off</param>
  <repetitions>2</repetitions>'
"$vtlab" campaign longlabel.xml -j 2 >out 2>&1
rc=$?
logs=$(ls longlabel.logs | wc -l)
[[ $rc -eq 0 && $logs == 2 ]]
verdict $? "cells whose labels differ only past 200 characters: a log each" "rc=$rc logs=$logs" "$(ls longlabel.logs)"

# ------------------------------------------------------------ a failing cell
campaign failing "native" "sysbench:cpu" "1" '  <param name="max-insns">100000</param>'
"$vtlab" campaign failing.xml >out 2>&1
rc=$?
st=$(q failing.db "select status from runs")
log=failing.logs/native_sysbench:cpu_1_vCPU_max-insns=100000.log
[[ $rc -eq 1 && $st == failed && -s $log ]] && grep -q "FAILED: native sysbench:cpu 1 vCPU" out &&
	grep -q "run the same command again to retry" out
verdict $? "a cell whose guest fails: exit 1, its log named, run stored as failed" "rc=$rc status=$st" "$(cat out)"
grep -q '^    | vtlab run: exit 3: instruction limit' out &&
	awk '/^    \| / && length > 200 { long = 1 } END { exit long }' out
verdict $? "the failed cell's log tail: whole lines, the long JSON summary cut short" "$(cat out)"

# ------------------------------------------------------------ cannot start
# The workloads vanish after the checks: the first cell cannot start its
# guest, and the campaign stops there instead of failing every cell.
mkdir -p gone && cp "$vtlab" gone/vtlab && cp -r "$(dirname "$vtlab")/guest" gone/guest
campaign gone "native STVT HTVT" "sysbench:cpu" "1 2" ""
gone/vtlab campaign gone.xml --no-charts >out 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do
	n=$(q gone.db "select count(*) from runs" 2>/dev/null)
	[[ $n =~ ^[0-9]+$ ]] && ((n >= 1)) && break
	sleep 0.05
done
rm -rf gone/guest
wait $pid
rc=$?
n=$(q gone.db "select count(*) from runs")
[[ $rc -eq 1 && $n -le 2 ]] && grep -q "stopped: a cell could not start" out &&
	[[ $(grep -c "FAILED" out) -eq 1 ]]
verdict $? "workloads gone mid-campaign: it stops at the first cell that cannot start" "rc=$rc runs=$n" "$(cat out)"

# ------------------------------------------------------------ vtlab rebuilt
# A rebuild replaces the binary while a campaign runs: the cells still
# start (the campaign's own binary) and still find the workloads beside it.
mkdir -p bin && cp "$vtlab" bin/vtlab && ln -s "$(dirname "$vtlab")/guest" bin/guest
campaign rebuilt "native HTVT" "kbuild" "1" ""
bin/vtlab campaign rebuilt.xml --no-charts >out 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do
	[[ $(q rebuilt.db "select count(*) from runs where status = 'running'" 2>/dev/null) == 1 ]] && break
	sleep 0.1
done
cp bin/vtlab bin/vtlab.new && mv bin/vtlab.new bin/vtlab
wait $pid
rc=$?
n=$(q rebuilt.db "select count(*) from runs where status = 'complete'")
[[ $rc -eq 0 && $n == 2 ]]
verdict $? "vtlab replaced mid-campaign: every cell still completes" "rc=$rc complete=$n" "$(cat out)"

# ------------------------------------------------------------ interrupted
cat >long.xml <<EOF
<campaign name="long"><configs>HTVT</configs><workloads>kbuild</workloads>
<vcpus>1</vcpus><repetitions>2</repetitions></campaign>
EOF
"$vtlab" campaign long.xml >out 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do
	[[ $(q long.db "select count(*) from runs where status = 'running'" 2>/dev/null) == 1 ]] && break
	sleep 0.1
done
timeout 20 "$vtlab" campaign long.xml >out2 2>&1
rc=$?
n=$(q long.db "select count(*) from runs")
[[ $rc -eq 1 && $n == 1 ]] && grep -q "another vtlab campaign is running cells into this database" out2
verdict $? "a second vtlab campaign on the same database: refused, runs no cell twice" "rc=$rc runs=$n" "$(cat out2)"
kill -TERM $pid
wait $pid
rc=$?
st=$(q long.db "select group_concat(status) from runs")
left=$(pgrep -f "campaign long --campaign-file" | wc -l)
[[ $rc -eq 130 && $st == incomplete && $left == 0 ]] && grep -q "interrupted: 0 of 2 cells complete" out
verdict $? "SIGTERM: exit 130, the running cell stored as incomplete, no cell left running" \
	"rc=$rc statuses=$st left=$left" "$(cat out)"

# ------------------------------------------------------------ a full disk
# The database's disk fills up in the third cell: the campaign stops there
# instead of failing every cell after it, and says why.  Needs root (a
# 2 MiB tmpfs in a mount namespace of its own, gone with it).
cat >full.xml <<EOF
<campaign name="full"><configs>native HTVT</configs><workloads small="true">sysbench:cpu</workloads>
<vcpus>1</vcpus><repetitions>3</repetitions><trace>all</trace></campaign>
EOF
mkdir -p small
if [[ $(id -u) == 0 ]] && unshare -m true 2>/dev/null; then
	unshare -m bash -c 'mount -t tmpfs -o size=2m tmpfs small && "$1" campaign full.xml --db small/full.db --no-charts >out 2>&1; echo $? >rc; sqlite3 -batch small/full.db "select count(*) from runs" >runs 2>&1' _ "$vtlab"
	rc=$(cat rc)
	n=$(cat runs)
	if [[ $rc == 1 && $n -lt 6 ]] && [[ $(grep -c "FAILED" out) == 1 ]] &&
		grep -q "stopped: the disk holding small/full.db or its logs is full" out; then
		ok "a full disk: the campaign stops at the first cell that fails on it ($n of 6 runs), and says so"
	else
		bad "a full disk: the campaign stops at the first cell that fails on it" "rc=$rc runs=$n" "$(cat out)"
	fi
else
	echo "skip a full disk: mounting a small tmpfs needs root"
fi

# ------------------------------------------------------------ killed outright
# kill -9 cannot be passed on by the campaign: its running cell must not
# live on, or the same command run again (the lock gone with the killed
# campaign) runs that cell a second time beside it.
cat >killed.xml <<EOF
<campaign name="killed"><configs>HTVT</configs><workloads>kbuild</workloads>
<vcpus>1</vcpus><repetitions>2</repetitions></campaign>
EOF
"$vtlab" campaign killed.xml --no-charts >out 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do
	[[ $(q killed.db "select count(*) from runs where status = 'running'" 2>/dev/null) == 1 ]] && break
	sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null
for ((i = 0; i < 20; i++)); do # a stopped cell is gone at once; kbuild takes 4 s
	left=$(pgrep -f "campaign killed --campaign-file" | wc -l)
	[[ $left == 0 ]] && break
	sleep 0.1
done
"$vtlab" campaign killed.xml --no-charts >out 2>&1
rc=$?
st=$(q killed.db "select group_concat(status || ':' || repetition, ' ') from (select * from runs order by id)")
if [[ $left == 0 && $rc -eq 0 && $st == "incomplete:0 complete:0 complete:1" ]]; then
	ok "kill -9 of the campaign: its cell stops (run incomplete); run again, one complete run per cell"
else
	bad "kill -9 of the campaign: its cell stops (run incomplete); run again, one complete run per cell" \
		"cells left running $left, rc=$rc, runs (status:repetition) $st" "$(cat out)"
	pkill -f "campaign killed --campaign-file"
fi

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
