#!/usr/bin/env bash
# make_seeds.sh - builds the seed corpus of the vtfs tools' fuzzer, so no
# image is committed.  Called by scripts/fuzz.sh.
#
# Usage: workloads/tools/tests/fuzz/make_seeds.sh fsck|kfs SEED_DIR
#
# fsck and kfs (fuzz_fsck.c, fuzz_kfs.c: the input is a disk image, the
# same seeds for both): images vtlab-mkfs builds
# (`make tools`), each at most 128 KiB (fuzz.sh's MAX_LEN): an empty root;
# a small tree (files, nested directories, an empty file); a file past the
# 12 direct blocks (an indirect block); a directory of 60 empty files (a
# directory block); and the small tree with its superblock marked DIRTY.
set -euo pipefail

if [ $# -ne 2 ] || { [ "$1" != fsck ] && [ "$1" != kfs ]; }; then
	echo "usage: $0 fsck|kfs SEED_DIR" >&2
	exit 2
fi
dir=$2
MKFS=${MKFS:-build/vtlab-mkfs}
if [ ! -x "$MKFS" ]; then
	make -s tools >/dev/null || {
		echo "make_seeds.sh: make tools failed" >&2
		exit 1
	}
fi
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

image() { # NAME SIZE TREE
	"$MKFS" "$dir/$1.img" "$2" "$3" >/dev/null
}

mkdir -p "$tmp/empty" "$tmp/small/src/lib" "$tmp/small/out" "$tmp/big" "$tmp/wide"
image empty 64K "$tmp/empty"

printf 'int main(void) { return 0; }\n' >"$tmp/small/src/main.c"
printf '#define N 3\n' >"$tmp/small/src/lib/n.h"
: >"$tmp/small/out/empty"
head -c 5000 /dev/zero | tr '\0' 'x' >"$tmp/small/two-blocks"
image small 64K "$tmp/small"

head -c $((15 * 4096 + 100)) /dev/zero | tr '\0' 'y' >"$tmp/big/indirect"
image indirect 128K "$tmp/big"

for i in $(seq 1 60); do : >"$tmp/wide/f$i"; done
image wide 128K "$tmp/wide"

# The small tree with the superblock's state (the u32 at offset 12, after
# magic, version and block size: struct vtfs_super in fs_format.h) DIRTY.
cp "$dir/small.img" "$dir/small-dirty.img"
printf '\002\000\000\000' | dd of="$dir/small-dirty.img" bs=1 seek=12 conv=notrunc status=none
