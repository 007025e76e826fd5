/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Copying the caller's `data` in and out so that a bad pointer is an EFAULT
 * and never a crash, as copyin(9) and copyout(9) make it on FreeBSD.
 *
 * The kernel does the copy (process_vm_readv/writev on the caller itself),
 * so an unmapped, PROT_NONE or (for output) read-only page is refused by the
 * kernel.  Where a seccomp profile refuses those calls (Docker's), or
 * capability mode does, the kernel is asked about each page first with
 * calls that need no descriptor (usermem.c), so a command on the caller
 * works at the descriptor limit too.  Nothing here allocates or keeps
 * state but one flag: it is safe in signal handlers and after fork.
 */
#ifndef LIBPROCCTL_USERMEM_H
#define LIBPROCCTL_USERMEM_H

#include <stddef.h>

/* 0, or -EFAULT when any byte of [src, src+len) cannot be read. */
int usermem_copyin(void *dst, const void *src, size_t len);

/*
 * 0, or -EFAULT when any byte of [dst, dst+len) cannot be written; as on
 * FreeBSD, the bytes before a fault may already have been written.
 */
int usermem_copyout(void *dst, const void *src, size_t len);

/* Stop using process_vm_readv/writev (capability mode; the unit tests). */
void usermem_avoid_process_vm(int on);

#endif
