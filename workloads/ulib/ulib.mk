# workloads/ulib/ulib.mk - user programs of the vtlab guest (included by
# the top-level Makefile): the runtime build/guest/libvtlab.a (ulib/*.c,
# ulib/*.S over picolibc), every program into build/guest/rootfs/bin/
# (init/init.c -> /bin/init, tests/NAME.c -> /bin/NAME), and the test disk
# image build/guest/disk-test.img made by vtlab-mkfs (workloads/tools/tools.mk)
# from build/guest/rootfs.  `make ulib` builds the library and programs,
# `make disk-test` the image, `make ktest` boots it (tests/run-ktest.sh).
#
# Compiler: riscv64-unknown-elf-gcc for rv64ima without C or F; with
# --specs=picolibc.specs it picks picolibc's rv64ia/lp64 multilib.  Programs
# link libvtlab whole (so its POSIX functions and locks replace picolibc's
# stubs whatever the order libc pulls them in; --gc-sections drops what a
# program does not use), then libc and libgcc.

ULIB_DIR := workloads/ulib
ULIB_OUT := $(BUILD)/guest/ulib
ULIB_ROOTFS := $(BUILD)/guest/rootfs
ULIB_CC := riscv64-unknown-elf-gcc
ULIB_AR := riscv64-unknown-elf-ar
ULIB_ARCH := -march=rv64ima -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
ULIB_CFLAGS := $(ULIB_ARCH) --specs=picolibc.specs -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-ffunction-sections -fdata-sections -fno-omit-frame-pointer \
	-Iworkloads/include -I$(ULIB_DIR)
ULIB_LDFLAGS := $(ULIB_ARCH) --specs=picolibc.specs -nostartfiles -static \
	-T $(ULIB_DIR)/user.ld -Wl,--gc-sections -Wl,-z,noexecstack

ULIB_SRC := $(sort $(wildcard $(ULIB_DIR)/*.c $(ULIB_DIR)/*.S))
ULIB_OBJ := $(ULIB_SRC:$(ULIB_DIR)/%=$(ULIB_OUT)/lib/%.o)
ULIB_A := $(BUILD)/guest/libvtlab.a

# Programs: one .c file each.
UPROG_SRC := workloads/init/init.c $(sort $(wildcard workloads/tests/*.c))
UPROG_BIN := $(foreach s,$(UPROG_SRC),$(ULIB_ROOTFS)/bin/$(basename $(notdir $(s))))
DISK_TEST_IMG := $(BUILD)/guest/disk-test.img
DISK_TEST_SIZE := 64M

$(ULIB_OUT)/lib/%.o: $(ULIB_DIR)/% | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(ULIB_CC) $(ULIB_CFLAGS) -MMD -MP -c $< -o $@

.SECONDARY: $(UPROG_BIN:$(ULIB_ROOTFS)/bin/%=$(ULIB_OUT)/prog/%.o)

$(ULIB_A): $(ULIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(ULIB_AR) rcs $@ $^

define ULIB_PROG_OBJ_RULE
$$(ULIB_OUT)/prog/%.o: $(1)/%.c | $$(DEPS_STAMP)
	@mkdir -p $$(@D)
	$$(ULIB_CC) $$(ULIB_CFLAGS) -Iworkloads/tests -MMD -MP -c $$< -o $$@
endef
$(foreach d,workloads/init workloads/tests,$(eval $(call ULIB_PROG_OBJ_RULE,$(d))))

# What a user program links with (workloads use it too: $(ULIB_LIBS)).
ULIB_LIBS = -Wl,--whole-archive $(ULIB_A) -Wl,--no-whole-archive \
	-Wl,--start-group -lc -lgcc -Wl,--end-group

$(ULIB_ROOTFS)/bin/%: $(ULIB_OUT)/prog/%.o $(ULIB_A) $(ULIB_DIR)/user.ld
	@mkdir -p $(@D)
	$(ULIB_CC) $(ULIB_LDFLAGS) -o $@ $< $(ULIB_LIBS)

# The image is rebuilt whenever a program changes; a stamp-free rule:
# vtlab-mkfs writes the whole image from the directory.
$(DISK_TEST_IMG): $(UPROG_BIN) $(VTLAB_MKFS)
	rm -f $@
	$(VTLAB_MKFS) $@ $(DISK_TEST_SIZE) $(ULIB_ROOTFS)

.PHONY: ulib disk-test ktest
ulib: $(DEPS_STAMP) $(ULIB_A) $(UPROG_BIN)
disk-test: $(DEPS_STAMP) $(DISK_TEST_IMG)
ktest: $(DEPS_STAMP) $(BUILD)/vtlab $(BUILD)/guest/kernel.elf $(DISK_TEST_IMG)
	bash workloads/tests/run-ktest.sh

-include $(ULIB_OBJ:.o=.d) $(UPROG_BIN:$(ULIB_ROOTFS)/bin/%=$(ULIB_OUT)/prog/%.d)
