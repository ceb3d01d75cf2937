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
# Tracing (last section; BENCHMARKS.md "Tracing"): the cost of a tracepoint
# (build/bench_tracepoint); the engine with every TRACE() call site compiled
# out against the normal build (int_sv39, timed and counted by callgrind);
# the collector storing a lossless run of TRACE_EVENTS events of
# tracer/tests/guest/trace_load.S (3 events per 21 guest instructions) into
# a new database, with its own wall and CPU time (VTLAB_COLLECT_STATS=1,
# tracer/collector.c) and checks that nothing was lost; the same run in drop
# mode; the count of events by type from event_tallies and by GROUP BY.
#
# Environment: VTLAB (build/vtlab), QEMU (qemu-system-riscv64), BENCH_OUT
# (build/bench), BENCH_RUNS (5), BENCH_CALLGRIND (1; 0 skips valgrind),
# INT_PASSES (150), STRESS_PASSES (1000), HOT_PAGES (8), TRACE_EVENTS
# (5000000; the 50 M event figure of BENCHMARKS.md is TRACE_EVENTS=50000000).
set -euo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac

VTLAB=${VTLAB:-build/vtlab}
QEMU=${QEMU:-qemu-system-riscv64}
OUT=${BENCH_OUT:-build/bench}
RUNS=${BENCH_RUNS:-5}
CALLGRIND=${BENCH_CALLGRIND:-1}
INT_PASSES=${INT_PASSES:-150}
STRESS_PASSES=${STRESS_PASSES:-1000}
HOT_PAGES=${HOT_PAGES:-8}
TRACE_EVENTS=${TRACE_EVENTS:-}
BENCH_SRC=vmm/bench
# Same compiler and flags as the Makefile's guest programs (GUEST_FLAGS).
GUEST_CC=riscv64-unknown-elf-gcc
GUEST_FLAGS=(-march=rv64ima -misa-spec=2.2 -mabi=lp64 -mcmodel=medany -nostdlib -static
	-Ivmm/tests/guest -I"$BENCH_SRC" -T vmm/tests/guest/link.ld)
QEMU_ARGS=(-machine spike -m 256M -bios none -nographic)
RUN_TIMEOUT=300

case "${1:-}" in
"") ;;
--quick) INT_PASSES=20 STRESS_PASSES=100 RUNS=3 TRACE_EVENTS=${TRACE_EVENTS:-1000000} ;;
*) echo "bench.sh: unknown argument '$1' (expected --quick or nothing)" >&2; exit 2 ;;
esac

die() { echo "bench.sh: $*" >&2; exit 1; }

for tool in "$VTLAB" "$GUEST_CC" "$QEMU"; do
	command -v "$tool" >/dev/null || die "'$tool' not found (run make; qemu-system-misc)"
done
TRACE_EVENTS=${TRACE_EVENTS:-5000000}
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
	# traced: $VTLAB again, timed apart from the vtlab runs above so that
	# it gets exactly as many runs as notrace (the tracing section).
	if [ "$engine" = vtlab ] || [ "$engine" = traced ] || [ "$engine" = notrace ]; then
		local exe=$VTLAB
		[ "$engine" = notrace ] && exe=$OUT/vtlab-notrace
		timeout "$RUN_TIMEOUT" "$exe" run --kernel "$OUT/$name.elf" --summary json \
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
# callgrind_ir_exe EXE NAME: total host instructions (Ir) of EXE running NAME.
callgrind_ir_exe() {
	local out="$OUT/$2.$(basename "$1").callgrind"
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		"$1" run --kernel "$OUT/$2.elf" --summary json </dev/null >/dev/null 2>&1 ||
		die "$OUT/$2.elf: $1 under callgrind failed"
	awk '/^(summary|totals):/ { print $2; exit }' "$out"
}

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
bench_tp=${BENCH_TRACEPOINT:-build/bench_tracepoint}
[ -x "$bench_tp" ] || make -s "$bench_tp" # when run directly rather than by `make bench`
echo; "$bench_tp" $([ "${1:-}" = --quick ] && echo --quick)

