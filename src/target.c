/* SPDX-License-Identifier: BSD-2-Clause */
#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "linux_compat.h"

void target_self(struct target *t)
{
	memset(t, 0, sizeof(*t));
	t->self = true;
	t->ref = PIDREF_NULL;
	t->ref.pid = getpid();
}

static bool is_exiting(const struct proc_stat *st)
{
	return proc_stat_is_zombie(st) || proc_stat_is_exiting(st);
}

/*
 * Opening /proc/PID/mem runs the kernel's own ptrace access check
 * (PTRACE_MODE_ATTACH: uid match, dumpable, CAP_SYS_PTRACE, LSMs) without
 * attaching.  Kernel threads have no memory to open; like FreeBSD's system
 * processes they cannot be debugged.
 */
static int check_debug(const struct target *t)
{
	if (t->stat.flags & LPC_PF_KTHREAD)
		return -EPERM;

	int dir = target_procdir(t);
	if (dir < 0)
		return dir;
	/* Through the pinned directory: the check runs against t or nobody. */
	int fd = openat(dir, "mem", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int err = fd < 0 ? errno : 0;
	close(dir);
	if (fd < 0)
		return err == ENOENT || err == ESRCH ? -ESRCH : -EPERM;
	close(fd);
	return 0;
}

int target_still_alive(const struct target *t)
{
	if (t->self)
		return 0;
	struct proc_stat st;
	int r = pidref_read_stat(&t->ref, &st);
	return r == -ESRCH || (r == 0 && is_exiting(&st)) ? -ESRCH : 0;
}

int target_check_access(const struct target *t, enum target_access need)
{
	if (t->self)
		return 0;
	if (is_exiting(&t->stat))
		return -ESRCH;
	return need == ACCESS_DEBUG ? check_debug(t) : 0;
}

int target_open(struct target *t, pid_t pid, enum target_access need)
{
	memset(t, 0, sizeof(*t));
	t->ref = PIDREF_NULL;
	if (pid <= 0)
		return -ESRCH;
	if (pid == getpid()) {
		target_self(t);
		return 0;
	}
	if (!procfs_pidns_is_ours())
		return -ENOTSUP;

	int r = pidref_open(&t->ref, pid, &t->stat);
	if (r < 0)
		return r;
	r = target_check_access(t, need);
	if (r < 0)
		target_close(t);
	return r;
}

int target_procdir(const struct target *t)
{
	if (!t->self)
		return pidref_procdir(&t->ref);
	int fd = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

int target_for_each_mapping(const struct target *t,
    int (*fn)(const struct proc_mapping *m, void *ctx), void *ctx)
{
	if (t->self)
		return procfs_for_each_mapping(0, fn, ctx);
	int dir = target_procdir(t);
	if (dir < 0)
		return dir;
	int r = procfs_for_each_mapping_at(dir, "maps", fn, ctx);
	close(dir);
	return r;
}

void target_close(struct target *t)
{
	if (!t->self)
		pidref_close(&t->ref);
	t->ref = PIDREF_NULL;
}

struct pgrp_walk {
	pid_t pgid, self;
	enum target_access need;
	int (*fn)(struct target *t, void *ctx);
	void *ctx;
	bool any_ok;
	int first_error;
};

/* One process /proc lists: a member of the group, and allowed, or skipped. */
static int visit_process(pid_t pid, void *ctx)
{
	struct pgrp_walk *w = ctx;
	struct target t;
	struct proc_stat st;
	/* Cheap filter first; a member is re-read under a pidref. */
	if (procfs_read_stat(pid == w->self ? 0 : pid, &st) < 0 || st.pgrp != w->pgid)
		return 0;
	if (pid == w->self) {
		target_self(&t);
	} else {
		if (pidref_open(&t.ref, pid, &t.stat) < 0)
			return 0;
		t.self = false;
		if (t.stat.pgrp != w->pgid || target_check_access(&t, w->need) < 0) {
			target_close(&t);
			return 0;
		}
	}
	int r = w->fn(&t, w->ctx);
	target_close(&t);
	if (r == 0)
		w->any_ok = true;
	else if (w->first_error == 0)
		w->first_error = r;
	return 0;
}

int target_for_each_in_pgrp(pid_t pgid, enum target_access need,
    int (*fn)(struct target *t, void *ctx), void *ctx)
{
	if (pgid <= 0)
		return -ESRCH;
	if (!procfs_pidns_is_ours())
		return -ENOTSUP;

	/* Linux keeps no list of a group's members; /proc is the only index. */
	struct pgrp_walk w = { .pgid = pgid, .self = getpid(), .need = need,
	    .fn = fn, .ctx = ctx };
	if (procfs_for_each_process(visit_process, &w) < 0)
		return -ENOTSUP;

	if (w.any_ok)
		return 0;
	return w.first_error != 0 ? w.first_error : -ESRCH;
}
