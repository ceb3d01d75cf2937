#!/usr/bin/env bash
# fuzz.sh - builds and runs vtlab's libFuzzer targets (vmm/tests/fuzz/).
#
# Usage: scripts/fuzz.sh [TARGET...]     (TARGET: exec, elf; default both)
#   or `make fuzz`.  Run from the top of the tree.
#
# Builds the engine (vmm/*.c) and the tracepoint API it calls (tracer/*.c)
# into one archive, and each vmm/tests/fuzz/fuzz_TARGET.c with
# `clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all`
# into build/fuzz/, makes the seed corpora from build/guest/*.elf
# (vmm/tests/fuzz/make_seeds.sh; `make guest` builds them), then runs the
# targets one after the other (never in parallel: the machine is shared),
# each for FUZZ_SECONDS.  The growing corpus is kept in
# build/fuzz/corpus/TARGET, crash reproducers go to build/fuzz/artifacts/,
# each run's log to build/fuzz/TARGET.log.
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
FLAGS=(-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
	-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror)
# The engine and the tracepoint API it calls (vmm -> tracer); the other
# library folders are on the include path only.
LIB_DIRS=(vmm tracer)
for d in analyze db vmm tracer; do FLAGS+=("-I$d"); done
version=$(sed -n 's/^VTLAB_VERSION *:= *//p' Makefile)
FLAGS+=("-DVTLAB_VERSION=\"${version:-0}\"")
# shellcheck disable=SC2206 # FUZZ_CFLAGS is a list of flags
FLAGS+=(${FUZZ_CFLAGS:-})
OBJ="$OUT/obj-$(printf '%s ' "$CLANG" "${FLAGS[@]}" | cksum | cut -d' ' -f1)"
# SQLite only when the libraries use it (db/), as the Makefile links it.
LDLIBS="-lm"
if grep -qs sqlite3 db/*.c; then LDLIBS="-lsqlite3 -lm"; fi
declare -A MAX_LEN=([exec]=4096 [elf]=16384)

die() {
	echo "fuzz.sh: $*" >&2
	exit 2
}

[ -f vmm/machine.h ] || die "run from the top of the vtlab tree (vmm/machine.h not found)"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(exec elf)
for t in "${targets[@]}"; do
	[ -f "vmm/tests/fuzz/fuzz_$t.c" ] || die "unknown target '$t': vmm/tests/fuzz/fuzz_$t.c not found"
done

# Objects: rebuilt when their source or any library header is newer.
build_objects() {
	local newest_h src obj d hdrs=() srcs=() stale=()
	shopt -s nullglob
	for d in "${LIB_DIRS[@]}"; do
		hdrs+=("$d"/*.h "$d"/*.def)
		srcs+=("$d"/*.c)
	done
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
	rm -f "$OBJ/libfuzzhost.a"
	ar rcs "$OBJ/libfuzzhost.a" "$OBJ"/*.o || die "archiving the libraries failed"
}

build_target() {
	local t=$1
	echo "fuzz.sh: linking $OUT/fuzz_$t"
	"$CLANG" "${FLAGS[@]}" -fsanitize=fuzzer "vmm/tests/fuzz/fuzz_$t.c" "$OBJ/libfuzzhost.a" $LDLIBS \
		-o "$OUT/fuzz_$t" || die "building fuzz_$t failed"
}

run_target() {
	local t=$1 log="$OUT/$t.log" rc found
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
	changed=$(find "${LIB_DIRS[@]}" -maxdepth 1 \( -name '*.h' -o -name '*.def' -o -name '*.c' \) \
		-newer "$OUT/.build-start" | head -n1)
	[ -z "$changed" ] && break
	echo "fuzz.sh: $changed changed during the build (attempt $attempt): building again"
done
if ! ls build/guest/*.elf >/dev/null 2>&1; then
	echo "fuzz.sh: building the guest programs for the seeds (make guest)"
	make -s guest >/dev/null || echo "fuzz.sh: make guest failed"
fi
if ls build/guest/*.elf >/dev/null 2>&1; then
	bash vmm/tests/fuzz/make_seeds.sh build/guest "$OUT/seeds/exec" "$OUT/seeds/elf" ||
		die "making the seeds failed"
else
	echo "fuzz.sh: no build/guest/*.elf ('make guest'): fuzzing from an empty corpus"
	mkdir -p "$OUT/seeds/exec" "$OUT/seeds/elf"
fi
status=0
for t in "${targets[@]}"; do run_target "$t" || status=1; done
exit $status
