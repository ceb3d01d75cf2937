#!/usr/bin/env bash
# demo.sh - what `make demo` shows: the default campaign, campaigns/demo.xml
# (the three guest workloads, small presets, natively and under the single-
# and hash-vTLB hypervisors), run by `vtlab campaign` into one SQLite
# database, which draws its charts; then the database queried with the
# views a user would use.
#
# Usage: scripts/demo.sh [VTLAB]     (default build/vtlab)
# Writes build/demo/demo.db (replaced each time), its cells' logs in
# build/demo/demo.logs/, and its charts build/demo/demo-perf.png and
# demo-faults.png, each with its gnuplot script; prints the tables.
set -euo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
vtlab=${1:-build/vtlab}
out=build/demo
db=$out/demo.db
mkdir -p "$out"
rm -rf "$db" "$db-wal" "$db-shm" "$out/demo.logs" "$out"/demo-*.png "$out"/demo-*.gp

echo "$vtlab campaign campaigns/demo.xml --jobs 2"
"$vtlab" campaign campaigns/demo.xml --jobs 2

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
echo "demo: database $db ($(sqlite3 "$db" 'select count(*) from runs') runs); query it with sqlite3."
