# workloads/jbb/jbb.mk - the SPECjbb2005-like workload (included by the
# top-level Makefile): builds /bin/jbb from workloads/jbb/*.c with the user
# runtime (workloads/ulib/ulib.mk) and stages it in $(BUILD)/guest/wl/jbb/
# for the workloads disk image.  `make jbb-check` runs check.sh.

JBB_DIR := workloads/jbb
JBB_OUT := $(BUILD)/guest/jbb-obj
JBB_STAGE := $(BUILD)/guest/wl/jbb
JBB_SRC := $(sort $(wildcard $(JBB_DIR)/*.c))
JBB_OBJ := $(JBB_SRC:$(JBB_DIR)/%.c=$(JBB_OUT)/%.o)
JBB_BIN := $(JBB_STAGE)/bin/jbb

$(JBB_OUT)/%.o: $(JBB_DIR)/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(ULIB_CC) $(ULIB_CFLAGS) -MMD -MP -c $< -o $@

# ulib.mk is included after this file (alphabetical order): its variables
# are empty here, outside recipes, hence the literal paths.
$(JBB_BIN): $(JBB_OBJ) $(BUILD)/guest/libvtlab.a workloads/ulib/user.ld
	@mkdir -p $(@D)
	$(ULIB_CC) $(ULIB_LDFLAGS) -o $@ $(JBB_OBJ) $(ULIB_LIBS)

$(BUILD)/guest/wl/jbb.stamp: $(JBB_BIN)
	touch $@

WL_STAMPS += $(BUILD)/guest/wl/jbb.stamp

.PHONY: jbb jbb-check
jbb: $(DEPS_STAMP) $(BUILD)/guest/wl/jbb.stamp
jbb-check: $(DEPS_STAMP) $(BUILD)/vtlab $(BUILD)/guest/kernel.elf $(BUILD)/guest/disk-workloads.img
	bash $(JBB_DIR)/check.sh

-include $(JBB_OBJ:.o=.d)
