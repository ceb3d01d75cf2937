# workloads/sysbench/sysbench.mk - the sysbench-like suite (included by the
# top-level Makefile): builds /bin/sysbench from workloads/sysbench/*.c with
# the user runtime and stages it in $(BUILD)/guest/wl/sysbench/ for the
# workload image.  `make sysbench` builds the staging tree,
# `make sysbench-check` runs check.sh (needs `make workloads`).
#
# This file is included before workloads/ulib/ulib.mk (alphabetical order),
# so prerequisites name the runtime's files literally (they are expanded at
# parse time); recipes use the ULIB_* variables (expanded when they run).

SB_DIR := workloads/sysbench
SB_OUT := $(BUILD)/guest/sysbench
SB_STAGE := $(BUILD)/guest/wl/sysbench
SB_SRC := $(sort $(wildcard $(SB_DIR)/*.c))
SB_OBJ := $(SB_SRC:$(SB_DIR)/%.c=$(SB_OUT)/%.o)
SB_RUNTIME := $(BUILD)/guest/libvtlab.a workloads/ulib/user.ld

$(SB_OUT)/%.o: $(SB_DIR)/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(ULIB_CC) $(ULIB_CFLAGS) -MMD -MP -c $< -o $@

$(SB_OUT)/sysbench: $(SB_OBJ) $(SB_RUNTIME)
	$(ULIB_CC) $(ULIB_LDFLAGS) -o $@ $(SB_OBJ) $(ULIB_LIBS)

$(SB_STAGE).stamp: $(SB_OUT)/sysbench
	rm -rf $(SB_STAGE) && mkdir -p $(SB_STAGE)/bin
	cp $(SB_OUT)/sysbench $(SB_STAGE)/bin/sysbench
	touch $@

WL_STAMPS += $(SB_STAGE).stamp

.PHONY: sysbench sysbench-check
sysbench: $(DEPS_STAMP) $(SB_STAGE).stamp
sysbench-check: $(DEPS_STAMP) $(BUILD)/vtlab $(BUILD)/guest/kernel.elf $(BUILD)/guest/disk-workloads.img
	bash $(SB_DIR)/check.sh

-include $(SB_OBJ:.o=.d)
