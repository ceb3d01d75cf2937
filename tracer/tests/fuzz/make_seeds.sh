#!/usr/bin/env bash
# make_seeds.sh - builds the seed corpora of tracer's fuzzers.  Called by
# scripts/fuzz.sh.
#
# Usage: tracer/tests/fuzz/make_seeds.sh ctl|collect SEED_DIR
#
# ctl (fuzz_ctl.c: a 4-byte header, then the bytes a peer sends): the
# conversations of tracer/collector_proto.h, the VMM's side (hello ...
# end, with %-escaped arguments) and the collector's (ok, done, error),
# each under a few headers: byte 0 = the cut into writes (0 all at once,
# 1/2/3 random sizes up to 16/512/8192 bytes) + 4 * fds per write, bytes
# 1-2 = the reader's buffer (0x1000 = CTL_LINE_MAX, as the callers pass;
# 0x0040 = 64 bytes), byte 3 = the seed of the sizes.
#
# collect (fuzz_collect.c: a 2-byte header, 8 bytes per ring, then the
# VMM's lines): what `vtlab run --db` sends (cli/run_record.c through
# tracer/session.c), built from the sources it comes from: the metadata
# and parameters of run_record.c, every cost of vmm/cost.def at its
# default, the exception and interrupt names of vmm/stats.c as reason
# lines, the results, each vCPU's totals and one counter per event kind
# of vmm/events.def (exceptions by cause), and for a hypervisor run the
# exits, injections and mechanism counters of vmm/hv_stats.c.  Under
# headers for: no rings (counters only), one and two rings of plausible
# records (lossless; drop mode with losses; a tail about to wrap), the
# VMM gone before `end`, a full database, a campaign, and a few refusals
# (a ring naming another vCPU, a `rings` line whose mode is not the
# header's, an unknown meta key, `start` first).  Then
# short conversations (mini-*) under ring specs the collector must refuse
# or handle: unfinished at `end`, corrupt head or tail, random records.
set -euo pipefail

if [ $# -ne 2 ] || { [ "$1" != ctl ] && [ "$1" != collect ]; }; then
	echo "usage: $0 ctl|collect SEED_DIR" >&2
	exit 2
fi
target=$1 dir=$2
mkdir -p "$dir"

if [ "$target" = ctl ]; then
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
	exit 0
fi

# ---------------------------------------------------------------- collect
# The lines of one run (run_record.c's order).  $1: vCPUs, $2: ring line
# ("rings N MODE CAPACITY"), $3: config (native or a hypervisor's), $4:
# the trace spec, $5: "end" or "" (the VMM gone before the end).
names() { # the "name" strings of `[N] = "name"` entries between two patterns of a file
	sed -n "/$2/,/$3/p" "$1" | grep -o '\[[0-9A-Z_]*\] = "[a-z_]*"' | sed 's/.*"\(.*\)"/\1/'
}
codes() { # "N name" of `[N] = "name"` between two patterns
	sed -n "/$2/,/$3/p" "$1" | grep -o '\[[0-9]*\] = "[a-z_]*"' |
		sed 's/\[\([0-9]*\)\] = "\(.*\)"/\1 \2/'
}
conversation() {
	local nvcpus=$1 rings=$2 config=$3 trace=$4 end=$5 v
	echo "hello vtlab-trace 1"
	echo "$rings"
	echo "meta config $config"
	echo "meta workload build/guest/isa_alu.elf"
	echo "meta vcpus $nvcpus"
	echo "meta vtlab_version 0.1.0"
	echo "meta trace $trace"
	echo "param kernel build/guest/isa_alu.elf"
	echo "param mem 134217728"
	echo "param vcpus $nvcpus"
	echo "param disk %00"
	echo "param boot auto"
	echo "param itlb 64:4"
	echo "param dtlb 64:4"
	echo "param slice 1000"
	echo "param sched_seed 0"
	echo "param max_insns 0"
	echo "param svtlb false"
	echo "param trace $trace"
	echo "param trace_mode lossless"
	echo "param ring_size 65536"
	if [ "$config" != native ]; then
		echo "param vtlb hash"
		echo "param vtlb_buckets 4096"
		echo "param guest_vhpt_walker on"
		echo "param track partial"
		echo "param machine_vhpt_size 65536"
		echo "param machine_mem 268435456"
	fi
	sed -n 's/^X(\([a-z0-9_]*\), *\([0-9]*\),.*/cost \1 \2/p' vmm/cost.def
	codes vmm/stats.c 'exc_names\[' '^};' | sed 's/^/reason exception /'
	codes vmm/stats.c 'irq_names\[' '^};' | sed 's/^/reason interrupt /'
	echo "start"
	echo "result status complete"
	echo "result exit_code 0"
	echo "result exit_reason pass"
	echo "result instructions 123456"
	echo "result cycles 234567"
	echo "result wall_ns 3456789"
	echo "result metric_name ops_per_mcycle"
	echo "result metric_value 12.5"
	echo "result output_digest 0x00000000deadbeef"
	for ((v = 0; v < nvcpus; v++)); do
		echo "vcpu $v 61728 234567"
		while read -r e; do
			case $e in
			exception) echo "counter $v exception 8 12 360" ;;
			interrupt) echo "counter $v interrupt 7 3 90" ;;
			*) echo "counter $v $e %00 5 0" ;;
			esac
		done < <(sed -n 's/^X([A-Z_0-9]*, *"\([a-z_0-9]*\)".*/\1/p' vmm/events.def)
		if [ "$config" != native ]; then
			for e in $(names vmm/hv_stats.c 'exit_names\[' '^};'); do
				echo "counter $v vm_exit $e 2 2600"
			done
			for e in $(names vmm/hv_stats.c 'inject_names\[' '^};'); do
				echo "counter $v inject $e 1 0"
			done
			for e in $(names vmm/hv_stats.c 'mech_names\[' '^};'); do
				echo "counter $v vmm $e 4 0"
			done
		fi
	done
	[ -z "$end" ] || echo "$end"
}

