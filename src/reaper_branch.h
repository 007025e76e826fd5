/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FreeBSD's p_reapsubtree: the reaper's child a process was born under,
 * kept when that child dies and the process is adopted by the reaper.
 * Linux keeps no such record, so a reaper remembers the branch of every
 * descendant its own reaper commands have seen (STATUS, GETPIDS and KILL
 * with the caller as the reaper): pid and start time, so a recycled pid is
 * a new process; each walk replaces the memory with what it saw, so a
 * process is forgotten once a walk no longer finds it, and the memory is
 * never larger than the reaper's tree (and at most BRANCH_MAX entries).
 *
 * A process that was never seen before its branch head died cannot be
 * placed: it heads a branch of its own (docs/COMPAT.md).
 */
#ifndef LIBPROCCTL_REAPER_BRANCH_H
#define LIBPROCCTL_REAPER_BRANCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pidset.h"

#define BRANCH_MAX 65536

/*
 * One walk's use of the memory: held from begin to end, so walks of the
 * caller's threads take turns (each sees what the one before learnt).
 */
struct branch_walk {
	struct pidset seen;     /* this walk's view, replacing the memory at end */
	bool active;            /* the caller is the reaper: memory in use */
};

void reaper_branch_begin(struct branch_walk *w, bool caller_is_reaper);

/* The branch remembered for a process, if any. */
bool reaper_branch_recall(const struct branch_walk *w, pid_t pid, uint64_t starttime,
    pid_t *branch);

/* Record the branch a process was seen in by this walk. */
void reaper_branch_note(struct branch_walk *w, pid_t pid, uint64_t starttime, pid_t branch);

/* complete: the walk saw the whole tree, and its view replaces the memory. */
void reaper_branch_end(struct branch_walk *w, bool complete);

#endif
