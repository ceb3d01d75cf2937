# check-common.sh - what the workload checks (workloads/*/check.sh) share:
# the environment they honour, one boot of a workload on a copy-on-write
# snapshot of the workloads image, reading its summary, and the
# "N passed, N failed" tally.  Sourced, not run:
#
#   LOG_DIR_DEFAULT=build/NAME-logs MAX_SECONDS_DEFAULT=120
#   . "$(dirname "$0")/../check-common.sh"
#
# Environment: VTLAB (build/vtlab), KERNEL (build/guest/kernel.elf), IMAGE
# (build/guest/disk-workloads.img), VCPUS ("1 2 4 8"), MMUS ("sv39 svtlb"),
# MAX_SECONDS per boot, LOG_DIR.
set -u

VTLAB=${VTLAB:-build/vtlab}
KERNEL=${KERNEL:-build/guest/kernel.elf}
IMAGE=${IMAGE:-build/guest/disk-workloads.img}
VCPUS=${VCPUS:-"1 2 4 8"}
MMUS=${MMUS:-"sv39 svtlb"}
MAX_SECONDS=${MAX_SECONDS:-${MAX_SECONDS_DEFAULT:-120}}
LOG_DIR=${LOG_DIR:-$LOG_DIR_DEFAULT}

for f in "$VTLAB" "$KERNEL" "$IMAGE"; do
	if [ ! -f "$f" ]; then
		echo "check.sh: $f: not found (make workloads builds it)" >&2
		exit 2
	fi
done
mkdir -p "$LOG_DIR"

passed=0
failed=0
pass() {
	echo "PASS $1"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL $1"
	failed=$((failed + 1))
}
# finish: the tally line; the script's exit status.
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# boot NAME VCPUS MMU COMMAND...: one boot running COMMAND (a program of
# the image and its arguments); leaves LOG_DIR/NAME.log (console),
# NAME.json (summary) and NAME.err, and sets rc.
boot() {
	local name=$1 vcpus=$2 mmu=$3
	shift 3
	# shellcheck disable=SC2086 # BOOT_OPTS: more vtlab run options, split at blanks
	"$VTLAB" run --kernel "$KERNEL" --disk "$IMAGE" --disk-snapshot --mem 256M --vcpus "$vcpus" \
		${BOOT_OPTS:-} --args "mmu=$mmu $*" --max-seconds "$MAX_SECONDS" --console "$LOG_DIR/$name.log" \
		--summary json >"$LOG_DIR/$name.json" 2>"$LOG_DIR/$name.err"
	rc=$?
}

# field NAME KEY: KEY of the summary of boot NAME (number or string; empty
# when the run wrote none).
field() {
	tail -n 1 "$LOG_DIR/$1.json" 2>/dev/null | grep -o "\"$2\":\"\{0,1\}[^,\"}]*" | head -n 1 |
		sed 's/.*:"\{0,1\}//'
}

# show_tail NAME: the last lines of boot NAME's console and errors.
show_tail() {
	tail -n 5 "$LOG_DIR/$1.log" "$LOG_DIR/$1.err" 2>/dev/null | sed 's/^/    /'
}
