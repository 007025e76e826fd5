/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reaper commands.
 *
 * ACQUIRE and RELEASE are PR_SET_CHILD_SUBREAPER on the caller, with
 * FreeBSD's rules: the caller only (EPERM otherwise), init is a reaper from
 * the start (ACQUIRE: EBUSY, RELEASE: EINVAL), a second ACQUIRE is EBUSY.
 * The caller also announces itself in the registry, so that other
 * processes can tell it is a reaper.
 *
 * STATUS, GETPIDS and KILL act on the reaper of the target (the target
 * itself when it is one), over the live process tree: reaper_find.c finds
 * the reaper, reaper_list.c its descendants, reaper_kill.c the kill.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/procctl.h>
#include <unistd.h>

#include "errors.h"
#include "handlers.h"
#include "reaper.h"
#include "reaper_find.h"
#include "reaper_list.h"
#include "reaper_registry.h"
#include "usermem.h"

/* Linux has signals 1..64; FreeBSD's 65..128 do not exist here. */
#define LINUX_SIGNAL_MAX 64

/* PID 1 of the caller's pid namespace: the real init, always a reaper. */
static bool is_init(void)
{
	return getpid() == 1;
}

static int subreaper_flag(bool *on)
{
	int v = 0;
	if (prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0) != 0)
		return unavailable(errno);
	*on = v != 0;
	return 0;
}

/*
 * ACQUIRE (want) and RELEASE (!want), one rule with mirrored answers: init
 * is a reaper from the start and for good, so it gets what a process that
 * already is (ACQUIRE: EBUSY) or is not (RELEASE: EINVAL) a reaper gets.
 */
static int change_reaper_status(const struct target *t, bool want)
{
	if (!t->self)
		return -EPERM;
	const int refused = want ? -EBUSY : -EINVAL;
	if (is_init())
		return refused;
	bool on = false;
	int r = subreaper_flag(&on);
	if (r < 0)
		return r;
	if (on == want)
		return refused;
	if (prctl(PR_SET_CHILD_SUBREAPER, want ? 1 : 0, 0, 0, 0) != 0)
		return unavailable(errno);
	/* The flag is what counts; the announcement lets others see it. */
	if (want)
		(void)registry_announce();
	else
		registry_withdraw();
	return 0;
}

int reaper_acquire(struct target *t, union procctl_data *d)
{
	(void)d;
	return change_reaper_status(t, true);
}

int reaper_release(struct target *t, union procctl_data *d)
{
	(void)d;
	return change_reaper_status(t, false);
}

/*
 * The reaper of t and its descendants, newest first.  One registry lookup
 * serves both: the registry is asked once per call (a reaper announced
 * after that is seen by the next call).
 */
static int reaper_and_list(const struct target *t, struct target *reap,
    bool *owned, struct reaper_list *list)
{
	struct registry_lookup lookup = REGISTRY_LOOKUP_INIT;
	int r = reaper_find(t, reap, owned, &lookup);
	if (r == 0) {
		r = reaper_list_collect(reap, list, &lookup);
		if (r < 0) {
			target_close(reap);
			reaper_list_free(list);
		}
	}
	registry_lookup_close(&lookup);
	return r;
}

int reaper_status(struct target *t, union procctl_data *d)
{
	struct target reap;
	bool owned;
	struct reaper_list list = REAPER_LIST_INIT;
	int r = reaper_and_list(t, &reap, &owned, &list);
	if (r < 0)
		return r;

	struct procctl_reaper_status *rs = &d->status;
	rs->rs_flags = (owned ? REAPER_STATUS_OWNED : 0) |
	    (reaper_is_init(&reap) ? REAPER_STATUS_REALINIT : 0);
	rs->rs_reaper = reap.ref.pid;
	rs->rs_descendants = (unsigned int)list.len;
	rs->rs_children = 0;
	rs->rs_pid = -1;
	/* rs_pid: the newest child, else the newest descendant. */
	for (size_t i = 0; i < list.len; i++) {
		if (!(list.items[i].flags & REAPER_PIDINFO_CHILD))
			continue;
		if (rs->rs_children++ == 0)
			rs->rs_pid = list.items[i].pid;
	}
	if (rs->rs_pid == -1 && list.len > 0)
		rs->rs_pid = list.items[0].pid;

	reaper_list_free(&list);
	target_close(&reap);
	return 0;
}

int reaper_getpids(struct target *t, union procctl_data *d)
{
	struct procctl_reaper_pids rp = d->pids;
	struct target reap;
	bool owned;
	struct reaper_list list = REAPER_LIST_INIT;
	int r = reaper_and_list(t, &reap, &owned, &list);
	if (r < 0)
		return r;
	target_close(&reap);

	/* At most rp_count entries are written, and nothing past them. */
	size_t n = list.len < rp.rp_count ? list.len : rp.rp_count;
	if (n > 0) {
		struct procctl_reaper_pidinfo *info = calloc(n, sizeof(*info));
		if (info == NULL) {
			reaper_list_free(&list);
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++) {
			info[i].pi_pid = list.items[i].pid;
			info[i].pi_subtree = list.items[i].subtree;
			info[i].pi_flags = list.items[i].flags;
		}
		r = usermem_copyout(rp.rp_pids, info, n * sizeof(*info));
		free(info);
	}
	reaper_list_free(&list);
	return r;
}

int reaper_kill(struct target *t, union procctl_data *d)
{
	struct procctl_reaper_kill *rk = &d->kill;
	const unsigned int both = REAPER_KILL_CHILDREN | REAPER_KILL_SUBTREE;
	if (rk->rk_sig <= 0 || rk->rk_sig > LINUX_SIGNAL_MAX ||
	    (rk->rk_flags & ~both) != 0 || (rk->rk_flags & both) == both)
		return -EINVAL;

	rk->rk_killed = 0;
	rk->rk_fpid = -1;
	struct target reap;
	bool owned;
	/* The kill reaches through nested reapers: find() is the lookup's only user. */
	struct registry_lookup lookup = REGISTRY_LOOKUP_INIT;
	int r = reaper_find(t, &reap, &owned, &lookup);
	registry_lookup_close(&lookup);
	if (r < 0)
		return r;
	bool signal_self = false;
	r = reaper_kill_tree(&reap, rk, &signal_self);
	target_close(&reap);
	/*
	 * Last, with rk already filled: a SIGKILL ends the caller here, and
	 * after a SIGSTOP the call returns this answer once it is continued.
	 */
	if (signal_self)
		(void)kill(getpid(), rk->rk_sig);
	return r;
}
