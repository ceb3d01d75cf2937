# core/standalone.mk - builds build/guest/core-standalone.elf: core/ alone
# with core/stubs_mm_fs.c (-DCORE_STANDALONE) in place of mm/ and fs/, to
# boot and self-test the core (core/check-boot.sh).  Run from the top:
#   make -f workloads/kernel/core/standalone.mk
CORE_DIR := workloads/kernel/core
SA_BUILD := build/guest/core-standalone
SA_SRC := $(sort $(wildcard $(CORE_DIR)/*.c $(CORE_DIR)/*.S))
SA_OBJ := $(SA_SRC:%=$(SA_BUILD)/%.o)
SA_CC := riscv64-unknown-elf-gcc
SA_CFLAGS := -march=rv64ima -misa-spec=2.2 -mabi=lp64 -mcmodel=medany -ffreestanding \
	-nostdlib -fno-builtin -fno-stack-protector -fno-omit-frame-pointer -O2 -g -std=c11 \
	-Wall -Wextra -Werror -Iworkloads/include -Iworkloads/kernel -DCORE_STANDALONE

build/guest/core-standalone.elf: $(SA_OBJ) workloads/kernel/kernel.ld
	$(SA_CC) $(SA_CFLAGS) -T workloads/kernel/kernel.ld -o $@ $(SA_OBJ) -lgcc

$(SA_BUILD)/%.o: %
	@mkdir -p $(@D)
	$(SA_CC) $(SA_CFLAGS) -MMD -MP -c $< -o $@

-include $(SA_OBJ:.o=.d)
