#!/bin/sh
# install-deps.sh - checks that the Debian packages vtlab needs are installed
# and, when run as root, installs the missing ones (Debian 12 "bookworm").
#
# Contract: exits 0 when every package is installed (after installing them
# if we are root); otherwise prints the exact apt-get command to run and
# exits 1.  Runs `apt-get update` at most once, only if something is
# missing.  Called by `make deps` (see Makefile), which records success in
# build/.deps-ok so later makes skip it.  Needs only sh and dpkg-query.
set -eu
case ${1:-} in -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;; esac

# Build: host compiler, SQLite (results database), libxml2 (campaign XML),
# libpfm4 (host counter names), gnuplot (charts), the guest toolchain and
# its C library, the sqlite3 shell (users query results with it).
BUILD_PKGS="gcc make libsqlite3-dev libxml2-dev libpfm4-dev gnuplot-nox
gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf sqlite3"
# Tests and tooling: QEMU (cross-checks guest programs independently of our
# engine), clang + compiler-rt (clang-build, libFuzzer, sanitizers),
# clang-format (make check-format), python3 (check-hv.sh compares the
# database with the JSON summary; hv-tables.sh).
TEST_PKGS="qemu-system-misc clang libclang-rt-14-dev clang-format python3"

missing=""
for p in $BUILD_PKGS $TEST_PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps.sh: missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: not root; run this, then make again:"
	echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y --no-install-recommends $missing
echo "install-deps.sh: installed:$missing"
