#!/usr/bin/env bash
# bench.sh - vtlab's speed, measured side by side with QEMU (`make bench`).
#
# Usage: scripts/bench.sh [--quick]
#   --quick   smaller sizes and 3 runs (a smoke test, numbers less stable)
#
# Contract: builds the guest benchmarks of vmm/bench/ (vmm/bench/README.md)
# at the sizes below into $BENCH_OUT, runs each on vtlab and, for the Sv39
# ones, on qemu-system-riscv64 -machine spike, alternating the two engines,
# $BENCH_RUNS times, keeps the best (smallest) wall time of each, and prints
# markdown tables: guest MIPS and host ns per guest instruction with the
# vtlab/QEMU ratio, the cost of one TLB miss, and (valgrind callgrind, small
# sizes, vtlab only) host instructions per guest instruction and per miss.
# Exits 1 if any guest run fails (non-zero exit status) or if QEMU does not
# execute the same instruction stream as vtlab; 2 on a usage error.
#
# Method.  Wall time is that of the whole process (date +%s%N around it), so
# both engines pay their start-up; every rate is computed from a difference
# that cancels it: MIPS = (insns(full) - insns(base)) / (t(full) - t(base))
# where base is the same program with PASSES=1; miss cost = (t(stress) -
# t(hot)) / (misses(stress) - misses(hot)), stress and hot being the same
# instructions touching 4096 pages or HOT_PAGES pages.  Instruction and miss
# counts come from vtlab's --summary json; QEMU executes the same
# instructions (checked below on small sizes with QEMU's -singlestep
# -d exec trace: its count of executed instructions equals vtlab's plus the
# trapping ones, which the privileged spec does not count as retired) and,
# since every pass flushes its TLB, misses at least once per page touched.
#
# Environment: VTLAB (build/vtlab), QEMU (qemu-system-riscv64), BENCH_OUT
# (build/bench), BENCH_RUNS (5), BENCH_CALLGRIND (1; 0 skips valgrind),
# INT_PASSES (150), STRESS_PASSES (1000), HOT_PAGES (8).
set -euo pipefail

VTLAB=${VTLAB:-build/vtlab}
QEMU=${QEMU:-qemu-system-riscv64}
OUT=${BENCH_OUT:-build/bench}
RUNS=${BENCH_RUNS:-5}
CALLGRIND=${BENCH_CALLGRIND:-1}
INT_PASSES=${INT_PASSES:-150}
STRESS_PASSES=${STRESS_PASSES:-1000}
HOT_PAGES=${HOT_PAGES:-8}
BENCH_SRC=vmm/bench
# Same compiler and flags as the Makefile's guest programs (GUEST_FLAGS).
GUEST_CC=riscv64-unknown-elf-gcc
GUEST_FLAGS=(-march=rv64ima -misa-spec=2.2 -mabi=lp64 -mcmodel=medany -nostdlib -static
	-Ivmm/tests/guest -I"$BENCH_SRC" -T vmm/tests/guest/link.ld)
QEMU_ARGS=(-machine spike -m 256M -bios none -nographic)
RUN_TIMEOUT=300

case "${1:-}" in
"") ;;
--quick) INT_PASSES=20 STRESS_PASSES=100 RUNS=3 ;;
*) echo "bench.sh: unknown argument '$1' (expected --quick or nothing)" >&2; exit 2 ;;
esac

die() { echo "bench.sh: $*" >&2; exit 1; }

for tool in "$VTLAB" "$GUEST_CC" "$QEMU"; do
	command -v "$tool" >/dev/null || die "'$tool' not found (run make; qemu-system-misc)"
done
mkdir -p "$OUT"
# Run a private copy: a rebuild of $VTLAB during the measurements (other
# engineers share the tree) would otherwise break or mix the runs.
cp "$(command -v "$VTLAB")" "$OUT/vtlab" || die "$VTLAB: cannot copy to $OUT/vtlab"
VTLAB=$OUT/vtlab

