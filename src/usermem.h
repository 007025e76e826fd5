/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Copying the caller's `data` in and out so that a bad pointer is an EFAULT
 * and never a crash, as copyin(9) and copyout(9) make it on FreeBSD.
 *
 * The kernel does the copy (process_vm_readv/writev on the caller itself),
 * so an unmapped, PROT_NONE or (for output) read-only page is refused by the
 * kernel.  Where a seccomp profile refuses those calls, the copy goes
 * through a private pipe instead, which the kernel checks the same way.
 * Nothing here allocates.
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

/* For the unit tests: force the pipe path. */
void usermem_force_pipe(int on);

#endif