# ---- tracing (BENCHMARKS.md "Tracing") ----
echo
echo "== tracing: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The engine with every TRACE() call site compiled out: the files that use
# TRACE() are compiled again with the Makefile's own commands (`make -n -B`,
# so per-file flags such as the executor's stay the same), a trace.h that
# includes tracer/trace.h and then redefines TRACE as nothing found first,
# and -w instead of -Werror (arguments only a TRACE() used become unused);
# the other objects are those of build/libvmm.a.
notrace_build() {
	local d="$OUT/notrace" f objs=()
	rm -rf "$d" && mkdir -p "$d/include" "$d/obj" || die "$d: cannot create"
	printf '%s\n' "/* bench.sh: tracer/trace.h with every TRACE() compiled out. */" \
		"#include \"$PWD/tracer/trace.h\"" "#undef TRACE" \
		"#define TRACE(h, tp, reason, addr0, addr1, aux) ((void)0)" >"$d/include/trace.h"
	cp build/libvmm.a "$d/libvmm.a" || die "build/libvmm.a: missing (run make)"
	for f in $(grep -l 'TRACE(' vmm/*.c); do objs+=("build/obj/vmm/$(basename "${f%.c}").o"); done
	make -s -n -B "${objs[@]}" 2>/dev/null | grep -- ' -c vmm/.*\.c -o build/obj/vmm/' |
		sed -e "s|^\([^ ]*\) |\1 -I$d/include |" -e 's/ -Werror / -w /' -e 's/ -MMD -MP / /' \
			-e "s| -o build/obj/vmm/| -o $d/obj/|" >"$d/commands.sh"
	[ "$(wc -l <"$d/commands.sh")" -eq "${#objs[@]}" ] ||
		die "make -n: expected ${#objs[@]} compile commands for the files using TRACE()"
	tr '\n' '\0' <"$d/commands.sh" | xargs -0 -P 2 -I{} sh -c '{}' ||
		die "vmm/*.c: the build without tracepoints failed"
	ar r "$d/libvmm.a" "$d"/obj/*.o 2>/dev/null || die "$d/libvmm.a: ar failed"
	local cli=()
	for f in cli/*.c; do cli+=("build/obj/cli/$(basename "${f%.c}").o"); done
	gcc -o "$OUT/vtlab-notrace" "${cli[@]}" "$d/libvmm.a" -lsqlite3 -lxml2 -lpfm -lm ||
		die "$OUT/vtlab-notrace: link failed"
}
notrace_build
best "traced notrace" int_sv39 int_sv39.base tlb_stress_sv39 tlb_stress_sv39.hot
di=$(($(insns_of int_sv39) - $(insns_of int_sv39.base)))
dm=$(($(misses_of tlb_stress_sv39) - $(misses_of tlb_stress_sv39.hot)))
mips_of() { calc "%.1f" "$di * 1000 / ($(best_ns "$1" int_sv39) - $(best_ns "$1" int_sv39.base))"; }
miss_ns_of() { calc "%.1f" "($(best_ns "$1" tlb_stress_sv39) - $(best_ns "$1" tlb_stress_sv39.hot)) / $dm"; }
declare -A TP
TP[vtlab:mips]=$(mips_of traced) TP[notrace:mips]=$(mips_of notrace)
TP[vtlab:miss]=$(miss_ns_of traced) TP[notrace:miss]=$(miss_ns_of notrace)
if [ "$CALLGRIND" != 0 ] && command -v valgrind >/dev/null && [ -f "$OUT/int_sv39.cg.elf" ]; then
	for e in vtlab notrace; do
		exe=$VTLAB
		[ "$e" = notrace ] && exe=$OUT/vtlab-notrace
		ir=$(callgrind_ir_exe "$exe" int_sv39.cg)
		ir0=$(callgrind_ir_exe "$exe" int_sv39.base)
		TP[$e:ir]=$(calc "%.3f" "($ir - $ir0) / ($(insns_of int_sv39.cg) - $(insns_of int_sv39.base))")
		ir=$(callgrind_ir_exe "$exe" tlb_stress_sv39.cg)
		ir0=$(callgrind_ir_exe "$exe" tlb_stress_sv39.cghot)
		TP[$e:irmiss]=$(calc "%.1f" "($ir - $ir0) / ($(misses_of tlb_stress_sv39.cg) - $(misses_of tlb_stress_sv39.cghot))")
	done
fi
tp_row() { echo "| $1 | ${TP[vtlab:$2]:--} | ${TP[notrace:$2]:--} |"; }
echo
echo "Disabled tracepoints: the engine with TRACE() compiled in (every category off) and compiled out"
echo "(times: best of $RUNS runs, interleaved; a TLB miss runs the tlb_miss and pt_walk call sites)"
echo
echo "| measurement | compiled in, disabled | compiled out |"
echo "|---|---:|---:|"
tp_row "int_sv39 MIPS" mips
tp_row "int_sv39 host insns per guest insn (callgrind)" ir
tp_row "tlb_stress_sv39 ns per TLB miss" miss
tp_row "tlb_stress_sv39 host insns per TLB miss (callgrind)" irmiss

# The collector: one lossless run, then the same in drop mode.
"$GUEST_CC" "${GUEST_FLAGS[@]}" -DITERATIONS=0 tracer/tests/guest/trace_load.S \
	-o "$OUT/trace_load_forever.elf" || die "tracer/tests/guest/trace_load.S: build failed"
# trace_run MODE: stores the run into $OUT/trace-MODE.db; sets T_WALL (s,
# the whole `vtlab run`), T_STATS (the collector's stats line), T_STORED,
# T_LOST, T_COUNTED (the VMM's exact counters of the traced types).
trace_run() {
	local mode=$1 db="$OUT/trace-$1.db" err="$OUT/trace-$1.err" t0 t1 rc=0
	rm -f "$db" "$db-wal" "$db-shm"
	t0=$(date +%s%N)
	VTLAB_COLLECT_STATS=1 timeout "$RUN_TIMEOUT" "$VTLAB" run --kernel "$OUT/trace_load_forever.elf" \
		--max-insns $((TRACE_EVENTS * 7)) --db "$db" --trace all --trace-mode "$mode" \
		--console /dev/null </dev/null >/dev/null 2>"$err" || rc=$?
	t1=$(date +%s%N)
	# Exit 3: the instruction limit, the expected end of this guest.
	[ "$rc" -eq 3 ] || die "trace run ($mode): vtlab exit status $rc (see $err)"
	T_WALL=$(calc "%.3f" "($t1 - $t0) / 1e9")
	T_STATS=$(grep "collect: stats:" "$err") || die "trace run ($mode): no collector stats in $err"
	T_STORED=$(sqlite3 "$db" "select count(*) from events")
	T_LOST=$(sqlite3 "$db" "select coalesce(sum(lost), 0) from losses")
	T_COUNTED=$(sqlite3 "$db" "select sum(n) from counters where event in
		(select name from event_types)")
}
trace_run lossless
[ "$T_LOST" -eq 0 ] && [ "$T_STORED" -eq "$T_COUNTED" ] ||
	die "lossless run: $T_STORED events stored, $T_LOST lost, $T_COUNTED counted by the VMM"
gaps=$(sqlite3 "$OUT/trace-lossless.db" "select count(*) from (select vcpu from events
	group by vcpu having count(*) != max(seq) + 1)")
[ "$gaps" -eq 0 ] || die "lossless run: sequence numbers with gaps on $gaps vCPUs"
L_WALL=$T_WALL L_STORED=$T_STORED
L_CWALL=$(sed -n 's/.*; wall \([0-9.]*\) s.*/\1/p' <<<"$T_STATS")
L_CPU=$(sed -n 's/.*, CPU \([0-9.]*\) s.*/\1/p' <<<"$T_STATS")
L_USER=$(sed -n 's/.*(user \([0-9.]*\),.*/\1/p' <<<"$T_STATS")
L_SYS=$(sed -n 's/.*, sys \([0-9.]*\)).*/\1/p' <<<"$T_STATS")
# Count by type over the lossless run's events.
timed_query() {
	printf '.timer on\n%s;\n' "$1" | sqlite3 "$OUT/trace-lossless.db" |
		sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' | tail -n 1
}
Q_TALLY=$(timed_query "select name, n from event_counts where run_id = 1")
Q_GROUP=$(timed_query "select type, count(*) from events where run_id = 1 group by type")
trace_run drop
[ $((T_STORED + T_LOST)) -eq "$T_COUNTED" ] ||
	die "drop mode: $T_STORED stored + $T_LOST lost != $T_COUNTED counted by the VMM"
echo
echo "Collector: trace_load_forever.elf, --trace all, $TRACE_EVENTS events requested (3 per 21 guest instructions), one new database"
echo
echo "| run | events stored | lost | vtlab run wall s | M events/s (whole run) | collector wall s | collector CPU s (user + sys) | M events/s per collector CPU s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
echo "| lossless | $L_STORED | 0 | $L_WALL | $(calc "%.2f" "$L_STORED / $L_WALL / 1e6") | $L_CWALL | $L_CPU ($L_USER + $L_SYS) | $(calc "%.2f" "$L_STORED / $L_CPU / 1e6") |"
D_CPU=$(sed -n 's/.*, CPU \([0-9.]*\) s.*/\1/p' <<<"$T_STATS")
D_CWALL=$(sed -n 's/.*; wall \([0-9.]*\) s.*/\1/p' <<<"$T_STATS")
echo "| drop | $T_STORED | $T_LOST | $T_WALL | $(calc "%.2f" "$T_STORED / $T_WALL / 1e6") stored, $(calc "%.2f" "$T_COUNTED / $T_WALL / 1e6") traced | $D_CWALL | $D_CPU | $(calc "%.2f" "$T_STORED / $D_CPU / 1e6") |"
echo
echo "lossless: every event the VMM counted is stored, sequence numbers without gaps; drop: $T_STORED stored + $T_LOST lost = $T_COUNTED counted ($(calc "%.1f" "100 * $T_LOST / $T_COUNTED")% lost)"
echo
echo "Count by type over the $L_STORED events of the lossless run (sqlite3 .timer, real seconds)"
echo
echo "| query | s |"
echo "|---|---:|"
echo "| event_counts view (event_tallies) | $Q_TALLY |"
echo "| GROUP BY type over events (no index) | $Q_GROUP |"
rm -f "$OUT"/trace-*.db "$OUT"/trace-*.db-wal "$OUT"/trace-*.db-shm
