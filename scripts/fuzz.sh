#!/usr/bin/env bash
# fuzz.sh - builds and runs vtlab's libFuzzer targets.
#
# Usage: scripts/fuzz.sh [TARGET...]     (default: every target, in this order)
#   exec   vmm/tests/fuzz/fuzz_exec.c     instruction streams: an untrusted guest
#   elf    vmm/tests/fuzz/fuzz_elf.c      the ELF loader
#   costs  vmm/tests/fuzz/fuzz_costs.c    the cost-file parser (vmm/cost.c)
#   ctl    tracer/tests/fuzz/fuzz_ctl.c   the collector's control protocol
#   collect tracer/tests/fuzz/fuzz_collect.c  the collector's commands and rings, into SQLite
#   kvm    analyze/tests/fuzz/fuzz_kvm.c  the KVM ftrace text importer, into SQLite
#   campaign cli/tests/fuzz/fuzz_campaign.c  campaign files (libxml2) and their cells
#   fsck   workloads/tools/tests/fuzz/fuzz_fsck.c  vtlab-fsck on a disk image
#   kfs    workloads/tools/tests/fuzz/fuzz_kfs.c   the guest kernel's file system on a disk image
#   or `make fuzz`.  Run from the top of the tree.
#
# A target lives beside the code it tests (FOLDER/tests/fuzz/fuzz_TARGET.c)
# and links only the library folders that code may call (LINK below, in the
# data-flow order vmm -> tracer -> db -> analyze, callers first).  Each
# folder is compiled with `clang -g -O1 -fsanitize=address,undefined
# -fno-sanitize-recover=all -fsanitize=fuzzer-no-link` into its own archive,
# each target with -fsanitize=fuzzer into build/fuzz/fuzz_TARGET.  The seed
# corpora come from FOLDER/tests/fuzz/make_seeds.sh TARGET DIR (exec and elf
# from build/guest/*.elf, which `make guest` builds; the others from files
# in the tree).  The targets run one after the other (never in parallel:
# the machine is shared), each for FUZZ_SECONDS.  The growing corpus is
# kept in build/fuzz/corpus/TARGET, crash reproducers go to
# build/fuzz/artifacts/, each run's log to build/fuzz/TARGET.log.
#
# Environment: FUZZ_SECONDS (per target, default 60), CLANG (default clang),
# FUZZ_ARGS (extra libFuzzer options), FUZZ_CFLAGS (extra compiler flags,
# e.g. -fno-sanitize=shift-base to fuzz past a known finding; each flag set
# gets its own object directory).
# Exit status: 0 when no target found a crash, 1 when one did, 2 on a
# build or usage error.
set -uo pipefail

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CLANG=${CLANG:-clang}
FUZZ_ARGS=${FUZZ_ARGS:-}
OUT=build/fuzz
ALL_TARGETS=(exec elf costs ctl collect kvm campaign fsck kfs)
# The folder holding each target's source and seed script.
declare -A HOME_DIR=([exec]=vmm [elf]=vmm [costs]=vmm [ctl]=tracer [collect]=tracer
	[kvm]=analyze [campaign]=cli [fsck]=workloads/tools [kfs]=workloads/tools)
# The library folders each target links, callers before callees.  The
# engine calls the tracepoint API (vmm -> tracer); the cost parser and the
# control protocol need nothing else; the collector stores through db/
# (tracer -> db: collector.c and collector_run.c include db.h, the only
# tracer files that do); the importer writes through db/ and takes only
# tracer's headers (trace_record.h), never vmm/.
# The campaign reader is cli/campaign_*.c, which calls libxml2 and
# analyze's rule of which configurations take a knob (report_param_applies;
# the archive of cli/ lends it those files alone; vtlab.c's main is left out).
# The vtfs checker is the host tools' library, workloads/tools without the
# mains of vtlab-mkfs and vtlab-fsck (*_main.c).
declare -A LINK=([exec]="vmm tracer" [elf]="vmm tracer" [costs]="vmm" [ctl]="tracer"
	[collect]="tracer db" [kvm]="analyze db" [campaign]="cli analyze" [fsck]="workloads/tools"
	[kfs]="workloads/tools")
