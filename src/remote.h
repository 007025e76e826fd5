/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The remote engine: run a system call inside another process, for the
 * attributes Linux lets a process change (or read) only for itself
 * (prctl, personality).  It holds every thread of the target under ptrace,
 * runs the call, and leaves the target exactly as it was: registers, the
 * call it was blocked in (restarted or interrupted as the kernel's own rules
 * say), and every signal that arrived meanwhile.  The dispatcher has
 * already checked that the caller may debug the target.
 *
 * The work is done by a short-lived helper process (remote.c says why);
 * remote_session.c is what it does, remote_threads.c how it holds threads,
 * remote_seccomp.c how it judges the target's seccomp policy, and
 * remote_<arch>.c the registers.
 */
#ifndef LIBPROCCTL_REMOTE_H
#define LIBPROCCTL_REMOTE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "target.h"

/*
 * Run the call in every thread of the target, not only its leader: for
 * attributes Linux keeps per thread (personality, no_new_privs).  The
 * threads are all held first, so none can be created, exit or exec while
 * the call spreads.
 */
#define REMOTE_ALL_THREADS 0x1

/*
 * Run syscall nr with args inside t; *result receives its return value (a
 * -errno on failure inside the target; in every thread, the first failure).
 * Returns 0 when the call ran, or:
 *
 *   -EPERM    the kernel refuses ptrace (uid, dumpable, capabilities, an
 *             LSM), or the target's seccomp policy would punish the call
 *             (kill, trap, notify), or it is filtered and the caller cannot
 *             read its filters (CAP_SYS_ADMIN), or the call would take
 *             effect in some threads only;
 *   -EBUSY    the target cannot be held safely: already traced, stopped, a
 *             thread in uninterruptible sleep for more than 100 ms (in all
 *             for the procctl call, over a process group too: shorter
 *             sleeps are waited out, remote_patience_begin()), threads
 *             appearing faster than they can be held, or a thread that does
 *             not stop in time;
 *   -ESRCH    the target exited;
 *   -ENOTSUP  the engine cannot work here (an architecture it does not
 *             know, a 32-bit target, no syscall instruction to borrow);
 *   -ENOMEM, -EAGAIN  no memory or process for the helper;
 *   -EIO      the helper was killed (or stopped, and then killed by the
 *             caller) before it could answer: the call may or may not
 *             have taken effect.
 *
 * In every case the target is left as it was (registers, mask, FPU state,
 * the call it was blocked in), but a signal the helper had taken out of a
 * thread and not yet given back when it died (remote_frame.h).
 */
int remote_syscall(const struct target *t, unsigned int flags, long nr,
    const long args[6], long *result);

/*
 * One procctl call waits for uninterruptible sleeps UNINTERRUPTIBLE_WAIT_MS
 * in all, over a process group too, not that long for each member: a group
 * of many stuck members must not hold the caller for as many tenths of a
 * second.  procctl() calls remote_patience_begin(), which opens that budget
 * for the calling thread and returns the one it replaces (a call made by a
 * signal handler during another has its own), and remote_patience_end(),
 * which puts that back.
 */
struct remote_patience {
	bool open;
	int64_t left_ms;
};
struct remote_patience remote_patience_begin(void);
void remote_patience_end(struct remote_patience outer);

/* prctl(option, arg2, 0, 0, 0) inside t. */
static inline int remote_prctl(const struct target *t, unsigned int flags,
    long option, long arg2, long *result)
{
	const long args[6] = { option, arg2 };
	return remote_syscall(t, flags, __NR_prctl, args, result);
}

#endif
