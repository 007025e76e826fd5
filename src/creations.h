/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whether any process was created between two moments: the kernel's count
 * of created processes and threads (/proc/stat), against the caller's own
 * thread count, whose growth (the io_uring reader's io-wq workers, the
 * caller's threads) it excuses, and the threads the caller says it started
 * and ended meanwhile (a walk's helper, procfs_helper.h).  REAP_KILL uses
 * it to know that its first pass could not have missed a process forked
 * meanwhile.
 */
#ifndef LIBPROCCTL_CREATIONS_H
#define LIBPROCCTL_CREATIONS_H

#include <stdbool.h>
#include <sys/types.h>

struct creations {
	unsigned long long forks;   /* created since boot, on the whole machine */
	long long threads;          /* the caller's threads */
};

/* Read both; at_start says which first.  false: not known. */
bool creations_now(struct creations *c, bool at_start);

/*
 * No process but the caller's own new threads was created between a and b.
 * ended: a thread the caller started after a and joined before b (0: none),
 * which b's thread count may or may not still show: the kernel lets a
 * joined thread go a moment later.
 */
bool creations_none_but_own_threads(const struct creations *a, const struct creations *b,
    pid_t ended);

#endif
