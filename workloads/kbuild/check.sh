#!/usr/bin/env bash
# check.sh - test of the kernel-build workload: runs `/bin/kbuild --small`
# on 1, 2, 4 and 8 vCPUs with mmu=sv39 and mmu=svtlb (a copy-on-write snapshot of
# the workload image each time) and checks that every run exits 0 and reports
# the build_seconds metric, that the output digest (of /out/kernel.img) is
# the same in every configuration, and that running one configuration
# twice gives the same instruction count, metric and digest (determinism).
# The guest kernel's pages=spread option (allocations one 16 MiB granule
# apart) builds the same image, and under STVT makes the single vTLB take
# more Alt-DTLB misses than the default order (the experiment it exists for).
# Last, kcc and kld built for the host (ASan, UBSan) take two inputs the
# generated trees lack.  Prints one line per check and "N passed, N
# failed"; exit 0 when nothing failed.
#
# Environment: see workloads/check-common.sh (LOG_DIR default
# build/kbuild-logs, MAX_SECONDS 120).
LOG_DIR_DEFAULT=build/kbuild-logs
MAX_SECONDS_DEFAULT=120
. "$(dirname "$0")/../check-common.sh"

# run NAME VCPUS MMU: one build; sets rc, insns, metric_name, metric, digest.
run() {
	boot "$1" "$2" "$3" /bin/kbuild --small
	insns=$(field "$1" instructions)
	metric_name=$(field "$1" metric_name)
	metric=$(field "$1" metric_value)
	digest=$(field "$1" output_digest)
}

ref_digest=""
for n in $VCPUS; do
	for mmu in $MMUS; do
		name="vcpus$n-$mmu"
		run "$name" "$n" "$mmu"
		if [ "$rc" -ne 0 ] || [ "$metric_name" != "build_seconds" ] || [ -z "$digest" ]; then
			fail "$name: exit $rc, metric '$metric_name', digest '$digest'; see $LOG_DIR/$name.log"
			show_tail "$name"
			continue
		fi
		if [ -z "$ref_digest" ]; then
			ref_digest=$digest
			ref_name=$name
		fi
		if [ "$digest" = "$ref_digest" ]; then
			pass "$name: build_seconds $metric, $insns instructions, digest $digest"
		else
			fail "$name: digest $digest differs from $ref_name's $ref_digest"
		fi
	done
done

# Determinism: the same command twice gives the same counts.
first_mmu=${MMUS%% *}
run "repeat-a" 2 "$first_mmu"
a="$rc $insns $metric $digest"
run "repeat-b" 2 "$first_mmu"
b="$rc $insns $metric $digest"
if [ "$a" = "$b" ] && [ "$rc" -eq 0 ]; then
	pass "repeat (2 vCPUs, $first_mmu): identical runs ($b)"
else
	fail "repeat (2 vCPUs, $first_mmu): '$a' then '$b'"
fi

# pages=spread: the same image natively; more Alt-DTLB injections under
# STVT, the kernel's data now spanning every granule.
run "spread" 2 "svtlb pages=spread"
if [ "$rc" -eq 0 ] && [ "$digest" = "$ref_digest" ]; then
	pass "pages=spread (2 vCPUs, svtlb): digest $digest, as with the default order"
else
	fail "pages=spread: exit $rc, digest '$digest' (want $ref_digest); see $LOG_DIR/spread.log"
fi
# stvt_alt NAME ARGS: Alt-DTLB misses injected under STVT (the boot options ARGS).
stvt_alt() {
	"$VTLAB" run --kernel "$KERNEL" --disk "$IMAGE" --disk-snapshot --mem 256M --vcpus 2 \
		--config STVT --args "mmu=svtlb $2 /bin/kbuild --small" --max-seconds "$MAX_SECONDS" \
		--console "$LOG_DIR/$1.log" --summary json >"$LOG_DIR/$1.json" 2>"$LOG_DIR/$1.err"
	rc=$?
	tail -n 1 "$LOG_DIR/$1.json" | grep -o '"alt_dtlb_miss":{"count":[0-9]*' | grep -o '[0-9]*$'
}
top_alt=$(stvt_alt "stvt-top" "pages=top")
spread_alt=$(stvt_alt "stvt-spread" "pages=spread")
if [ -n "$top_alt" ] && [ -n "$spread_alt" ] && [ "$spread_alt" -gt "$top_alt" ]; then
	pass "STVT Alt-DTLB injections: pages=top $top_alt, pages=spread $spread_alt"
else
	fail "STVT Alt-DTLB injections: pages=top '$top_alt', pages=spread '$spread_alt' (want more with spread); see $LOG_DIR/stvt-*.err"
fi

# kcc and kld built for the host with ASan and UBSan, on inputs the
# generated trees do not contain: a unit with no symbols (an empty strtab)
# is an object kld links, and "#undef 5" is an error naming the line, not
# a crash.
host_dir="$LOG_DIR/host"
mkdir -p "$host_dir"
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
# shellcheck disable=SC2086 # san: several flags
if ${CC:-gcc} -std=c11 -D_GNU_SOURCE -O1 -g $san -o "$host_dir/kcc" "$(dirname "$0")"/kcc*.c &&
	${CC:-gcc} -std=c11 -D_GNU_SOURCE -O1 -g $san -o "$host_dir/kld" "$(dirname "$0")"/kld.c; then
	export ASAN_OPTIONS=detect_leaks=0 # kcc never frees, by design
	printf 'struct s { int a; };\n' >"$host_dir/empty.c"
	if "$host_dir/kcc" -o "$host_dir/empty.o" "$host_dir/empty.c" 2>"$host_dir/empty.err" &&
		"$host_dir/kld" -o "$host_dir/empty.img" "$host_dir/empty.o" >/dev/null 2>>"$host_dir/empty.err"; then
		pass "host: a unit without symbols compiles and links"
	else
		fail "host: a unit without symbols: $(head -n 1 "$host_dir/empty.err")"
	fi
	printf 'int x;\n#undef 5\n' >"$host_dir/undef.c"
	"$host_dir/kcc" -o "$host_dir/undef.o" "$host_dir/undef.c" 2>"$host_dir/undef.err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q 'undef.c:2: #undef expects a name' "$host_dir/undef.err"; then
		pass "host: #undef of a number is an error"
	else
		fail "host: #undef of a number: exit $rc, $(head -n 1 "$host_dir/undef.err")"
	fi
else
	fail "host: cannot build kcc and kld with ${CC:-gcc}"
fi

# gen_tree (the host tool that writes the trees) stops when a write fails:
# under a 4 KiB file size limit (SIGXFSZ ignored, so write returns EFBIG)
# it used to exit 0 and leave a truncated source for the image.
gen=${KBUILD_GEN:-build/kbuild-gen-tree}
if [ -x "$gen" ]; then
	rm -rf "$host_dir/tree"
	(
		trap '' XFSZ
		ulimit -f 4
		"$gen" --seed 1 --files 128 --dirs 16 --headers 20 --stmts 3 "$host_dir/tree"
	) 2>"$host_dir/gen.err"
	rc=$?
	if [ "$rc" -ne 0 ] && grep -q 'write failed' "$host_dir/gen.err"; then
		pass "host: gen_tree fails when a write fails"
	else
		fail "host: gen_tree under a 4 KiB file limit: exit $rc, '$(head -n 1 "$host_dir/gen.err")'"
	fi
else
	fail "host: $gen: not found (make kbuild builds it)"
fi

finish
