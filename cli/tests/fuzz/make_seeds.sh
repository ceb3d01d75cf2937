#!/usr/bin/env bash
# make_seeds.sh - builds the seed corpus of the campaign-file fuzzer from
# the shipped campaigns.  Called by scripts/fuzz.sh.
#
# Usage: cli/tests/fuzz/make_seeds.sh campaign SEED_DIR
#
# campaign (fuzz_campaign.c: the bytes of a campaign file): every
# campaigns/*.xml as is, and one file using every element and attribute
# of the schema, so mutations start from each construct.
set -euo pipefail

if [ $# -ne 2 ] || [ "$1" != campaign ]; then
	echo "usage: $0 campaign SEED_DIR" >&2
	exit 2
fi
dir=$2
top=$(dirname "$0")/../../..
mkdir -p "$dir"
cp "$top"/campaigns/*.xml "$dir"/
cat >"$dir/everything.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<campaign name="all">
  <description>every element</description>
  <configs>native STVT HTVT STPV HTPV EPT</configs>
  <workloads small="true">kbuild jbb sysbench:cpu sysbench:oltp</workloads>
  <vcpus>1 2 8</vcpus>
  <param name="vtlb-buckets">1 64</param>
  <param name="guest-vhpt-walker">off on</param>
  <param name="mem">64M</param>
  <repetitions>2</repetitions>
  <costs file="x.costs"><cost name="vm_exit" value="1600"/></costs>
  <limits max-seconds="10"/>
  <trace>exits,faults</trace>
  <output db="a/b.db" charts="perf faults scaling" format="svg"/>
</campaign>
XML
echo "make_seeds.sh: $(ls "$dir" | wc -l) campaign seed(s)"
