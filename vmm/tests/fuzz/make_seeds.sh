#!/usr/bin/env bash
# make_seeds.sh - builds the fuzzers' seed corpora from the guest test
# programs (build/guest/*.elf), so no binary is committed.
#
# Usage: vmm/tests/fuzz/make_seeds.sh GUEST_ELF_DIR EXEC_SEED_DIR ELF_SEED_DIR
#
# Exec seeds (fuzz_exec.c input layout): a 4-byte header, then the guest's
# code (.text.init + .text, cut to 4092 bytes), once per header in HEADERS:
#   0x10 M-mode, trap vectors in RAM      0x16 S-mode + firmware + HTIF
#   0x31 two harts + disk                 0x9a S-mode + Sv39, slice 100
#   0x50 M-mode, slice 7
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
HEADERS="10 16 31 9a 50"

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
		{ printf "\\x$hdr\\x00\\x00\\x00"; cat "$tmp/code4k.bin"; } >"$exec_dir/$name-$hdr"
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
