# vtlab - top-level build.  See README.md; `make help` lists the targets.
#
# Host side: gcc, C11, -Wall -Wextra -Werror.  Every vmm/*.c goes into
# build/libvmm.a and every cli/*.c into build/vtlab.  Guest side:
# riscv64-unknown-elf-gcc for rv64ima (no C, no F): every vmm/tests/guest/*.S
# except _*.S becomes build/guest/*.elf.  Tests: vmm/tests/test_*.c and
# cli/tests/test_*.c are standalone programs linked with their
# tests/NAME_doubles.c if any, build/libcli.a (cli/*.c but the main) and
# build/libvmm.a, built once with gcc -O2 and once with ASan+UBSan;
# scripts/run-tests.sh runs them and the guest programs.
#
# Every user-facing target first checks the Debian packages the build needs
# (scripts/install-deps.sh, which installs them when run as root); success is
# remembered in build/.deps-ok, so the check costs nothing afterwards.

ifeq ($(origin CC),default)
CC := gcc
endif
CLANG ?= clang
CLANG_FORMAT ?= clang-format
CFLAGS ?= -O2 -g
VTLAB_VERSION := 0.1.0
# libxml2's headers (campaign files, cli/campaign_xml.c) live in a folder of
# their own on Debian (libxml2-dev); workloads/include has vtfs's on-disk
# format, whose superblock `vtlab run --workload` checks (cli/run_workload.c).
HOST_FLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(addprefix -I,$(LIB_DIRS) cli vmm/tests) \
	-Iworkloads/include \
	-I/usr/include/libxml2 \
	-DVTLAB_VERSION='"$(VTLAB_VERSION)"'
# `override` keeps the project's flags when CFLAGS is given on the command line.
override CFLAGS += $(HOST_FLAGS)
LDLIBS += -lsqlite3 -lxml2 -lpfm -lm

BUILD := build
DEPS_STAMP := $(BUILD)/.deps-ok

.SUFFIXES:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all

