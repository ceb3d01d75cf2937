/*
 * vtlab/abi.h - the system-call ABI of the vtlab guest kernel, shared by
 * the kernel (workloads/kernel) and the user runtime (workloads/ulib).
 *
 * Contract: a system call is `ecall` from U-mode with the number in a7 and
 * up to six arguments in a0-a5; the result comes back in a0: a value >= 0
 * on success, or -errno (values below in VTLAB_E*).  Numbers follow Linux's
 * asm-generic table (include/uapi/asm-generic/unistd.h) where Linux has the
 * call, so the semantics a reader expects are the Linux ones; vtlab's own
 * calls start at 0x1000.  Structures are fixed-layout (lp64).
 */
#ifndef VTLAB_ABI_H
#define VTLAB_ABI_H

#include <stdint.h>

/* ---- system-call numbers ---- */
#define SYS_getcwd 17
#define SYS_dup 23
#define SYS_dup3 24
#define SYS_mkdirat 34
#define SYS_unlinkat 35
#define SYS_ftruncate 46
#define SYS_chdir 49
#define SYS_openat 56
#define SYS_close 57
#define SYS_pipe2 59
#define SYS_getdents64 61
#define SYS_lseek 62
#define SYS_read 63
#define SYS_write 64
#define SYS_newfstatat 79
#define SYS_fstat 80
#define SYS_fsync 82
#define SYS_exit 93       /* ends the calling thread (the process if it is the last) */
#define SYS_exit_group 94 /* ends the whole process */
#define SYS_futex 98
#define SYS_nanosleep 101
#define SYS_clock_gettime 113
#define SYS_sched_yield 124
#define SYS_kill 129
#define SYS_getpid 172
#define SYS_getppid 173
#define SYS_gettid 178
#define SYS_munmap 215
#define SYS_brk 214
#define SYS_fork 1220 /* vtlab: fork() (Linux does it with clone) */
#define SYS_execve 221
#define SYS_mmap 222
#define SYS_wait4 260
/* vtlab's own */
#define SYS_thread_create                                                                          \
	0x1000                 /* (entry, arg, stack_top) -> tid; entry(arg) runs in a new thread */
#define SYS_thread_join 0x1001 /* (tid, uint64_t *retval) -> 0; waits for the thread's exit */
#define SYS_lab 0x1002         /* (op, a, b) -> see VTLAB_LAB_* : reports to the host */
#define SYS_nprocs 0x1003      /* () -> number of online vCPUs */
#define SYS_sync 0x1004        /* () -> 0: writes every dirty buffer and page to disk */
#define SYS_reboot 0x1005      /* (code) -> shuts the machine down with exit code `code` */

/* ---- errno values (Linux's) ---- */
#define VTLAB_EPERM 1
#define VTLAB_ENOENT 2
#define VTLAB_ESRCH 3
#define VTLAB_EINTR 4
#define VTLAB_EIO 5
#define VTLAB_E2BIG 7
#define VTLAB_ENOEXEC 8
#define VTLAB_EBADF 9
#define VTLAB_ECHILD 10
#define VTLAB_EAGAIN 11
#define VTLAB_ENOMEM 12
#define VTLAB_EFAULT 14
#define VTLAB_EBUSY 16
#define VTLAB_EEXIST 17
#define VTLAB_ENOTDIR 20
#define VTLAB_EISDIR 21
#define VTLAB_EINVAL 22
#define VTLAB_EMFILE 24
#define VTLAB_EFBIG 27
#define VTLAB_ENOSPC 28
#define VTLAB_ESPIPE 29
#define VTLAB_EPIPE 32
#define VTLAB_ERANGE 34
#define VTLAB_ENAMETOOLONG 36
#define VTLAB_ENOSYS 38
#define VTLAB_ENOTEMPTY 39
#define VTLAB_ETIMEDOUT 110

/* ---- flags (Linux values) ---- */
#define VTLAB_AT_FDCWD (-100)
#define VTLAB_AT_REMOVEDIR 0x200
#define VTLAB_O_RDONLY 0
#define VTLAB_O_WRONLY 1
#define VTLAB_O_RDWR 2
#define VTLAB_O_CREAT 0100
#define VTLAB_O_EXCL 0200
#define VTLAB_O_TRUNC 01000
#define VTLAB_O_APPEND 02000
#define VTLAB_O_DIRECTORY 0200000
#define VTLAB_O_CLOEXEC 02000000
#define VTLAB_SEEK_SET 0
#define VTLAB_SEEK_CUR 1
#define VTLAB_SEEK_END 2
#define VTLAB_PROT_READ 1
#define VTLAB_PROT_WRITE 2
#define VTLAB_PROT_EXEC 4
#define VTLAB_MAP_SHARED 0x01
#define VTLAB_MAP_PRIVATE 0x02
#define VTLAB_MAP_FIXED 0x10
#define VTLAB_MAP_ANONYMOUS 0x20
#define VTLAB_FUTEX_WAIT 0
#define VTLAB_FUTEX_WAKE 1
#define VTLAB_CLOCK_REALTIME 0
#define VTLAB_CLOCK_MONOTONIC 1
#define VTLAB_S_IFMT 0170000
#define VTLAB_S_IFDIR 0040000
#define VTLAB_S_IFREG 0100000
#define VTLAB_S_IFIFO 0010000
#define VTLAB_S_IFCHR 0020000
#define VTLAB_WNOHANG 1
/* A write of at most this many bytes to a pipe is atomic (POSIX write():
 * not interleaved with other writers' data); picolibc's <limits.h>
 * advertises PIPE_BUF 512 to the programs, so that is the guarantee. */
#define VTLAB_PIPE_BUF 512

/* wait4 status, as Linux encodes it: exited normally with code c -> c << 8;
 * killed by the kernel (crash) with signal s -> s (SIGSEGV 11, SIGILL 4,
 * SIGBUS 7, SIGKILL 9). */
#define VTLAB_W_EXITCODE(c) (((c)&0xff) << 8)
#define VTLAB_SIGILL 4
#define VTLAB_SIGBUS 7
#define VTLAB_SIGKILL 9
#define VTLAB_SIGSEGV 11

/* ---- structures ---- */
struct vtlab_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* struct stat of Linux riscv64 (asm-generic/stat.h), 128 bytes. */
struct vtlab_stat {
	uint64_t st_dev, st_ino;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev, __pad1;
	int64_t st_size;
	int32_t st_blksize, __pad2;
	int64_t st_blocks;
	int64_t st_atime_sec, st_atime_nsec, st_mtime_sec, st_mtime_nsec, st_ctime_sec,
		st_ctime_nsec;
	uint32_t __reserved[2];
};

/* getdents64 record (Linux struct linux_dirent64). */
struct vtlab_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type; /* 4 directory, 8 regular file */
	char d_name[];
};

/* ---- SYS_lab operations: the lab device, through the kernel ---- */
#define VTLAB_LAB_METRIC 1 /* (name pointer, value in millionths (int64)) */
#define VTLAB_LAB_DIGEST 2 /* (64-bit output digest, -) */
#define VTLAB_LAB_MARKER 3 /* (marker value, -) */
#define VTLAB_LAB_ARGS 4   /* (buffer, size) -> length: the run's argument string */

#endif
