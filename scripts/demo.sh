#!/usr/bin/env bash
# demo.sh - what `make demo` shows: the three guest workloads (small
# presets) natively and under the single- and hash-vTLB hypervisors, stored
# in one SQLite database and queried with the views a user would use.
#
# Usage: scripts/demo.sh [VTLAB]     (default build/vtlab)
# Writes build/demo/demo.db (replaced each time), prints its tables and
# draws its charts with `vtlab plot` (build/demo/demo-perf.png and
# demo-faults.png, each with its gnuplot script).  Campaign files and
# reports arrive with a later issue; until then this is the default
# campaign, written out as a loop.
set -euo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
vtlab=${1:-build/vtlab}
out=build/demo
db=$out/demo.db
mkdir -p "$out"
rm -f "$db" "$db-wal" "$db-shm"

workloads="kbuild jbb sysbench:fileio"
configs="native STVT HTVT"
n=0
total=$(($(wc -w <<<"$workloads") * $(wc -w <<<"$configs")))
for w in $workloads; do
	for c in $configs; do
		n=$((n + 1))
		printf '[%d/%d] vtlab run --workload %s --small --vcpus 2 --config %s\n' \
			"$n" "$total" "$w" "$c"
		"$vtlab" run --workload "$w" --small --vcpus 2 --config "$c" --db "$db" \
			--console /dev/null --summary json >/dev/null 2>"$out/last.log" || {
			echo "demo: the run failed; its output:" >&2
			tail -n 20 "$out/last.log" >&2
			exit 1
		}
	done
done

q() {
	echo
	echo "-- $1"
	echo "sqlite3 $db \"$2\""
	sqlite3 -column -header "$db" "$2"
}
q "every run" "select id, config, workload, status, instructions, cycles, round(metric, 2) as metric, metric_name from run_summary"
q "each configuration's metric and modeled time against native" \
	"select workload, config, round(metric_vs_native, 3) as metric_vs_native, round(cycles_vs_native, 3) as cycles_vs_native from metric_normalized order by workload, config"
q "faults injected into the guest, per million instructions (the paper's Table 1 shape)" \
	"select workload, config, kind, n, round(per_million_instr, 2) as per_million_instr from injected_faults_by_config where n > 0 order by workload, kind, config"
q "VM exits by reason (all runs)" \
	"select r.config, e.reason, sum(e.n) as n, sum(e.cycles) as cycles from exit_counts e join runs r on r.id = e.run_id group by r.config, e.reason having sum(e.n) > 0 order by r.config, n desc"
echo
echo "-- charts"
echo "$vtlab plot --db $db --chart perf --chart faults"
rm -f "$out"/demo-*.png "$out"/demo-*.gp
"$vtlab" plot --db "$db" --chart perf --chart faults
echo
echo "demo: database $db ($(sqlite3 "$db" 'select count(*) from runs') runs); query it with sqlite3."
