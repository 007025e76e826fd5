/* SPDX-License-Identifier: BSD-2-Clause */
#include "reaper_branch.h"

#include <pthread.h>
#include <unistd.h>

#include "lifecycle.h"
static pthread_mutex_t memory_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pidset memory = PIDSET_INIT;
static pid_t memory_owner;      /* getpid() of the process that learnt it */

void reaper_branch_begin(struct branch_walk *w, bool caller_is_reaper)
{
	w->seen = PIDSET_INIT;
	w->active = caller_is_reaper;
	if (!w->active)
		return;
	pthread_mutex_lock(&memory_lock);
	if (memory_owner != getpid()) {
		/* Inherited from the parent across fork: not ours. */
		pidset_free(&memory);
		memory_owner = getpid();
	}
}

bool reaper_branch_recall(const struct branch_walk *w, pid_t pid, uint64_t starttime,
    pid_t *branch)
{
	int v;
	if (!w->active || !pidset_lookup(&memory, pid, starttime, &v))
		return false;
	*branch = (pid_t)v;
	return true;
}

void reaper_branch_note(struct branch_walk *w, pid_t pid, uint64_t starttime, pid_t branch)
{
	/* Out of memory or over the bound: that process is merely forgotten. */
	if (w->active && w->seen.count < BRANCH_MAX)
		(void)pidset_add(&w->seen, pid, starttime, (int)branch);
}

void reaper_branch_end(struct branch_walk *w, bool complete)
{
	if (!w->active)
		return;
	if (complete) {
		pidset_free(&memory);
		memory = w->seen;
	} else {
		pidset_free(&w->seen);
	}
	w->seen = PIDSET_INIT;
	pthread_mutex_unlock(&memory_lock);
}

void reaper_branch_fork_child(void)
{
	/* The memory itself is dropped by the owner check at the next walk. */
	pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
	memory_lock = fresh;
}
