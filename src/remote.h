/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The remote engine: run a system call inside another process, for the
 * attributes Linux lets a process change only for itself (prctl,
 * personality).  It seizes the target with ptrace, runs the call and leaves
 * the target exactly as it was.  The dispatcher has already checked that the
 * caller may debug the target.
 */
#ifndef LIBPROCCTL_REMOTE_H
#define LIBPROCCTL_REMOTE_H

#include <sys/syscall.h>

#include "target.h"

/* Run the call in every thread of the target, not only its leader. */
#define REMOTE_ALL_THREADS 0x1

/*
 * Run syscall nr with args inside t; *result receives its return value
 * (a -errno on failure inside the target).  Returns 0 when the call ran,
 * -EPERM when the kernel refuses ptrace, -EBUSY when the target cannot be
 * stopped safely (already traced, stopped, in uninterruptible sleep), or
 * -ENOTSUP where the engine cannot work (architecture, 32-bit target).
 */
int remote_syscall(const struct target *t, unsigned int flags, long nr,
    const long args[6], long *result);

/* prctl(option, arg2, 0, 0, 0) inside t. */
static inline int remote_prctl(const struct target *t, unsigned int flags,
    long option, long arg2, long *result)
{
	const long args[6] = { option, arg2 };
	return remote_syscall(t, flags, __NR_prctl, args, result);
}

#endif