# Sources compiled into one target only, with their include flags: the
# guest kernel's file system over its host stand-in (tests/kshim.c), as
# tools.mk builds test_kfs (the block drivers blk_*.c are kshim's).
declare -A EXTRA_SRC=([kfs]="workloads/kernel/fs/*.c workloads/tools/tests/kshim.c")
declare -A EXTRA_INC=([kfs]="-Iworkloads/kernel -Iworkloads/kernel/fs -Iworkloads/tools/tests")
# System libraries: SQLite for db/, as the Makefile links it.
declare -A LIBS=([exec]="-lm" [elf]="-lm" [costs]="" [ctl]="" [collect]="-lsqlite3"
	[kvm]="-lsqlite3 -lm" [campaign]="-lxml2" [fsck]="" [kfs]="")
# fsck, kfs: images of 16 to 32 blocks of 4 KiB (make_seeds.sh).
declare -A MAX_LEN=([exec]=4096 [elf]=16384 [costs]=4096 [ctl]=16384 [collect]=16384 [kvm]=8192
	[campaign]=8192 [fsck]=131072 [kfs]=131072)
FLAGS=(-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
	-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror)
# Every library folder is on the include path (headers cross folders:
# db.h includes trace_record.h); what a target may call is LINK.
# workloads/include: vtfs's format, whose superblock cli/run_workload.c checks;
# workloads/tools: the host tools' entry points (vtfs_tools.h).
INC_DIRS=(analyze db vmm tracer plots cli workloads/include workloads/tools)
for d in "${INC_DIRS[@]}"; do FLAGS+=("-I$d"); done
FLAGS+=(-I/usr/include/libxml2)
version=$(sed -n 's/^VTLAB_VERSION *:= *//p' Makefile)
FLAGS+=("-DVTLAB_VERSION=\"${version:-0}\"")
# shellcheck disable=SC2206 # FUZZ_CFLAGS is a list of flags
FLAGS+=(${FUZZ_CFLAGS:-})
OBJ="$OUT/obj-$(printf '%s ' "$CLANG" "${FLAGS[@]}" | cksum | cut -d' ' -f1)"

die() {
	echo "fuzz.sh: $*" >&2
	exit 2
}

[ -f vmm/machine.h ] || die "run from the top of the vtlab tree (vmm/machine.h not found)"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
	[ -n "${HOME_DIR[$t]:-}" ] || die "unknown target '$t' (known: ${ALL_TARGETS[*]})"
	[ -f "${HOME_DIR[$t]}/tests/fuzz/fuzz_$t.c" ] ||
		die "target '$t': ${HOME_DIR[$t]}/tests/fuzz/fuzz_$t.c not found"
done
# The library folders the chosen targets link, each once.
lib_dirs=()
for t in "${targets[@]}"; do
	for d in ${LINK[$t]}; do
		[[ " ${lib_dirs[*]} " == *" $d "* ]] || lib_dirs+=("$d")
	done
done

# Objects: rebuilt when their source or any library header is newer; one
# archive per folder.
build_objects() {
	local newest_h src obj d hdrs=() srcs=() stale=()
	shopt -s nullglob
	for d in "${INC_DIRS[@]}"; do hdrs+=("$d"/*.h "$d"/*.def); done
	for d in "${lib_dirs[@]}"; do srcs+=("$d"/*.c); done
	shopt -u nullglob
	newest_h=$(ls -t "${hdrs[@]}" | head -n1)
	mkdir -p "$OBJ"
	for src in "${srcs[@]}"; do
		obj="$OBJ/$(echo "${src%.c}" | tr / _).o"
		if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then
			stale+=("$src")
		fi
	done
	if [ ${#stale[@]} -gt 0 ]; then
		echo "fuzz.sh: compiling ${#stale[@]} library file(s) with $CLANG ${FLAGS[*]} -fsanitize=fuzzer-no-link"
		printf '%s\n' "${stale[@]}" | xargs -P2 -I{} sh -c \
			'"$0" "$@" -fsanitize=fuzzer-no-link -c {} -o '"$OBJ"'/$(echo {} | sed "s/\.c$//; s|/|_|g").o' \
			"$CLANG" "${FLAGS[@]}" || die "compiling the libraries failed"
	fi
	for d in "${lib_dirs[@]}"; do
		# gen_*.c, bench_*.c and cli/vtlab.c have a main: kept out, as the
		# Makefile keeps them out of its libraries.
		local objs=()
		for src in "$d"/*.c; do
			case ${src##*/} in gen_* | bench_* | vtlab.c | *_main.c) continue ;; esac
			objs+=("$OBJ/$(echo "${src%.c}" | tr / _).o")
		done
		rm -f "$OBJ/lib${d//\//_}.a"
		ar rcs "$OBJ/lib${d//\//_}.a" "${objs[@]}" || die "archiving $d failed"
	done
}