# build NAME SOURCE [-DNAME=VALUE...]: $OUT/NAME.elf
build() {
	local name=$1 src=$2
	shift 2
	"$GUEST_CC" "${GUEST_FLAGS[@]}" "$@" "$BENCH_SRC/$src.S" -o "$OUT/$name.elf" ||
		die "$BENCH_SRC/$src.S: build failed ($*)"
}

# json_field FIELD: the first integer "FIELD":N of the JSON on stdin.
json_field() { grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2; }

# Summary JSON of one vtlab run of NAME, kept in $OUT/NAME.json.
vtlab_summary() {
	local name=$1 rc=0
	timeout "$RUN_TIMEOUT" "$VTLAB" run --kernel "$OUT/$name.elf" --summary json \
		</dev/null >"$OUT/$name.json" 2>"$OUT/$name.err" || rc=$?
	[ "$rc" -eq 0 ] || die "$OUT/$name.elf: vtlab exit status $rc (see $OUT/$name.err)"
	tail -n 1 "$OUT/$name.json" >"$OUT/$name.json.tmp" && mv "$OUT/$name.json.tmp" "$OUT/$name.json"
}
insns_of() { json_field instructions <"$OUT/$1.json"; }
misses_of() { json_field dtlb_miss <"$OUT/$1.json"; }
exceptions_of() { json_field exception <"$OUT/$1.json"; }

# wall_ns ENGINE NAME: wall time of one run in ns; fails the script if the
# guest does not pass.
wall_ns() {
	local engine=$1 name=$2 t0 t1 rc=0
	t0=$(date +%s%N)
	if [ "$engine" = vtlab ]; then
		timeout "$RUN_TIMEOUT" "$VTLAB" run --kernel "$OUT/$name.elf" --summary json \
			</dev/null >/dev/null 2>&1 || rc=$?
	else
		timeout "$RUN_TIMEOUT" "$QEMU" "${QEMU_ARGS[@]}" -kernel "$OUT/$name.elf" \
			</dev/null >/dev/null 2>&1 || rc=$?
	fi
	t1=$(date +%s%N)
	[ "$rc" -eq 0 ] || die "$OUT/$name.elf: $engine exit status $rc"
	echo $((t1 - t0))
}

# best ENGINES NAME...: runs every NAME on every engine $RUNS times, the
# engines and programs interleaved so that a busy moment of the machine
# hits them all alike; sets BEST[engine:name] to the smallest wall time.
declare -A BEST
best() {
	local engines=$1 r e n t
	shift
	for ((r = 0; r < RUNS; r++)); do
		for n in "$@"; do
			for e in $engines; do
				t=$(wall_ns "$e" "$n")
				if [ -z "${BEST[$e:$n]:-}" ] || [ "$t" -lt "${BEST[$e:$n]}" ]; then
					BEST[$e:$n]=$t
				fi
			done
		done
	done
}

best_ns() { echo "${BEST[$1:$2]}"; }

# calc FORMAT EXPR: awk arithmetic, printed with the given printf format.
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# ---- QEMU runs the same instruction stream (small sizes) ----
same_stream() {
	local name=$1 log="$OUT/$1.qemu-exec.log" traced insns exc rc=0
	timeout "$RUN_TIMEOUT" "$QEMU" "${QEMU_ARGS[@]}" -singlestep -d nochain,exec -D "$log" \
		-kernel "$OUT/$name.elf" </dev/null >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || die "$OUT/$name.elf: QEMU exit status $rc"
	# One "Trace" line per executed instruction (one per block with
	# -singlestep); QEMU's reset stub below RAM is not the program's.
	traced=$(awk -F/ '/^Trace/ && $2 >= "0000000080000000"' "$log" | wc -l)
	rm -f "$log"
	vtlab_summary "$name"
	insns=$(insns_of "$name")
	exc=$(exceptions_of "$name")
	[ "$traced" -eq $((insns + exc)) ] ||
		die "$name: QEMU executed $traced instructions, vtlab retired $insns + $exc trapped"
	echo "  $name: QEMU executed $traced = vtlab's $insns retired + $exc trapped: same stream"
}

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
	"$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
	"$("$QEMU" --version | head -n 1); runs=$RUNS INT_PASSES=$INT_PASSES STRESS_PASSES=$STRESS_PASSES"
