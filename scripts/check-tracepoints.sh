#!/usr/bin/env bash
# check-tracepoints.sh - the files generated from tracer/tracepoints.def are
# up to date and usable.
# Usage: scripts/check-tracepoints.sh [GEN]   (default build/gen_tracepoints)
# Checks that db/event_types.sql and docs/tracepoints.md equal what the
# generator prints now, and (when the sqlite3 shell is installed) that the
# SQL loads twice into the event_types table agreed with db/ (the CREATE
# below, as in tracer/gen_tracepoints.c), leaving one row per TP(...) line of
# the .def.  Prints "N passed, N failed" last; `make gen` regenerates.
set -uo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
gen=${1:-${GEN_TRACEPOINTS:-build/gen_tracepoints}}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# same FILE OPTION: FILE equals "$gen OPTION".
same() {
	if [[ ! -f $1 ]]; then
		bad "$1 is missing: run make gen"
	elif diff <("$gen" "$2") "$1" >/dev/null; then
		ok "$1 matches $gen $2"
	else
		bad "$1 is out of date: run make gen"
	fi
}

if [[ ! -x $gen ]]; then
	bad "$gen not found: run make $gen"
else
	same db/event_types.sql --sql
	same docs/tracepoints.md --markdown
fi

def_count=$(grep -c '^TP(' tracer/tracepoints.def)
if command -v sqlite3 >/dev/null && [[ -f db/event_types.sql ]]; then
	schema='CREATE TABLE event_types(id INTEGER PRIMARY KEY, name TEXT UNIQUE, category TEXT,
		description TEXT, reason_meaning TEXT, addr0_meaning TEXT, addr1_meaning TEXT,
		aux_meaning TEXT);'
	got=$(sqlite3 -bail :memory: "$schema" ".read db/event_types.sql" ".read db/event_types.sql" \
		"SELECT count(*) || ' ' || max(id) || ' ' || count(DISTINCT name) FROM event_types;" 2>&1)
	want="$def_count $((def_count - 1)) $def_count"
	if [[ $got == "$want" ]]; then
		ok "db/event_types.sql loads twice: $def_count rows, ids 0..$((def_count - 1)), unique names"
	else
		bad "db/event_types.sql into event_types: got '$got', expected '$want' (rows, max id, names)"
	fi
else
	echo "skip sqlite3 shell not installed: db/event_types.sql not loaded"
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
