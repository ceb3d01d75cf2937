#!/usr/bin/env bash
# run-ktest-pv.sh - the guest test suite on the paravirtual kernel build
# (kernel-pv.elf: paravirtual block ring) on the bare engine, so mmu=sv39
# only: there the PV Svtlb back end has no one to serve its hypercalls
# (docs/platform.md 4.10).  scripts/check-hv.sh runs the suite on
# kernel-pv.elf with mmu=svtlb under STPV and HTPV, whose VMM serves them.
here=$(cd "$(dirname "$0")" && pwd)
KERNEL=${PV_KERNEL:-build/guest/kernel-pv.elf} MMUS=${MMUS:-sv39} VCPUS=${VCPUS:-1 4} \
	exec bash "$here/run-ktest.sh" "$@"
