# workloads/kbuild/kbuild.mk - the kernel-build workload (included by the
# top-level Makefile; see workloads/kbuild/README.md).
#
# Guest programs, built with the user runtime (workloads/ulib/ulib.mk):
# /bin/kbuild (the driver), /bin/kcc (the compiler: kcc*.c), /bin/kld (the
# linker).  Host program: build/kbuild-gen-tree (gen_tree.c, host gcc),
# which writes the two source trees, /src (default) and /src-small
# (--small).  Everything is staged in $(BUILD)/guest/wl/kbuild/ for the
# workload disk image; `make kbuild` stages it, `make kbuild-check` runs
# check.sh (needs the image: `make workloads`).

KBUILD_DIR := workloads/kbuild
KBUILD_OUT := $(BUILD)/guest/kbuild
KBUILD_STAGE := $(BUILD)/guest/wl/kbuild
KBUILD_GEN := $(BUILD)/kbuild-gen-tree
# This file is included before ulib.mk (alphabetical order), so names that
# must be known when the rules are read are spelled out here; recipes use
# ulib.mk's variables, which are expanded when they run.
KBUILD_ULIB_DEPS := $(BUILD)/guest/libvtlab.a workloads/ulib/user.ld
# The trees: default ~1-3 billion guest instructions, small a few tens of millions.
KBUILD_TREE_ARGS := --seed 1 --files 128 --dirs 16 --headers 20 --stmts 3
KBUILD_SMALL_ARGS := --seed 2 --files 4 --dirs 2 --headers 4 --stmts 2

KBUILD_KCC_OBJ := $(patsubst $(KBUILD_DIR)/%.c,$(KBUILD_OUT)/%.o,\
	$(sort $(wildcard $(KBUILD_DIR)/kcc*.c)))
KBUILD_BINS := $(KBUILD_STAGE)/bin/kbuild $(KBUILD_STAGE)/bin/kcc $(KBUILD_STAGE)/bin/kld
.SECONDARY: $(KBUILD_OUT)/kbuild.o $(KBUILD_OUT)/kld.o

$(KBUILD_OUT)/%.o: $(KBUILD_DIR)/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(ULIB_CC) $(ULIB_CFLAGS) -MMD -MP -c $< -o $@

$(KBUILD_STAGE)/bin/kcc: $(KBUILD_KCC_OBJ) $(KBUILD_ULIB_DEPS)
	@mkdir -p $(@D)
	$(ULIB_CC) $(ULIB_LDFLAGS) -o $@ $(KBUILD_KCC_OBJ) $(ULIB_LIBS)

$(KBUILD_STAGE)/bin/%: $(KBUILD_OUT)/%.o $(KBUILD_ULIB_DEPS)
	@mkdir -p $(@D)
	$(ULIB_CC) $(ULIB_LDFLAGS) -o $@ $< $(ULIB_LIBS)

$(KBUILD_GEN): $(KBUILD_DIR)/gen_tree.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g $< -o $@

$(KBUILD_STAGE).stamp: $(KBUILD_BINS) $(KBUILD_GEN) $(KBUILD_DIR)/kbuild.mk
	rm -rf $(KBUILD_STAGE)/src $(KBUILD_STAGE)/src-small
	$(KBUILD_GEN) $(KBUILD_TREE_ARGS) $(KBUILD_STAGE)/src
	$(KBUILD_GEN) $(KBUILD_SMALL_ARGS) $(KBUILD_STAGE)/src-small
	touch $@

WL_STAMPS += $(KBUILD_STAGE).stamp

.PHONY: kbuild kbuild-check
kbuild: $(DEPS_STAMP) $(KBUILD_STAGE).stamp
kbuild-check: $(DEPS_STAMP) $(BUILD)/vtlab $(BUILD)/guest/kernel.elf $(BUILD)/guest/disk-workloads.img
	bash $(KBUILD_DIR)/check.sh

-include $(KBUILD_KCC_OBJ:.o=.d) $(KBUILD_OUT)/kbuild.d $(KBUILD_OUT)/kld.d