build_target() {
	local t=$1 d src archives=() extra=()
	for d in ${LINK[$t]}; do archives+=("$OBJ/lib${d//\//_}.a"); done
	for src in ${EXTRA_SRC[$t]:-}; do
		case ${src##*/} in blk_*) continue ;; esac
		extra+=("$src")
	done
	echo "fuzz.sh: linking $OUT/fuzz_$t (${LINK[$t]}${LIBS[$t]:+ ${LIBS[$t]}}${extra[*]:+ + ${#extra[@]} sources})"
	# shellcheck disable=SC2086 # LIBS and EXTRA_INC are lists of flags
	"$CLANG" "${FLAGS[@]}" ${EXTRA_INC[$t]:-} -fsanitize=fuzzer "${HOME_DIR[$t]}/tests/fuzz/fuzz_$t.c" \
		"${extra[@]}" "${archives[@]}" ${LIBS[$t]} -o "$OUT/fuzz_$t" || die "building fuzz_$t failed"
}

make_seeds() {
	local t=$1 dir=$OUT/seeds/$1
	rm -rf "$dir" && mkdir -p "$dir"
	case $t in
	exec | elf)
		if ! ls build/guest/*.elf >/dev/null 2>&1; then
			echo "fuzz.sh: building the guest programs for the seeds (make guest)"
			make -s guest >/dev/null || echo "fuzz.sh: make guest failed"
		fi
		if ! ls build/guest/*.elf >/dev/null 2>&1; then
			echo "fuzz.sh: no build/guest/*.elf ('make guest'): fuzzing $t from an empty corpus"
			return 0
		fi
		;;
	esac
	bash "${HOME_DIR[$t]}/tests/fuzz/make_seeds.sh" "$t" "$dir" || die "making the $t seeds failed"
}

run_target() {
	local t=$1 rc found
	local log="$OUT/$t.log"
	mkdir -p "$OUT/corpus/$t" "$OUT/artifacts"
	touch "$OUT/.start-$t"
	echo "fuzz.sh: running fuzz_$t for ${FUZZ_SECONDS}s (log $log)"
	# shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
	"$OUT/fuzz_$t" "$OUT/corpus/$t" "$OUT/seeds/$t" -max_total_time="$FUZZ_SECONDS" \
		-max_len="${MAX_LEN[$t]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$t-" $FUZZ_ARGS >"$log" 2>&1
	rc=$?
	grep -E '^#[0-9]+.*(DONE|pulse|cov:)' "$log" | tail -n1
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log"
	# With -fork=N -ignore_crashes=1 libFuzzer exits 0 after crashes or
	# timeouts: what counts is the reproducers this run wrote.
	found=$(find "$OUT/artifacts" -name "$t-*" -newer "$OUT/.start-$t" | sort)
	if [ $rc -ne 0 ] || [ -n "$found" ]; then
		echo "fuzz.sh: fuzz_$t FOUND A CRASH (exit $rc); the end of $log:"
		tail -n 40 "$log"
		echo "fuzz.sh: reproducers written by this run:"
		echo "$found"
		return 1
	fi
	echo "fuzz.sh: fuzz_$t: no crash in ${FUZZ_SECONDS}s"
}

# Other engineers edit the tree while this builds: if a header changed
# during the build, objects may disagree on a struct layout, so build again.
for attempt in 1 2 3; do
	mkdir -p "$OUT" && touch "$OUT/.build-start"
	build_objects
	for t in "${targets[@]}"; do build_target "$t"; done
	changed=$({
		find "${INC_DIRS[@]}" -maxdepth 1 \( -name '*.h' -o -name '*.def' \) -newer "$OUT/.build-start"
		find "${lib_dirs[@]}" -maxdepth 1 -name '*.c' -newer "$OUT/.build-start"
	} | head -n1)
	[ -z "$changed" ] && break
	echo "fuzz.sh: $changed changed during the build (attempt $attempt): building again"
done
for t in "${targets[@]}"; do make_seeds "$t"; done
status=0
for t in "${targets[@]}"; do run_target "$t" || status=1; done
exit $status
