/* SPDX-License-Identifier: BSD-2-Clause */
#include "reaper_exempt.h"

#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_MODE_STRICT
#define SECCOMP_MODE_STRICT 1
#endif

/* Helpers alive now: the kernel writes each one's pid into its cell. */
static _Atomic pid_t cells[EXEMPT_SLOTS];
static atomic_bool cell_used[EXEMPT_SLOTS];

_Atomic pid_t *exempt_claim(void)
{
	for (unsigned int i = 0; i < EXEMPT_SLOTS; i++) {
		if (atomic_exchange(&cell_used[i], true))
			continue;
		atomic_store(&cells[i], 0);
		return &cells[i];
	}
	return NULL;
}

void exempt_release(_Atomic pid_t *cell)
{
	if (cell == NULL)
		return;
	atomic_store(cell, 0);
	atomic_store(&cell_used[cell - cells], false);
}

void exempt_name_self(void)
{
	(void)syscall(SYS_prctl, (long)PR_SET_NAME, (long)EXEMPT_NAME, 0L, 0L, 0L);
}

/*
 * The probes this process made recently.  A probe is a zombie child of the
 * reaper until the reaper gets round to reaping it (a busy or lazy init can
 * take seconds).  A small ring of pid and start time: a stale or torn entry
 * only fails to match.
 */
#define PROBE_HISTORY 32
static struct {
	_Atomic pid_t pid;
	_Atomic uint64_t starttime;
} probe_history[PROBE_HISTORY];
static atomic_uint probe_next;

void exempt_remember_probe(const struct pidref *ref)
{
	unsigned int slot = atomic_fetch_add(&probe_next, 1) % PROBE_HISTORY;
	atomic_store(&probe_history[slot].pid, 0);
	atomic_store(&probe_history[slot].starttime, ref->starttime);
	atomic_store(&probe_history[slot].pid, ref->pid);
}

static bool is_own(const struct pidref *ref, const struct proc_stat *st)
{
	for (unsigned int i = 0; i < PROBE_HISTORY; i++)
		if (atomic_load(&probe_history[i].pid) == ref->pid &&
		    atomic_load(&probe_history[i].starttime) == ref->starttime)
			return true;
	/* A cell holds a pid until just after it is reaped: check it is ours. */
	if (st->exit_signal != 0 || st->ppid != getpid())
		return false;
	for (unsigned int i = 0; i < EXEMPT_SLOTS; i++) {
		pid_t pid = atomic_load(&cells[i]);
		/*
		 * A claimed cell still at 0: a helper being created.  The kernel
		 * lists a new child before it writes the cell, so in that
		 * instant a child with exit signal 0 is taken for it.
		 */
		if (pid == ref->pid || (pid == 0 && atomic_load(&cell_used[i])))
			return true;
	}
	/*
	 * Gone since its stat was read: a helper reaped meanwhile, its cell
	 * released.  Nothing is left to count or signal either way.
	 */
	return pidref_verify(ref) < 0;
}

/* The process's seccomp mode, read under ref; -1 if unknown. */
static long seccomp_mode(const struct pidref *ref)
{
	char buf[4096];
	char path[PROCFS_PATH_MAX];
	ssize_t n;
	if (ref->procdir) {
		n = procfs_read_small_at(ref->fd, "status", buf, sizeof(buf));
	} else {
		procfs_path(path, sizeof(path), ref->pid, "status");
		n = procfs_read_small(path, buf, sizeof(buf));
	}
	if (n < 0 || pidref_verify(ref) < 0)
		return -1;
	const char *line = strstr(buf, "\nSeccomp:");
	if (line == NULL)
		return -1;
	return strtol(line + strlen("\nSeccomp:"), NULL, 10);
}

enum exempt_kind exempt_classify(const struct pidref *ref, const struct proc_stat *st)
{
	if (is_own(ref, st))
		return EXEMPT_ALWAYS;
	if (strcmp(st->comm, EXEMPT_NAME) == 0) {
		if (proc_stat_is_zombie(st))
			return EXEMPT_ALWAYS;
		/*
		 * Strict mode is per thread, and status shows the leader's:
		 * only a single thread (which strict mode then keeps single) is
		 * confined.
		 */
		if (st->num_threads == 1 && seccomp_mode(ref) == SECCOMP_MODE_STRICT)
			return EXEMPT_ALWAYS;
	}
	/*
	 * Not the name: a helper is listed by the kernel before it first runs
	 * and can take it, and the mark is harmless to fake anyway.
	 */
	return st->exit_signal == 0 && !proc_stat_is_zombie(st) ? EXEMPT_HELPER : EXEMPT_NONE;
}