echo "== building the benchmarks into $OUT"
S=(-DTOUCHES=4096 -DPASSES="$STRESS_PASSES")
build int_sv39 int_sv39 -DPASSES="$INT_PASSES"
build int_sv39.base int_sv39 -DPASSES=1
build int_svtlb int_svtlb -DPASSES="$INT_PASSES"
build int_svtlb.base int_svtlb -DPASSES=1
for v in sv39:tlb_stress_sv39: svtlb:tlb_stress_svtlb: svtlb_sw:tlb_stress_svtlb:-DSVTLB_FILL_SW; do
	IFS=: read -r mode src def <<<"$v"
	build "tlb_stress_$mode" "$src" "${S[@]}" ${def:+"$def"}
	build "tlb_stress_$mode.base" "$src" -DTOUCHES=4096 -DPASSES=1 ${def:+"$def"}
	build "tlb_stress_$mode.hot" "$src" "${S[@]}" -DHOT_PAGES="$HOT_PAGES" ${def:+"$def"}
done
build int_sv39.tiny int_sv39 -DPASSES=1 -DBUF_KIB=4
build tlb_stress_sv39.tiny tlb_stress_sv39 -DTOUCHES=512 -DPASSES=2

echo "== QEMU and vtlab execute the same instructions"
same_stream int_sv39.tiny
same_stream tlb_stress_sv39.tiny

INT=(int_sv39 int_svtlb)
STRESS=(tlb_stress_sv39 tlb_stress_svtlb tlb_stress_svtlb_sw)
ALL=()
for b in "${INT[@]}" "${STRESS[@]}"; do ALL+=("$b" "$b.base"); done
for b in "${STRESS[@]}"; do ALL+=("$b.hot"); done
echo "== vtlab summaries"
for n in "${ALL[@]}"; do vtlab_summary "$n"; done

echo "== timing: best of $RUNS runs each"
best "vtlab qemu" int_sv39 int_sv39.base
best "vtlab qemu" tlb_stress_sv39 tlb_stress_sv39.base tlb_stress_sv39.hot
best "vtlab" int_svtlb int_svtlb.base
best "vtlab" tlb_stress_svtlb tlb_stress_svtlb.base tlb_stress_svtlb.hot
best "vtlab" tlb_stress_svtlb_sw tlb_stress_svtlb_sw.base tlb_stress_svtlb_sw.hot

# ---- table 1: throughput ----
# speed_row NAME: insns and times of NAME minus NAME.base, both engines.
speed_row() {
	local b=$1 di vt qt vm qm ratio="(no QEMU)" qcols="| - | - | -"
	di=$(($(insns_of "$b") - $(insns_of "$b.base")))
	vt=$(($(best_ns vtlab "$b") - $(best_ns vtlab "$b.base")))
	vm=$(calc "%.0f" "$di * 1000 / $vt")
	if [ -n "${BEST[qemu:$b]:-}" ]; then
		qt=$(($(best_ns qemu "$b") - $(best_ns qemu "$b.base")))
		qm=$(calc "%.0f" "$di * 1000 / $qt")
		qcols="| $(calc "%.1f" "$qt / 1e6") | $qm | $(calc "%.3f" "$qt / $di")"
		ratio=$(calc "%.3f" "$qt / $vt")
	fi
	echo "| $b | $di | $(calc "%.1f" "$vt / 1e6") | $vm | $(calc "%.3f" "$vt / $di") $qcols | $ratio |"
}

echo
echo "Throughput (net of start-up: full run minus PASSES=1 run; guest instructions from vtlab)"
echo
echo "| benchmark | guest insns | vtlab ms | vtlab MIPS | vtlab ns/insn | QEMU ms | QEMU MIPS | QEMU ns/insn | vtlab/QEMU speed |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for b in "${INT[@]}" "${STRESS[@]}"; do speed_row "$b"; done

