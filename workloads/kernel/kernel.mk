# workloads/kernel/kernel.mk - builds the guest kernel (included by the
# top-level Makefile).  Every core/, mm/, fs/ source goes into both builds:
# build/guest/kernel.elf (unmodified) and build/guest/kernel-pv.elf
# (-DKERNEL_PV, paravirtual).  See workloads/kernel/README.md.

KDIR := workloads/kernel
KERNEL_SRC := $(sort $(wildcard $(KDIR)/core/*.c $(KDIR)/core/*.S $(KDIR)/mm/*.c \
	$(KDIR)/mm/*.S $(KDIR)/fs/*.c $(KDIR)/fs/*.S))
GUEST_ARCH := -march=rv64ima -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
KERNEL_CFLAGS := $(GUEST_ARCH) -ffreestanding -nostdlib -fno-builtin -fno-stack-protector \
	-fno-omit-frame-pointer -O2 -g -std=c11 -Wall -Wextra -Werror \
	-Iworkloads/include -I$(KDIR)
KOBJ := $(KERNEL_SRC:%=$(BUILD)/guest/obj/%.o)
KOBJ_PV := $(KERNEL_SRC:%=$(BUILD)/guest/obj-pv/%.o)

$(BUILD)/guest/obj/$(KDIR)/%.o: $(KDIR)/% | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(GUEST_CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/guest/obj-pv/$(KDIR)/%.o: $(KDIR)/% | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(GUEST_CC) $(KERNEL_CFLAGS) -DKERNEL_PV -MMD -MP -c $< -o $@

$(BUILD)/guest/kernel.elf: $(KOBJ) $(KDIR)/kernel.ld
	$(GUEST_CC) $(KERNEL_CFLAGS) -T $(KDIR)/kernel.ld -o $@ $(KOBJ) -lgcc

$(BUILD)/guest/kernel-pv.elf: $(KOBJ_PV) $(KDIR)/kernel.ld
	$(GUEST_CC) $(KERNEL_CFLAGS) -DKERNEL_PV -T $(KDIR)/kernel.ld -o $@ $(KOBJ_PV) -lgcc

.PHONY: kernel
kernel: $(DEPS_STAMP) $(BUILD)/guest/kernel.elf $(BUILD)/guest/kernel-pv.elf
