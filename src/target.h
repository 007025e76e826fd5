/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process a command acts on, found and checked once by the dispatcher,
 * so that handlers only do their own feature.
 */
#ifndef LIBPROCCTL_TARGET_H
#define LIBPROCCTL_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include "pidref.h"
#include "procfs.h"

/*
 * FreeBSD's access checks, in Linux terms.  Each is asked of the kernel
 * itself, so that the answer is what the kernel will enforce:
 *
 *   p_cansee      ACCESS_SEE: /proc shows the process to the caller
 *                 (hidepid= hides other users' processes).  ESRCH.
 *   p_candebug    ACCESS_DEBUG: the kernel's ptrace check, run by opening
 *                 /proc/PID/mem: same uids and gids, dumpable (Linux's
 *                 set-id and "tracing disabled" both clear it), the
 *                 target's capabilities within the caller's, or
 *                 CAP_SYS_PTRACE; LSMs.  EPERM.  The remote engine's
 *                 PTRACE_SEIZE asks again with the real credentials.
 *   p_cansched    per process in SPROTECT: the write to oom_score_adj.
 *   cr_cansignal  per victim in REAP_KILL: the signal itself.
 */
enum target_access {
	ACCESS_SEE,
	ACCESS_DEBUG,
};

struct target {
	bool self;              /* the calling process; no access check */
	struct pidref ref;      /* self: pid is getpid(), no pidfd */
	struct proc_stat stat;  /* another process: as read when resolved */
};

/* The caller itself; never fails and holds nothing to close. */
void target_self(struct target *t);

/*
 * Look up pid and check access: -ESRCH when there is no such process, the
 * caller may not see it, or it is exiting or a zombie; -EPERM when it may be
 * seen but not debugged; -ENOTSUP when /proc belongs to another pid
 * namespace and cannot be trusted to name the right process.
 */
int target_open(struct target *t, pid_t pid, enum target_access need);

/* Apply the access check to a process already referenced. */
int target_check_access(const struct target *t, enum target_access need);

/* -ESRCH if the process is, by now, exiting, a zombie or reaped; else 0. */
int target_still_alive(const struct target *t);

void target_close(struct target *t);

/*
 * A new descriptor of t's /proc directory (/proc/self for the caller),
 * pinned to t (pidref_procdir): open t's /proc files relative to it, never
 * by number.  -ESRCH once t is gone.
 */
int target_procdir(const struct target *t);

/* procfs_for_each_mapping() of t, through its pinned directory. */
int target_for_each_mapping(const struct target *t,
    int (*fn)(const struct proc_mapping *m, void *ctx), void *ctx);

/*
 * Call fn for every member of process group pgid, by FreeBSD's best-effort
 * rule: members that are zombies, exiting, or fail the access check are
 * skipped; the result is 0 if fn succeeded for any member, else fn's first
 * error, else -ESRCH (no such group, or nobody in it could be tried).
 */
int target_for_each_in_pgrp(pid_t pgid, enum target_access need,
    int (*fn)(struct target *t, void *ctx), void *ctx);

#endif
