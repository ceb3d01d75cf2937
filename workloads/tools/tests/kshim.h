/*
 * kshim.h - controls of the host stand-in for the kernel around fs/
 * (kshim.c): a single-threaded kernel whose block device is an image file,
 * whose user memory is host memory, and whose locks report misuse.
 */
#ifndef VTLAB_TOOLS_KSHIM_H
#define VTLAB_TOOLS_KSHIM_H

#include <stdint.h>

void kshim_attach(const char *image); /* blk_init opens this image */
uint64_t kshim_blk_writes(void);      /* sectors written so far */
uint64_t kshim_pages_in_use(void);
void kshim_set_free_pages(uint64_t n); /* what mm_free_pages reports */
/* Frees every page, kmalloc block and file the kernel holds: call after
 * closing the files and before fs_init() remounts (the fuzzer's remount
 * per input; test_kfs abandons them instead, a simulated power cut). */
void kshim_release_all(void);
/* Calls fn(l) at each sleep_lock(l), before l is taken (never from inside
 * fn itself): fn stands for another thread that runs while the caller
 * is preempted there, as on an SMP kernel.  NULL removes it. */
struct sleeplock;
/* Reads of block blockno fail with -VTLAB_EIO from now on (0: none). */
void kshim_fail_reads(uint32_t blockno);
void kshim_set_lock_hook(void (*fn)(struct sleeplock *l));

#endif
