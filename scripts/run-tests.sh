#!/usr/bin/env bash
# run-tests.sh - runs vtlab's test suites and prints one closing line.
#
# Usage: scripts/run-tests.sh [-v] SUITE...
#   --unit NAME BIN...   unit-test programs; each must end its output with a
#                        line "N passed, N failed" and exit 0 when N failed is 0
#   --guest NAME ELF...  guest programs run with `$VTLAB run --kernel ELF`;
#                        exit status 0 = pass (one test each)
#   --isa DIR            the official RISC-V ISA tests found in DIR (files named
#                        rv64u[ima]-[pv]-*, rv64ua-*, rv64mi-p-*, rv64si-p-*, not
#                        *.dump), run like guest programs, PASS/FAIL printed each
#   -v                   print PASS/FAIL for every test of every suite
#
# Contract: runs every test (a failure does not stop the others), keeps each
# one's output in $LOG_DIR, prints each failure's name with the end of its
# output, one line per suite, and last the line "N passed, N failed" summed
# over all suites.  Exits 1 if anything failed (a unit program that crashes,
# times out, exits non-zero or prints no summary counts as one failure), 2 on
# a usage error, 0 otherwise.
#
# Environment: VTLAB (default build/vtlab), LOG_DIR (default build/test-logs),
# UNIT_TIMEOUT (seconds per unit program, default 300), GUEST_TIMEOUT
# (seconds per guest program, default 60).
set -uo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac

VTLAB=${VTLAB:-build/vtlab}
LOG_DIR=${LOG_DIR:-build/test-logs}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-300}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-60}

total_pass=0
total_fail=0
verbose=0
suite_lines=()
failures=()

usage() {
	echo "run-tests.sh: $*" >&2
	echo "usage: run-tests.sh [-v] {--unit NAME BIN... | --guest NAME ELF... | --isa DIR}..." >&2
	exit 2
}

# Prints the last lines of a log, indented, to show why a test failed.
show_tail() {
	tail -n "${2:-15}" "$1" | sed 's/^/    | /'
}

log_path() { # suite, file -> log file path
	local name
	name=$(basename "$2")
	echo "$LOG_DIR/$1/$name.log"
}

# Runs one unit-test program; adds its counts to the suite's totals.
run_unit() {
	local suite=$1 bin=$2 log rc line p f
	log=$(log_path "$suite" "$bin")
	timeout "$UNIT_TIMEOUT" "$bin" </dev/null >"$log" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ -z $line ]]; then
		p=0
		f=1
	else
		p=${line%% passed*}
		f=${line#*, }
		f=${f%% failed*}
		# A non-zero exit that reports no failed check (crash after the
		# summary, sanitizer or leak report at exit) is one more failure.
		if ((rc != 0 && f == 0)); then
			f=1
		fi
	fi
	s_pass=$((s_pass + p))
	s_fail=$((s_fail + f))
	if ((f > 0)); then
		local why="exit status $rc"
		((rc == 124)) && why="timed out after ${UNIT_TIMEOUT}s"
		[[ -z $line ]] && why="$why, no 'N passed, N failed' line"
		[[ -n $line ]] && why="$why, reported: $line"
		echo "FAIL [$suite] $bin ($why); log: $log"
		show_tail "$log" 25
		failures+=("[$suite] $bin")
	elif ((verbose)); then
		echo "PASS [$suite] $bin ($line)"
	fi
}

# Runs one guest ELF on vtlab; exit status 0 is a pass.
run_guest() {
	local suite=$1 elf=$2 show=$3 log rc vcpus=1
	log=$(log_path "$suite" "$elf")
	# Convention (vmm/tests/guest/smp_basic.S): smp_* programs need 2 harts.
	case $(basename "$elf") in smp_*) vcpus=2 ;; esac
	timeout "$GUEST_TIMEOUT" "$VTLAB" run --kernel "$elf" --vcpus "$vcpus" </dev/null >"$log" 2>&1
	rc=$?
	if ((rc == 0)); then
		s_pass=$((s_pass + 1))
		((show)) && echo "PASS $(basename "$elf")"
	else
		s_fail=$((s_fail + 1))
		local why="exit status $rc"
		((rc == 124)) && why="timed out after ${GUEST_TIMEOUT}s"
		echo "FAIL $(basename "$elf") [$suite] ($why); log: $log"
		show_tail "$log" 8
		failures+=("[$suite] $elf")
	fi
}

# Lists the ISA test ELFs of a directory, sorted.
isa_tests() {
	local dir=$1 f name
	for f in "$dir"/*; do
		name=$(basename "$f")
		[[ -f $f && $name != *.dump ]] || continue
		case $name in
		rv64u[ima]-[pv]-* | rv64ua-* | rv64mi-p-* | rv64si-p-*) echo "$f" ;;
		esac
	done | sort
}

finish_suite() { # suite, programs, seconds taken (where make test's time goes)
	local suite=$1 count=$2
	suite_lines+=("$(printf '  %-13s %4d program(s): %6d ok, %4d failing, %4d s' "$suite" "$count" "$s_pass" "$s_fail" "$3")")
	total_pass=$((total_pass + s_pass))
	total_fail=$((total_fail + s_fail))
}

if [[ ${1:-} == -v ]]; then
	verbose=1
	shift
fi
[[ $# -gt 0 ]] || usage "no suite given"

while [[ $# -gt 0 ]]; do
	kind=$1
	shift
	[[ $# -gt 0 ]] || usage "$kind needs an argument"
	suite=$1
	shift
	items=()
	case $kind in
	--unit | --guest)
		while [[ $# -gt 0 && $1 != --* ]]; do
			items+=("$1")
			shift
		done
		;;
	--isa)
		[[ -d $suite ]] || usage "--isa $suite: not a directory"
		mapfile -t items < <(isa_tests "$suite")
		if [[ ${#items[@]} -eq 0 ]]; then
			echo "run-tests.sh: --isa $suite: no file named rv64u[ima]-[pv]-*, rv64ua-*, rv64mi-p-* or rv64si-p-* there" >&2
			exit 2
		fi
		suite=isa
		;;
	*) usage "unknown option '$kind'" ;;
	esac
	mkdir -p "$LOG_DIR/$suite"
	s_pass=0
	s_fail=0
	start=$SECONDS
	for item in "${items[@]}"; do
		case $kind in
		--unit) run_unit "$suite" "$item" ;;
		--guest) run_guest "$suite" "$item" "$verbose" ;;
		--isa) run_guest "$suite" "$item" 1 ;;
		esac
	done
	finish_suite "$suite" "${#items[@]}" $((SECONDS - start))
done

echo "suites:"
printf '%s\n' "${suite_lines[@]}"
if ((total_fail > 0)); then
	echo "failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$total_pass passed, $total_fail failed"
((total_fail == 0))