# seed NAME HEADER_HEX BODY...: the header bytes (hex pairs, spaces ignored)
# then the body.
seed() {
	local name=$1 hex=${2// /} body=$3 bytes="" i
	for ((i = 0; i < ${#hex}; i += 2)); do bytes+="\\x${hex:i:2}"; done
	printf '%b' "$bytes" >"$dir/$name"
	printf '%s\n' "$body" >>"$dir/$name"
}

# Ring specs (fuzz_collect.c): capacity log2, flags (01 producer done, 02
# drop, 40 plausible records), published, tail, lost (2 bytes), seed.
ring64="06 41 28 00 0000 1234"
ring16_drop="04 43 10 05 0700 4321"
ring16_drop1="04 43 0c 02 0300 8765"
ring256_wrap="08 41 c8 85 0000 0101"

seed native "00 00" "$(conversation 1 'rings 0 lossless 0' native none end)"
seed traced "01 00 $ring64" "$(conversation 1 'rings 1 lossless 64' native all end)"
# The `rings` line names the mode and capacity of every ring's header:
# the collector refuses a disagreement (mode-mismatch below).
seed traced-drop "02 00 $ring16_drop $ring16_drop1" \
	"$(conversation 2 'rings 2 drop 16' native exits,mmio end)"
seed traced-wrap "01 00 $ring256_wrap" "$(conversation 1 'rings 1 lossless 256' native tlb end)"
seed hv "02 00 $ring64 $ring64" "$(conversation 2 'rings 2 lossless 64' HTVT exits,faults end)"
seed vmm-gone "01 00 ${ring64/41/40}" "$(conversation 1 'rings 1 lossless 64' native all '')"
seed disk-full "01 01 $ring256_wrap" "$(conversation 1 'rings 1 lossless 256' native all end)"
seed fds-first "01 04 $ring64" "$(conversation 1 'rings 1 lossless 64' native all end)"
seed campaign "00 00" "$(conversation 1 'rings 0 lossless 0' native none end |
	sed 's/^start$/meta campaign table1\nmeta campaign_file campaigns\/t1.xml\nmeta repetition 2\nstart/')"
seed wrong-vcpu "01 00 06 45 28 00 0000 1234" \
	"$(conversation 1 'rings 1 lossless 64' native all end)"
seed mode-mismatch "01 00 $ring64" "$(conversation 1 'rings 1 drop 64' native all end)"
seed unknown-meta "00 00" "$(conversation 1 'rings 0 lossless 0' native none end |
	sed 's/^meta trace /meta traec /')"
seed start-first "00 00" "start
$(conversation 1 'rings 0 lossless 0' native none end)"
# Short conversations, so that mutations land on the header and ring
# specs more often: the ring finished or not at `end`, a corrupt head or
# tail (the collector must refuse these, not wait or pop for ever), drop
# mode, a wrong line during the run.
mini='hello vtlab-trace 1
rings 1 lossless 64
meta config native
param mem 1048576
cost mmio 200
reason exception 11 ecall_m
start
result status complete
result exit_code 0
vcpu 0 100 500
counter 0 exception 11 7 210
end'
while read -r name spec; do
	seed "mini-$name" "01 00 $spec" "$mini"
done <<'SPECS'
finished 06 41 28 00 0000 1234
unfinished 06 40 28 00 0000 1234
corrupt-head 06 51 28 00 0000 1234
tail-past-head 06 61 28 00 0000 1234
random-records 06 01 28 00 0000 1234
SPECS
seed mini-drop-lost "01 00 06 43 40 f0 0300 1234" "${mini/rings 1 lossless 64/rings 1 drop 64}"
seed mini-bad-line "01 00 06 41 28 00 0000 1234" "${mini/result exit_code 0/result exit_code x}"
echo "make_seeds.sh: $(ls "$dir" | wc -l) collect seed(s)"
