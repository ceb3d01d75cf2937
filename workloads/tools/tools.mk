# workloads/tools/tools.mk - the vtfs host tools (included by the top-level
# Makefile): build/vtlab-mkfs, build/vtlab-fsck, and their unit tests
# build/test/workloads/tools/tests/test_* (each prints "N passed, N failed").
# Host gcc, C11, the project's warning flags.  Format: vtlab/fs_format.h.

TOOLS_DIR := workloads/tools
TOOLS_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g -Iworkloads/include \
	-I$(TOOLS_DIR)
TOOLS_LIB_SRC := $(TOOLS_DIR)/fs_image.c $(TOOLS_DIR)/mkfs.c $(TOOLS_DIR)/fsck.c
TOOLS_LIB_OBJ := $(TOOLS_LIB_SRC:%.c=$(BUILD)/tools/obj/%.o)
VTLAB_MKFS := $(BUILD)/vtlab-mkfs
VTLAB_FSCK := $(BUILD)/vtlab-fsck
# The kernel's file system compiled for the host, over a file-backed block
# device and a single-threaded stand-in for the rest of the kernel
# (tests/kshim.c): test_kfs runs it against images from mkfs and checks
# the results with fsck.
KFS_SRC := $(filter-out $(wildcard workloads/kernel/fs/blk_*.c),$(sort $(wildcard workloads/kernel/fs/*.c)))
KFS_OBJ := $(KFS_SRC:%.c=$(BUILD)/tools/obj/%.o)
TOOLS_TEST_SRC := $(sort $(wildcard $(TOOLS_DIR)/tests/test_*.c))
TOOLS_TEST_BIN := $(TOOLS_TEST_SRC:%.c=$(BUILD)/test/%)

$(BUILD)/tools/obj/$(TOOLS_DIR)/%.o: $(TOOLS_DIR)/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -MMD -MP -c $< -o $@

# The kernel's fs and its host stand-in, with ASan and UBSan: a corrupt
# image must give errors, not memory errors.
KFS_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
$(BUILD)/tools/obj/workloads/kernel/fs/%.o: workloads/kernel/fs/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) $(KFS_SAN) -Iworkloads/kernel -MMD -MP -c $< -o $@

$(BUILD)/tools/obj/$(TOOLS_DIR)/tests/kshim.o $(BUILD)/tools/obj/$(TOOLS_DIR)/tests/test_kfs.o: \
	private TOOLS_CFLAGS += $(KFS_SAN) -Iworkloads/kernel -Iworkloads/kernel/fs
$(BUILD)/test/$(TOOLS_DIR)/tests/test_kfs: private TOOLS_CFLAGS += $(KFS_SAN)

$(BUILD)/tools/libvtfs.a: $(TOOLS_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(VTLAB_MKFS): $(BUILD)/tools/obj/$(TOOLS_DIR)/mkfs_main.o $(BUILD)/tools/libvtfs.a
	$(CC) $(TOOLS_CFLAGS) -o $@ $^

$(VTLAB_FSCK): $(BUILD)/tools/obj/$(TOOLS_DIR)/fsck_main.o $(BUILD)/tools/libvtfs.a
	$(CC) $(TOOLS_CFLAGS) -o $@ $^

$(BUILD)/test/$(TOOLS_DIR)/tests/test_kfs: $(KFS_OBJ) $(BUILD)/tools/obj/$(TOOLS_DIR)/tests/kshim.o

$(BUILD)/test/$(TOOLS_DIR)/tests/%: $(BUILD)/tools/obj/$(TOOLS_DIR)/tests/%.o \
		$(BUILD)/tools/obj/$(TOOLS_DIR)/tests/tools_test.o $(BUILD)/tools/libvtfs.a
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^)

-include $(TOOLS_LIB_OBJ:.o=.d) $(KFS_OBJ:.o=.d)

.PHONY: tools tools-test
tools: $(DEPS_STAMP) $(VTLAB_MKFS) $(VTLAB_FSCK)
# Builds and runs the tools' unit tests (make test runs them via TOOLS_TEST_BIN).
tools-test: $(DEPS_STAMP) $(TOOLS_TEST_BIN)
	@rc=0; for t in $(TOOLS_TEST_BIN); do echo "== $$t"; $$t || rc=1; done; exit $$rc