# ---- table 2: cost of one TLB miss ----
miss_row() {
	local b=$1 dm vt qt vcost qcost="-" ratio="(no QEMU)" gi
	dm=$(($(misses_of "$b") - $(misses_of "$b.hot")))
	# Guest instructions a miss adds: 0 when hardware fills the TLB, the
	# miss handler's length when software does.
	gi=$(calc "%.1f" "($(insns_of "$b") - $(insns_of "$b.hot")) / $dm")
	vt=$(($(best_ns vtlab "$b") - $(best_ns vtlab "$b.hot")))
	vcost=$(calc "%.1f" "$vt / $dm")
	if [ -n "${BEST[qemu:$b]:-}" ]; then
		qt=$(($(best_ns qemu "$b") - $(best_ns qemu "$b.hot")))
		qcost=$(calc "%.1f" "$qt / $dm")
		ratio=$(calc "%.3f" "$vt / $qt")
	fi
	echo "| $b | $dm | $gi | $(calc "%.1f" "$vt / 1e6") | $vcost | $qcost | $ratio |"
}

echo
echo "Cost of one data-TLB miss = (t(4096 pages) - t($HOT_PAGES pages)) / extra misses (vtlab's dtlb_miss)"
echo
echo "| benchmark | extra misses | guest insns per miss | vtlab extra ms | vtlab ns/miss | QEMU ns/miss | vtlab/QEMU cost |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for b in "${STRESS[@]}"; do miss_row "$b"; done

# ---- table 3: host instructions (callgrind, vtlab only) ----
# callgrind_ir NAME: total host instructions (Ir) of a vtlab run of NAME.
callgrind_ir() {
	local out="$OUT/$1.callgrind"
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		"$VTLAB" run --kernel "$OUT/$1.elf" --summary json </dev/null >/dev/null 2>&1 ||
		die "$OUT/$1.elf: vtlab under callgrind failed"
	awk '/^(summary|totals):/ { print $2; exit }' "$out"
}

if [ "$CALLGRIND" != 0 ] && command -v valgrind >/dev/null; then
	echo
	echo "Host instructions (valgrind --tool=callgrind, small sizes, vtlab only; net of the PASSES=1 run)"
	echo
	echo "| benchmark | guest insns | host insns per guest insn | host insns per miss |"
	echo "|---|---:|---:|---:|"
	build int_sv39.cg int_sv39 -DPASSES=3
	build int_svtlb.cg int_svtlb -DPASSES=3
	for v in sv39:tlb_stress_sv39: svtlb:tlb_stress_svtlb: svtlb_sw:tlb_stress_svtlb:-DSVTLB_FILL_SW; do
		IFS=: read -r mode src def <<<"$v"
		build "tlb_stress_$mode.cg" "$src" -DTOUCHES=4096 -DPASSES=20 ${def:+"$def"}
		build "tlb_stress_$mode.cghot" "$src" -DTOUCHES=4096 -DPASSES=20 -DHOT_PAGES="$HOT_PAGES" ${def:+"$def"}
	done
	for b in "${INT[@]}" "${STRESS[@]}"; do
		vtlab_summary "$b.cg"
		ir=$(callgrind_ir "$b.cg")
		ir0=$(callgrind_ir "$b.base")
		di=$(($(insns_of "$b.cg") - $(insns_of "$b.base")))
		per_miss="-"
		if [ -f "$OUT/$b.cghot.elf" ]; then
			vtlab_summary "$b.cghot"
			irh=$(callgrind_ir "$b.cghot")
			dm=$(($(misses_of "$b.cg") - $(misses_of "$b.cghot")))
			per_miss=$(calc "%.0f" "($ir - $irh) / $dm")
		fi
		echo "| $b | $di | $(calc "%.1f" "($ir - $ir0) / $di") | $per_miss |"
	done
	echo
	echo "(callgrind profiles: $OUT/*.callgrind; e.g. callgrind_annotate --auto=yes $OUT/int_sv39.cg.callgrind vmm/exec.c)"
fi

# ---- tracer: cost of a tracepoint and ring throughput (tracer/bench_tracepoint.c) ----
echo; "${BENCH_TRACEPOINT:-build/bench_tracepoint}" $([ "${1:-}" = --quick ] && echo --quick)
