#!/usr/bin/env bash
# make_seeds.sh - builds the fuzzers' seed corpora from the guest test
# programs (build/guest/*.elf), so no binary is committed.
#
# Usage: vmm/tests/fuzz/make_seeds.sh GUEST_ELF_DIR EXEC_SEED_DIR ELF_SEED_DIR
#
# Exec seeds (fuzz_exec.c input layout): a 4-byte header, then the guest's
# code (.text.init + .text, cut to 4092 bytes), once per header in HEADERS
# (byte 0 : byte 2 [: byte 3] of the header):
#   10:00 M-mode, trap vectors in RAM      16:00 S-mode + firmware + HTIF
#   31:00 two harts + disk                 9a:00 S-mode + Sv39, slice 100
#   50:00 M-mode, slice 7                  10:01 / 12:01 / 93:01 skip handlers
#   16:01:01 / 16:01:02 / 93:01:03         S-mode guest of the VMM (STVT,
#                                          HTVT, HTPV), skip handlers
#   10:01:01 / 10:01:02 / 10:01:03         M-mode code under the VMM: the
#                                          svtlb_*.S tests' CSR sequences
#                                          reach the vMMU
# ELF seeds: each guest ELF stripped (program headers only), and unstripped
# when it fits in 16 KiB (symbol table, tohost lookup).
set -euo pipefail

if [ $# -ne 3 ]; then
	echo "usage: $0 GUEST_ELF_DIR EXEC_SEED_DIR ELF_SEED_DIR" >&2
	exit 2
fi
guest_dir=$1 exec_dir=$2 elf_dir=$3
OBJCOPY=${OBJCOPY:-riscv64-unknown-elf-objcopy}
STRIP=${STRIP:-riscv64-unknown-elf-strip}
HEADERS="10:00 16:00 31:00 9a:00 50:00 10:01 12:01 93:01 16:01:01 16:01:02 93:01:03 10:01:01 10:01:02 10:01:03"

mkdir -p "$exec_dir" "$elf_dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
for elf in "$guest_dir"/*.elf; do
	[ -f "$elf" ] || continue
	name=$(basename "$elf" .elf)
	"$OBJCOPY" -O binary -j .text.init -j .text "$elf" "$tmp/code.bin"
	head -c 4092 "$tmp/code.bin" >"$tmp/code4k.bin"
	for hdr in $HEADERS; do
		IFS=: read -r b0 b2 b3 <<<"$hdr"
		{ printf "\\x$b0\\x00\\x$b2\\x${b3:-00}"; cat "$tmp/code4k.bin"; } \
			>"$exec_dir/$name-${hdr//:/-}"
	done
	"$STRIP" -o "$elf_dir/$name-stripped.elf" "$elf"
	if [ "$(stat -c %s "$elf")" -le 16384 ]; then
		cp "$elf" "$elf_dir/$name.elf"
	fi
	n=$((n + 1))
done
if [ "$n" -eq 0 ]; then
	echo "make_seeds.sh: $guest_dir: no *.elf (run 'make guest' first)" >&2
	exit 1
fi
echo "make_seeds.sh: $n guest ELF(s) -> $(ls "$exec_dir" | wc -l) exec seed(s), $(ls "$elf_dir" | wc -l) ELF seed(s)"
