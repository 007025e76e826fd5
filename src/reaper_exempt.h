/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The processes libprocctl itself creates (the remote engine's helper, the
 * orphan probes of reaper_find.c), which no reaper command may count, list
 * or signal: on FreeBSD the kernel does that work and no process appears.
 *
 * The caller's own are known from its memory, which no other process can
 * forge: a helper's pid is written into a claimed cell by the kernel itself
 * (CLONE_PARENT_SETTID) before clone returns, so every other thread sees it
 * from the first instant; a probe is remembered by pid and start time.
 *
 * Another process's are known from what the kernel shows in /proc, each
 * mark chosen so that a process that fakes it gains nothing:
 *
 *   EXEMPT_ALWAYS  named "libprocctl" and either a zombie (dead: there is
 *                  nothing to escape) or alive, single-threaded, in seccomp
 *                  strict mode (status "Seccomp: 1": it can only read and
 *                  write the descriptors it holds, and exit).  The probes.
 *   EXEMPT_HELPER  exit signal 0 (stat field 38), alive: a child of a live
 *                  descendant (created by clone(2) without a termination
 *                  signal, as the engine's helper is; not the name, which a
 *                  helper the kernel lists before it first runs cannot have
 *                  taken yet).  The kernel resets the exit signal when a
 *                  process is reparented, so the mark dies with its
 *                  creator.  Not counted or listed; REAP_KILL signals it
 *                  only after it has signalled its creator, so a process
 *                  that takes the mark escapes nothing its creator does not
 *                  get.
 */
#ifndef LIBPROCCTL_REAPER_EXEMPT_H
#define LIBPROCCTL_REAPER_EXEMPT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pidref.h"
#include "procfs.h"

/* The name every library process takes first thing. */
#define EXEMPT_NAME "libprocctl"

/* How many helpers may be alive at once (one per thread in the engine). */
#define EXEMPT_SLOTS 64

/*
 * Before clone(2): a cell to pass with CLONE_PARENT_SETTID, or NULL when all
 * are in use (the helper is then known to others' marks only).
 */
_Atomic pid_t *exempt_claim(void);

/* After the process created with the cell has been reaped; NULL is fine. */
void exempt_release(_Atomic pid_t *cell);

/* First thing in a new library process: take the name (raw prctl). */
void exempt_name_self(void);

/* Remember a probe this process made, while it is not yet reaped. */
void exempt_remember_probe(const struct pidref *ref);

enum exempt_kind {
	EXEMPT_NONE,            /* an ordinary process */
	EXEMPT_ALWAYS,          /* never counted, listed or signalled */
	EXEMPT_HELPER,          /* another's helper: see above */
};

/*
 * What the process ref (with st read under it) is.  ref may be held by its
 * /proc/PID directory (the tree walk) or by a pidfd.
 */
enum exempt_kind exempt_classify(const struct pidref *ref, const struct proc_stat *st);

#endif
