#!/usr/bin/env bash
# run-ktest-pv.sh - the guest test suite on the paravirtual kernel build
# (kernel-pv.elf: paravirtual block ring).  Only mmu=sv39 until the
# hypervisor (issue 4) serves the Svtlb hypercalls (docs/platform.md 4.10):
# on the bare engine the PV Svtlb back end has no one to call.
here=$(cd "$(dirname "$0")" && pwd)
KERNEL=${PV_KERNEL:-build/guest/kernel-pv.elf} MMUS=${MMUS:-sv39} VCPUS=${VCPUS:-1 4} \
	exec bash "$here/run-ktest.sh" "$@"
