#!/usr/bin/env bash
# make_seeds.sh - builds the seed corpus of tracer's fuzzer.  Called by
# scripts/fuzz.sh.
#
# Usage: tracer/tests/fuzz/make_seeds.sh ctl SEED_DIR
#
# ctl (fuzz_ctl.c: a 4-byte header, then the bytes a peer sends): the
# conversations of tracer/collector_proto.h, the VMM's side (hello ...
# end, with %-escaped arguments) and the collector's (ok, done, error),
# each under a few headers: byte 0 = the cut into writes (0 all at once,
# 1/2/3 random sizes up to 16/512/8192 bytes) + 4 * fds per write, bytes
# 1-2 = the reader's buffer (0x1000 = CTL_LINE_MAX, as the callers pass;
# 0x0040 = 64 bytes), byte 3 = the seed of the sizes.
set -euo pipefail

if [ $# -ne 2 ] || [ "$1" != ctl ]; then
	echo "usage: $0 ctl SEED_DIR" >&2
	exit 2
fi
dir=$2
mkdir -p "$dir"
vmm='hello vtlab-trace 1
rings 2 lossless 65536
meta config native
meta workload build/guest/isa%20alu.elf
meta vcpus 2
meta trace exits,faults
param mem 268435456
cost mmio 200
reason exception 11 ecall%20from%20M
start
result status complete
result exit_reason %00
result metric_value 1.5e3
vcpu 0 1000 5000
counter 0 exception 11 7 210
end
'
collector='ok 1
done 1 100000 0
error disk%20full%3A%20run%201%20stored%20as%20incomplete
'
# header bytes: "name b0 b1 b2 b3"
while read -r name b0 b1 b2 b3; do
	printf "\\x$b0\\x$b1\\x$b2\\x$b3%s" "$vmm" >"$dir/vmm-$name"
	printf "\\x$b0\\x$b1\\x$b2\\x$b3%s" "$collector" >"$dir/collector-$name"
done <<'HEADERS'
whole 00 00 10 00
bytes 01 00 10 2a
chunks-fds 06 00 10 07
big-fds 0f 00 10 63
short-buffer 02 40 00 05
HEADERS
printf '\x00\x00\x10\x00%s\n' "$(head -c 5000 /dev/zero | tr '\0' a)" >"$dir/overlong"
printf '\x03\x00\x20\x11%s\nend\n' "$(head -c 4095 /dev/zero | tr '\0' b)" >"$dir/longest"
echo "make_seeds.sh: $(ls "$dir" | wc -l) ctl seed(s)"
