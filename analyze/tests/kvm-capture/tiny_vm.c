/*
 * tiny_vm.c - the smallest useful KVM guest, used to capture real kvm:* and
 * kvmmmu:* traces for the importer's tests (capture.sh).
 *
 * Contract: `tiny_vm real` runs a 16-bit real-mode guest with 16 KiB of RAM
 * at 0x1000 that writes two bytes to the COM1 port (I/O exits), reads
 * unbacked guest memory at 0x8000 (an MMIO exit) and halts; `tiny_vm user`
 * runs a 64-bit guest at CPL 3 with 2 MiB of RAM identity-mapped by one
 * large page (KVM shadows or emulates its paging) that writes the port,
 * then reads the unmapped address 0x400000: KVM injects #PF and, with no
 * IDT, the guest shuts down.  Prints one line per exit to user space;
 * exits 0 when the guest ended as expected, 1 otherwise.  Only the API of
 * the kernel's Documentation/virt/kvm/api.rst is used.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

struct vm {
	int kvm, fd, vcpu;
	uint8_t *mem;
	struct kvm_run *run;
};

static int die(const char *what)
{
	perror(what);
	return -1;
}

static int vm_create(struct vm *vm, uint64_t gpa, size_t size)
{
	vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm < 0)
		return die("tiny_vm: /dev/kvm");
	vm->fd = ioctl(vm->kvm, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		return die("tiny_vm: KVM_CREATE_VM");
	vm->mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED)
		return die("tiny_vm: mmap guest memory");
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->mem,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return die("tiny_vm: KVM_SET_USER_MEMORY_REGION");
	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0)
		return die("tiny_vm: KVM_CREATE_VCPU");
	int mmap_size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size <= 0)
		return die("tiny_vm: KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
	return vm->run == MAP_FAILED ? die("tiny_vm: mmap kvm_run") : 0;
}

static const uint8_t real_code[] = {
	0xba, 0xf8, 0x03, /* mov dx, 0x3f8 */
	0x00, 0xd8,       /* add al, bl */
	0x04, '0',        /* add al, '0' */
	0xee,             /* out dx, al */
	0xb0, '\n',       /* mov al, '\n' */
	0xee,             /* out dx, al */
	0xa0, 0x00, 0x80, /* mov al, [0x8000]: no RAM there */
	0xf4,             /* hlt */
};

static int setup_real(struct vm *vm)
{
	struct kvm_sregs s;
	if (vm_create(vm, 0x1000, 0x4000))
		return -1;
	memcpy(vm->mem, real_code, sizeof real_code);
	if (ioctl(vm->vcpu, KVM_GET_SREGS, &s) < 0)
		return die("tiny_vm: KVM_GET_SREGS");
	s.cs.base = s.ds.base = 0;
	s.cs.selector = s.ds.selector = 0;
	if (ioctl(vm->vcpu, KVM_SET_SREGS, &s) < 0)
		return die("tiny_vm: KVM_SET_SREGS");
	struct kvm_regs r = { .rip = 0x1000, .rax = 2, .rbx = 2, .rflags = 2 };
	return ioctl(vm->vcpu, KVM_SET_REGS, &r) < 0 ? die("tiny_vm: KVM_SET_REGS") : 0;
}

static const uint8_t user_code[] = {
	0xba, 0xf8, 0x03, 0x00, 0x00,             /* mov edx, 0x3f8 */
	0xb0, 'A',                                /* mov al, 'A' */
	0xee,                                     /* out dx, al (IOPL 3) */
	0x8a, 0x04, 0x25, 0x00, 0x00, 0x40, 0x00, /* mov al, [0x400000]: not mapped */
	0xf4,                                     /* not reached */
};

/* 4-level paging (Intel SDM vol. 3, 4.5): PML4 0x2000 -> PDPT 0x3000 ->
 * PD 0x4000 whose entry 0 maps 0-2 MiB (PS); all user-accessible. */
static int setup_user(struct vm *vm)
{
	struct kvm_sregs s;
	if (vm_create(vm, 0, 0x200000))
		return -1;
	uint64_t pml4 = 0x3000 | 7, pdpt = 0x4000 | 7, pde = 0x87;
	memcpy(vm->mem + 0x2000, &pml4, 8);
	memcpy(vm->mem + 0x3000, &pdpt, 8);
	memcpy(vm->mem + 0x4000, &pde, 8);
	memcpy(vm->mem + 0x1000, user_code, sizeof user_code);
	if (ioctl(vm->vcpu, KVM_GET_SREGS, &s) < 0)
		return die("tiny_vm: KVM_GET_SREGS");
	s.cr3 = 0x2000;
	s.cr4 = 0x20;       /* PAE */
	s.cr0 = 0x80050033; /* PG WP AM NE ET MP PE */
	s.efer = 0x500;     /* LMA LME */
	struct kvm_segment seg = { .base = 0,
				   .limit = 0xffffffff,
				   .selector = 0x1b,
				   .present = 1,
				   .type = 11,
				   .dpl = 3,
				   .s = 1,
				   .l = 1,
				   .g = 1 };
	s.cs = seg;
	seg = (struct kvm_segment){ .base = 0,
				    .limit = 0xffffffff,
				    .selector = 0x23,
				    .present = 1,
				    .type = 3,
				    .dpl = 3,
				    .s = 1,
				    .db = 1,
				    .g = 1 };
	s.ds = s.es = s.fs = s.gs = s.ss = seg;
	if (ioctl(vm->vcpu, KVM_SET_SREGS, &s) < 0)
		return die("tiny_vm: KVM_SET_SREGS");
	struct kvm_regs r = { .rip = 0x1000, .rsp = 0x1f0000, .rflags = 0x3002 /* IOPL 3 */ };
	return ioctl(vm->vcpu, KVM_SET_REGS, &r) < 0 ? die("tiny_vm: KVM_SET_REGS") : 0;
}

/* Runs until the exit `last` (KVM_EXIT_HLT or KVM_EXIT_SHUTDOWN). */
static int run(struct vm *vm, unsigned last)
{
	for (int i = 0; i < 32; i++) {
		if (ioctl(vm->vcpu, KVM_RUN, 0) < 0)
			return die("tiny_vm: KVM_RUN");
		struct kvm_run *r = vm->run;
		printf("exit %u", r->exit_reason);
		if (r->exit_reason == KVM_EXIT_IO)
			printf(" io port 0x%x %s\n", r->io.port, r->io.direction ? "out" : "in");
		else if (r->exit_reason == KVM_EXIT_MMIO)
			printf(" mmio 0x%llx %s\n", (unsigned long long)r->mmio.phys_addr,
			       r->mmio.is_write ? "write" : "read");
		else
			printf("\n");
		if (r->exit_reason == last)
			return 0;
		if (r->exit_reason != KVM_EXIT_IO && r->exit_reason != KVM_EXIT_MMIO) {
			fprintf(stderr, "tiny_vm: unexpected exit %u\n", r->exit_reason);
			return -1;
		}
	}
	fprintf(stderr, "tiny_vm: no exit %u after 32 exits\n", last);
	return -1;
}

int main(int argc, char **argv)
{
	struct vm vm;
	if (argc == 2 && strcmp(argv[1], "real") == 0)
		return setup_real(&vm) || run(&vm, KVM_EXIT_HLT) ? 1 : 0;
	if (argc == 2 && strcmp(argv[1], "user") == 0)
		return setup_user(&vm) || run(&vm, KVM_EXIT_SHUTDOWN) ? 1 : 0;
	fprintf(stderr, "usage: tiny_vm real|user\n");
	return 2;
}
