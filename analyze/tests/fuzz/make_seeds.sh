#!/usr/bin/env bash
# make_seeds.sh - builds the seed corpus of analyze's fuzzer from the
# importer's test fixtures.  Called by scripts/fuzz.sh.
#
# Usage: analyze/tests/fuzz/make_seeds.sh kvm SEED_DIR
#
# kvm (fuzz_kvm.c: the text of a trace file): every analyze/tests/fixtures
# trace as is (tracefs, trace-cmd, old and new formats, VMX, SVM, RISC-V,
# real captures, LOST lines), plus each one's event lines alone, so
# mutations start from events rather than from the comment headers.
set -euo pipefail

if [ $# -ne 2 ] || [ "$1" != kvm ]; then
	echo "usage: $0 kvm SEED_DIR" >&2
	exit 2
fi
dir=$2
fixtures=$(dirname "$0")/../fixtures
mkdir -p "$dir"
for f in "$fixtures"/*.txt; do
	name=$(basename "$f" .txt)
	cp "$f" "$dir/$name.txt"
	grep -v '^#' "$f" >"$dir/$name-events.txt" || true
done
echo "make_seeds.sh: $(ls "$dir" | wc -l) kvm seed(s) from $fixtures"
