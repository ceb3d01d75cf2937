/*
 * stdio.c - stdin, stdout and stderr for picolibc's tiny stdio, on file
 * descriptors 0, 1 and 2 (the kernel opens them on the console for init;
 * children inherit them).
 *
 * picolibc leaves the three FILE pointers to the application (its
 * <stdio.h>: "stdin, stdout and stderr are undefined global FILE
 * pointers"); they are buffered files (stdio-bufio.h) over read/write, so
 * fopen'ed files and the standard streams behave alike.  stdout and stderr
 * are line-buffered; everything is flushed at exit (a destructor, run by
 * exit through __libc_fini_array) and before fork (posix_proc.c), so a
 * child never repeats its parent's pending output.
 */
#include <stdio-bufio.h>
#include <stdio.h>
#include <unistd.h>

#include "ulib_private.h"

static char in_buf[512], out_buf[1024], err_buf[256];

static struct __file_bufio in_file =
	FDEV_SETUP_BUFIO(0, in_buf, sizeof in_buf, read, write, lseek, close, __SRD, 0);
static struct __file_bufio out_file =
	FDEV_SETUP_BUFIO(1, out_buf, sizeof out_buf, read, write, lseek, close, __SWR, __BLBF);
static struct __file_bufio err_file =
	FDEV_SETUP_BUFIO(2, err_buf, sizeof err_buf, read, write, lseek, close, __SWR, __BLBF);

FILE *const stdin = &in_file.xfile.cfile.file;
FILE *const stdout = &out_file.xfile.cfile.file;
FILE *const stderr = &err_file.xfile.cfile.file;

void vt_stdio_init(void)
{
	__bufio_lock_init(stdin);
	__bufio_lock_init(stdout);
	__bufio_lock_init(stderr);
}

void vt_stdio_flush(void)
{
	fflush(stdout);
	fflush(stderr);
}

__attribute__((destructor)) static void stdio_flush_at_exit(void)
{
	vt_stdio_flush();
}