# ---------------------------------------------------------------- sources
CLI_MAIN := cli/vtlab.c
# Host library folders, all archived into build/libvmm.a (one archive, so
# the linker resolves calls between them in any order).  Who may call whom
# is each folder's README: data flows vmm -> tracer -> db -> analyze -> plots.
LIB_DIRS := analyze db vmm tracer plots
# gen_*.c and bench_*.c are host programs with a main (see their section).
LIB_SRC = $(sort $(filter-out $(1)/gen_%.c $(1)/bench_%.c,$(wildcard $(1)/*.c)))
LIB_TOOL_SRC := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/gen_*.c $(d)/bench_*.c)))
VMM_SRC := $(foreach d,$(LIB_DIRS),$(call LIB_SRC,$(d)))
CLI_SRC := $(sort $(wildcard cli/*.c))
CLI_LIB_SRC := $(filter-out $(CLI_MAIN),$(CLI_SRC))
UNIT_SRC := $(sort $(wildcard $(addsuffix /tests/test_*.c,$(LIB_DIRS) cli)))
# Test doubles: tests/NAME_doubles.c, when it exists, is linked into
# tests/test_NAME ahead of the libraries, so its definitions replace theirs.
doubles_of = $(wildcard $(dir $(1))$(patsubst test_%,%,$(notdir $(1:.c=)))_doubles.c)
TEST_SUPPORT_SRC := $(sort $(filter-out $(UNIT_SRC),$(wildcard $(addsuffix /tests/*.c,$(LIB_DIRS) cli))))
ALL_HOST_SRC := $(VMM_SRC) $(CLI_SRC) $(UNIT_SRC) $(TEST_SUPPORT_SRC) $(LIB_TOOL_SRC)

GUEST_DIR := vmm/tests/guest
GUEST_LDS := $(GUEST_DIR)/link.ld
GUEST_SRC := $(sort $(filter-out $(GUEST_DIR)/_%,$(wildcard $(GUEST_DIR)/*.S)))
GUEST_ELF := $(GUEST_SRC:$(GUEST_DIR)/%.S=$(BUILD)/guest/%.elf)

# ---------------------------------------------------------------- deps
.PHONY: deps
deps:
	@sh scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $(DEPS_STAMP)

$(DEPS_STAMP): scripts/install-deps.sh
	@sh scripts/install-deps.sh
	@mkdir -p $(@D) && touch $@

# ---------------------------------------------------------------- host (gcc)
VMM_OBJ := $(VMM_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
CLI_LIB_OBJ := $(CLI_LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/test/%)
# Keep the unit tests' objects (make would delete them as intermediates).
.SECONDARY: $(UNIT_SRC:%.c=$(BUILD)/obj/%.o) $(UNIT_SRC:%.c=$(BUILD)/asan/obj/%.o)

.PHONY: all
all: $(DEPS_STAMP) $(BUILD)/vtlab

# Documentation generated from the sources (checked by scripts/check-docs.sh).
.PHONY: docs
docs: $(BUILD)/vtlab
	{ sed '/^| cost |/,$$d' docs/costs.md; $(BUILD)/vtlab costs --markdown; } > docs/costs.md.tmp
	mv docs/costs.md.tmp docs/costs.md

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# The executor is a threaded interpreter: keep one indirect jump per handler
# (no cross-jumping/GCSE merging them into one badly predicted jump) and keep
# its counters out of vector registers.
EXEC_FLAGS := -fno-gcse -fno-crossjumping -fno-tree-vectorize
$(BUILD)/obj/vmm/exec.o: CFLAGS += $(EXEC_FLAGS)

$(BUILD)/libvmm.a: $(VMM_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libcli.a: $(CLI_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/vtlab: $(CLI_OBJ) $(BUILD)/libvmm.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/test/%: $(BUILD)/obj/%.o $(BUILD)/libcli.a $(BUILD)/libvmm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS)

$(foreach t,$(UNIT_SRC),$(eval $(BUILD)/test/$(t:.c=): \
	$(patsubst %.c,$(BUILD)/obj/%.o,$(call doubles_of,$(t)))))

# ---------------------------------------------------------------- host (ASan+UBSan)
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all $(HOST_FLAGS)
ASAN_VMM_OBJ := $(VMM_SRC:%.c=$(BUILD)/asan/obj/%.o)
ASAN_CLI_LIB_OBJ := $(CLI_LIB_SRC:%.c=$(BUILD)/asan/obj/%.o)
ASAN_BIN := $(UNIT_SRC:%.c=$(BUILD)/asan/test/%)

$(BUILD)/asan/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/libvmm.a: $(ASAN_VMM_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/asan/libcli.a: $(ASAN_CLI_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/asan/test/%: $(BUILD)/asan/obj/%.o $(BUILD)/asan/libcli.a $(BUILD)/asan/libvmm.a
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS)

$(foreach t,$(UNIT_SRC),$(eval $(BUILD)/asan/test/$(t:.c=): \
	$(patsubst %.c,$(BUILD)/asan/obj/%.o,$(call doubles_of,$(t)))))

# ---------------------------------------------------------------- host (clang, warnings check)
CLANG_FLAGS := -O2 -g $(HOST_FLAGS)
CLANG_OBJ := $(ALL_HOST_SRC:%.c=$(BUILD)/clang/obj/%.o)

$(BUILD)/clang/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) $(CLANG_FLAGS) -MMD -MP -c $< -o $@

$(BUILD)/clang/vtlab: $(CLI_OBJ:$(BUILD)/obj/%=$(BUILD)/clang/obj/%) \
		$(VMM_OBJ:$(BUILD)/obj/%=$(BUILD)/clang/obj/%)
	$(CLANG) $(CLANG_FLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Compiles every host source (engine, CLI, unit tests) with clang -Werror,
# and links vtlab with it.
.PHONY: clang-build
clang-build: $(DEPS_STAMP) $(CLANG_OBJ) $(BUILD)/clang/vtlab
	@echo "clang-build: $(words $(CLANG_OBJ)) file(s) compiled warning-free with $(CLANG)"

# ---------------------------------------------------------------- tracer
# Host programs of tracer/ with a main (gen_*.c, bench_*.c: kept out of the
# library by LIB_SRC).  gen_tracepoints prints what is generated from
# tracer/tracepoints.def: `make gen` writes it to db/event_types.sql and
# docs/tracepoints.md, and scripts/check-tracepoints.sh (run by `make test`)
# fails when they are out of date.  bench_tracepoint measures the cost of a
# tracepoint and the ring's throughput (run by `make bench`).
GEN_TRACEPOINTS := $(BUILD)/gen_tracepoints
BENCH_TRACEPOINT := $(BUILD)/bench_tracepoint

$(GEN_TRACEPOINTS): $(BUILD)/obj/tracer/gen_tracepoints.o $(BUILD)/obj/tracer/tracepoints.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(BENCH_TRACEPOINT): $(BUILD)/obj/tracer/bench_tracepoint.o $(BUILD)/libvmm.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: gen
gen: $(DEPS_STAMP) $(GEN_TRACEPOINTS)
	$(GEN_TRACEPOINTS) --sql > db/event_types.sql.tmp
	mv db/event_types.sql.tmp db/event_types.sql
	$(GEN_TRACEPOINTS) --markdown > docs/tracepoints.md.tmp
	mv docs/tracepoints.md.tmp docs/tracepoints.md

test: $(GEN_TRACEPOINTS)
bench: $(BENCH_TRACEPOINT)

# ---------------------------------------------------------------- guest programs
GUEST_CC := riscv64-unknown-elf-gcc
GUEST_FLAGS := -march=rv64ima -misa-spec=2.2 -mabi=lp64 -mcmodel=medany -nostdlib -static

$(BUILD)/guest/%.elf: $(GUEST_DIR)/%.S $(GUEST_LDS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_FLAGS) -I$(GUEST_DIR) -T $(GUEST_LDS) -MMD -MP -MT $@ -MF $(@:.elf=.d) \
		$< -o $@

.PHONY: guest
guest: $(DEPS_STAMP) $(GUEST_ELF)

# ---------------------------------------------------------------- collector tests
# Guests for the collector's robustness tests (tracer/tests/guest/, built
# with the guest harness): trace_load_forever.elf never ends (the kill
# tests), trace_load_100k.elf passes after 100000 iterations of one MMIO
# read, one MMIO write and one ecall each.  scripts/check-robustness.sh
# (run by `make test`) uses them from $(BUILD)/tracer-guest.
TRACER_GUEST_DIR := tracer/tests/guest
TRACER_GUEST_ELF := $(BUILD)/tracer-guest/trace_load_forever.elf \
	$(BUILD)/tracer-guest/trace_load_100k.elf

$(BUILD)/tracer-guest/trace_load_forever.elf: TRACE_LOAD_ITERATIONS := 0
$(BUILD)/tracer-guest/trace_load_100k.elf: TRACE_LOAD_ITERATIONS := 100000
$(TRACER_GUEST_ELF): $(TRACER_GUEST_DIR)/trace_load.S $(GUEST_LDS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_FLAGS) -I$(GUEST_DIR) -DITERATIONS=$(TRACE_LOAD_ITERATIONS) \
		-T $(GUEST_LDS) -MMD -MP -MT $@ -MF $(@:.elf=.d) $< -o $@

test: $(TRACER_GUEST_ELF)

# ---------------------------------------------------------------- guest kernel, user programs, disk images
# Each part of workloads/ brings its own rules (workloads/*/*.mk).
# The runtime and the host tools first: the workloads' rules use their variables.
WL_BASE_MK := workloads/tools/tools.mk workloads/ulib/ulib.mk
include $(WL_BASE_MK)
include $(filter-out $(WL_BASE_MK),$(sort $(wildcard workloads/*/*.mk)))

# ---------------------------------------------------------------- the workload disk image
# Each workload's workloads/NAME/NAME.mk fills a staging tree
# $(BUILD)/guest/wl/NAME/ (bin/ and data) and adds its stamp to WL_STAMPS;
# the image holds /bin/init and every workload's tree.  `vtlab run
# --workload` boots the kernel on a private copy of this image.
WL_IMG := $(BUILD)/guest/disk-workloads.img
WL_IMG_SIZE ?= 256M
$(WL_IMG): $(WL_STAMPS) $(ULIB_ROOTFS)/bin/init $(VTLAB_MKFS)
	rm -rf $(BUILD)/guest/wlroot && mkdir -p $(BUILD)/guest/wlroot/bin
	cp $(ULIB_ROOTFS)/bin/init $(BUILD)/guest/wlroot/bin/
	for d in $(patsubst %.stamp,%,$(WL_STAMPS)); do cp -R $$d/. $(BUILD)/guest/wlroot/; done
	rm -f $@ && $(VTLAB_MKFS) $@ $(WL_IMG_SIZE) $(BUILD)/guest/wlroot

.PHONY: workloads
workloads: $(DEPS_STAMP) $(BUILD)/vtlab $(BUILD)/guest/kernel.elf $(BUILD)/guest/kernel-pv.elf $(WL_IMG)

# ---------------------------------------------------------------- tests
# ISA_TESTS=DIR adds the official RISC-V ISA tests in DIR to `make test`.
ISA_TESTS ?=
RUN_TESTS := bash scripts/run-tests.sh

.PHONY: test
test: $(DEPS_STAMP) $(BUILD)/vtlab $(UNIT_BIN) $(ASAN_BIN) $(GUEST_ELF) $(TOOLS_TEST_BIN) \
		$(BUILD)/guest/kernel.elf $(BUILD)/guest/kernel-pv.elf $(DISK_TEST_IMG) $(WL_IMG)
	@UBSAN_OPTIONS=print_stacktrace=1 VTLAB=$(BUILD)/vtlab LOG_DIR=$(BUILD)/test-logs \
		KERNEL=$(BUILD)/guest/kernel.elf \
		$(RUN_TESTS) --unit unit $(UNIT_BIN) --unit asan $(ASAN_BIN) \
		--guest guest $(GUEST_ELF) --unit determinism scripts/check-determinism.sh \
		--unit docs scripts/check-docs.sh \
		--unit tools $(TOOLS_TEST_BIN) \
		--unit kernel-boot workloads/kernel/core/check-boot.sh \
		--unit ktest workloads/tests/run-ktest.sh \
		--unit ktest-pv workloads/tests/run-ktest-pv.sh \
		--unit kbuild workloads/kbuild/check.sh \
		--unit jbb workloads/jbb/check.sh \
		--unit sysbench workloads/sysbench/check.sh \
		--unit hv scripts/check-hv.sh \
		--unit hv-workloads scripts/check-hv-workloads.sh \
		--unit hv-tables scripts/tests/check-hv-tables.sh \
		--unit campaign cli/tests/check-campaign.sh \
		--unit tracepoints scripts/check-tracepoints.sh \
		--unit robustness scripts/check-robustness.sh \
		--unit kvm-capture analyze/tests/kvm-capture/capture.sh \
		$(if $(ISA_TESTS),--isa $(ISA_TESTS))

.PHONY: isa-test
ifeq ($(ISA_TESTS),)
isa-test:
	@echo "isa-test: no ISA_TESTS given.  Build the official RISC-V ISA tests (riscv-tests:"
	@echo "  rv64ui, rv64um, rv64ua in the p and v environments, rv64mi and rv64si in p) for"
	@echo "  rv64ima without C or F (README.md, 'Other targets'), then run"
	@echo "  make isa-test ISA_TESTS=/path/to/the/directory/of/ELFs"
else
isa-test: $(DEPS_STAMP) $(BUILD)/vtlab
	@VTLAB=$(BUILD)/vtlab LOG_DIR=$(BUILD)/test-logs $(RUN_TESTS) --isa $(ISA_TESTS)
endif

# ---------------------------------------------------------------- demo, bench, fuzz
# The demo: the default campaign (campaigns/demo.xml: the guest workloads
# natively and under the single- and hash-vTLB hypervisors) run into
# build/demo/demo.db, then queried and charted (scripts/demo.sh).
.PHONY: demo
demo: $(DEPS_STAMP) $(BUILD)/vtlab $(BUILD)/guest/kernel.elf $(BUILD)/guest/kernel-pv.elf $(WL_IMG)
	@bash scripts/demo.sh $(BUILD)/vtlab

.PHONY: bench
bench: $(DEPS_STAMP) $(BUILD)/vtlab
	@bash scripts/bench.sh

.PHONY: fuzz
fuzz: $(DEPS_STAMP)
	@bash scripts/fuzz.sh

# ---------------------------------------------------------------- db
# The schema and views are compiled into vtlab as C strings: db/schema_sql.c
# is generated from db/schema.sql and db/views.sql by scripts/text-to-c.sh
# (and checked in, so every
# compiler sees it; db/tests/test_db.c checks it matches the .sql files).
db/schema_sql.c: db/schema.sql db/views.sql scripts/text-to-c.sh
	sh scripts/text-to-c.sh $@ db_private.h db_ db/schema.sql db/views.sql > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- plots
# The gnuplot templates are compiled into vtlab as C strings:
# plots/chart_templates.c is generated from plots/templates/*.gp (and
# checked in, as db/schema_sql.c is; plots/tests/test_plots.c checks it).
PLOT_TEMPLATES := $(sort $(wildcard plots/templates/*.gp))
plots/chart_templates.c: $(PLOT_TEMPLATES) scripts/text-to-c.sh
	sh scripts/text-to-c.sh $@ chart_script.h chart_ $(PLOT_TEMPLATES) > $@.tmp && mv $@.tmp $@

# cli/campaign_schema.c: the campaign XML Schema, compiled in the same way
# (checked in; cli/tests/test_campaign.c checks it is current).
cli/campaign_schema.c: campaigns/campaign.xsd scripts/text-to-c.sh
	sh scripts/text-to-c.sh $@ campaign_schema.h campaign_ campaigns/campaign.xsd > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- style, cleaning, help
# Headers under vmm/tests/guest are assembler macros, not C: not formatted.
# The generated C files are not formatted.
FORMAT_SRC = $(filter-out ./db/schema_sql.c ./plots/chart_templates.c ./cli/campaign_schema.c,$(shell find . -path ./build -prune -o -path ./.git -prune -o \
	-path ./$(GUEST_DIR) -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print | sort))

.PHONY: check-format
check-format: $(DEPS_STAMP)
	$(CLANG_FORMAT) --dry-run -Werror $(FORMAT_SRC)

.PHONY: clean
clean:
	rm -rf $(BUILD)

.PHONY: help
help:
	@echo "make [all]       build build/vtlab"
	@echo "make demo        build, then run the workloads natively and under two"
	@echo "                 hypervisors into build/demo/demo.db, print its tables and"
	@echo "                 draw its charts (build/demo/demo-*.png)"
	@echo "make test        every test: unit tests (gcc, then ASan+UBSan), guest programs,"
	@echo "                 the guest kernel's suites, workloads, hypervisor configs;"
	@echo "                 with ISA_TESTS=DIR also the RISC-V ISA tests in DIR"
	@echo "make isa-test ISA_TESTS=DIR   the RISC-V ISA tests in DIR only"
	@echo "make guest       build the guest programs (build/guest/*.elf)"
	@echo "make workloads   build the guest kernels, the workloads and their disk image"
	@echo "make kernel | ulib | disk-test   one part of it (workloads/*/README.md)"
	@echo "make ktest | kbuild-check | jbb-check | sysbench-check   one guest test suite"
	@echo "make docs | gen  regenerate docs/costs.md | docs/tracepoints.md, db/event_types.sql"
	@echo "make clang-build compile everything with clang -Werror"
	@echo "make check-format  clang-format --dry-run -Werror on every .c/.h"
	@echo "make bench | fuzz  benchmarks / fuzzers (scripts/bench.sh, scripts/fuzz.sh)"
	@echo "make deps        check (as root: install) the Debian packages needed"
	@echo "make clean       remove build/"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
