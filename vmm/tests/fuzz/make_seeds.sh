#!/usr/bin/env bash
# make_seeds.sh - builds the seed corpus of one of vmm's fuzzers, so no
# binary is committed.  Called by scripts/fuzz.sh.
#
# Usage: vmm/tests/fuzz/make_seeds.sh TARGET SEED_DIR    (TARGET: exec, elf, costs)
#
# exec, elf: from the guest test programs, $GUEST_DIR/*.elf (default
# build/guest; `make guest` builds them).
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
#   16:01:04 / 9a:01:04 / 16:01:05         S-mode guest under EPT (Bare,
#                                          then Sv39: the code as its page
#                                          tables) and under STPV
#   16:01:fa / 10:01:79                    HTVT with every knob turned,
#                                          STVT with walker, full track,
#                                          whole pages, tiny vTLB
# ELF seeds: each guest ELF stripped (program headers only), and unstripped
# when it fits in 16 KiB (symbol table, tohost lookup).
# costs (fuzz_costs.c: a cost file): every cost of vmm/cost.def at its
# default, the spacing/comment/hex forms test_cost.c accepts, and a few
# files cost_load_file() must reject (unknown name, zero divisor, bad value).
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 exec|elf|costs SEED_DIR" >&2
	exit 2
fi
target=$1 dir=$2
here=$(dirname "$0")
GUEST_DIR=${GUEST_DIR:-build/guest}
OBJCOPY=${OBJCOPY:-riscv64-unknown-elf-objcopy}
STRIP=${STRIP:-riscv64-unknown-elf-strip}
HEADERS="10:00 16:00 31:00 9a:00 50:00 10:01 12:01 93:01 16:01:01 16:01:02 93:01:03 10:01:01 10:01:02 10:01:03 16:01:04 9a:01:04 16:01:05 16:01:fa 10:01:79"
mkdir -p "$dir"

if [ "$target" = costs ]; then
	{
		echo "# every cost at its default (vmm/cost.def)"
		sed -n 's/^X(\([a-z0-9_]*\), *\([^,]*\),.*/\1 = \2/p' "$here/../../cost.def"
	} >"$dir/defaults"
	printf '# costs for a slow I/O bus\n\nmmio = 400\n   div=40   # trailing comment\n\tpt_ref\t=\t0x20\nmmio = 450\n   \n' \
		>"$dir/forms"
	printf 'ticks_div = 0x3e8\r\nvm_exit = 0\r\n' >"$dir/crlf"
	printf 'mmio = 1\nfoo = 2\n' >"$dir/unknown-name"
	printf 'ticks_div = 0\n' >"$dir/zero-divisor"
	printf 'mmio = -1\ndiv = 99999999999999999999999\n' >"$dir/bad-values"
	echo "make_seeds.sh: $(ls "$dir" | wc -l) cost-file seed(s)"
	exit 0
fi
[ "$target" = exec ] || [ "$target" = elf ] || {
	echo "make_seeds.sh: unknown target '$target' (exec, elf, costs)" >&2
	exit 2
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for elf in "$GUEST_DIR"/*.elf; do
	[ -f "$elf" ] || continue
	name=$(basename "$elf" .elf)
	if [ "$target" = exec ]; then
		"$OBJCOPY" -O binary -j .text.init -j .text "$elf" "$tmp/code.bin"
		head -c 4092 "$tmp/code.bin" >"$tmp/code4k.bin"
		for hdr in $HEADERS; do
			IFS=: read -r b0 b2 b3 <<<"$hdr"
			{ printf "\\x$b0\\x00\\x$b2\\x${b3:-00}"; cat "$tmp/code4k.bin"; } \
				>"$dir/$name-${hdr//:/-}"
		done
	else
		"$STRIP" -o "$dir/$name-stripped.elf" "$elf"
		if [ "$(stat -c %s "$elf")" -le 16384 ]; then
			cp "$elf" "$dir/$name.elf"
		fi
	fi
	n=$((n + 1))
done
if [ "$n" -eq 0 ]; then
	echo "make_seeds.sh: $GUEST_DIR: no *.elf (run 'make guest' first)" >&2
	exit 1
fi
echo "make_seeds.sh: $n guest ELF(s) -> $(ls "$dir" | wc -l) $target seed(s)"
