#!/usr/bin/env bash
# demo.sh - what `make demo` shows: the default campaign, campaigns/demo.xml
# (the three guest workloads, small presets, natively and under the single-
# and hash-vTLB hypervisors), run by `vtlab campaign` into one SQLite
# database, which draws its charts; then its tables with `vtlab report` and
# `vtlab query`.
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

show() { # description (none: the command titles its own table), vtlab arguments
	echo
	[[ -z $1 ]] || echo "-- $1"
	local a line="$ vtlab"
	for a in "${@:2}"; do [[ $a == *" "* ]] && line+=" \"$a\"" || line+=" $a"; done
	echo "$line"
	"$vtlab" "${@:2}"
}
show "" query --db "$db" --title "Every run" \
	"select id, config, workload, status, instructions, cycles, round(metric, 4) as metric, metric_name from run_summary"
show "each configuration against native (the paper's Figure 2), and the faults injected (Table 1)" \
	report --db "$db"
show "" query --db "$db" --title "VM exits by reason (all runs)" \
	"select r.config, e.reason, sum(e.n) as n, sum(e.cycles) as cycles from exit_counts e join runs r on r.id = e.run_id group by r.config, e.reason having sum(e.n) > 0 order by r.config, n desc"
echo
echo "demo: database $db ($(sqlite3 "$db" 'select count(*) from runs') runs), charts $out/demo-perf.png"
echo "and $out/demo-faults.png; vtlab query --db $db --list shows what else to ask."
