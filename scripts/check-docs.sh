#!/usr/bin/env bash
# check-docs.sh - generated documentation matches what the binary says.
# Usage: scripts/check-docs.sh [VTLAB]   (default build/vtlab)
# Prints "N passed, N failed" last; `make docs` regenerates the files.
set -uo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac
vtlab=${1:-${VTLAB:-build/vtlab}}
pass=0
fail=0
if [[ ! -x $vtlab ]]; then
	fail=$((fail + 1))
	echo "FAIL $vtlab not found: run make"
elif diff <("$vtlab" costs --markdown) <(sed -n '/^| cost |/,$p' docs/costs.md) >/dev/null; then
	pass=$((pass + 1))
	echo "ok   docs/costs.md matches vtlab costs --markdown"
else
	fail=$((fail + 1))
	echo "FAIL docs/costs.md is out of date: run make docs"
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
