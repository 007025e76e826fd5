/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reaper commands.  ACQUIRE and RELEASE are PR_SET_CHILD_SUBREAPER on
 * the caller, with FreeBSD's rules: the caller only (EPERM otherwise), init
 * is a reaper from the start (ACQUIRE: EBUSY, RELEASE: EINVAL), and a second
 * ACQUIRE is EBUSY.
 */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/procctl.h>
#include <unistd.h>

#include "errors.h"
#include "handlers.h"

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

int reaper_acquire(struct target *t, union procctl_data *d)
{
	(void)d;
	if (!t->self)
		return -EPERM;
	if (is_init())
		return -EBUSY;
	bool on;
	int r = subreaper_flag(&on);
	if (r < 0)
		return r;
	if (on)
		return -EBUSY;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		return unavailable(errno);
	return 0;
}

int reaper_release(struct target *t, union procctl_data *d)
{
	(void)d;
	if (!t->self)
		return -EPERM;
	if (is_init())
		return -EINVAL;
	bool on;
	int r = subreaper_flag(&on);
	if (r < 0)
		return r;
	if (!on)
		return -EINVAL;
	if (prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) != 0)
		return unavailable(errno);
	return 0;
}

/* Until the reaper facility lands (issue 4). */
int reaper_status(struct target *t, union procctl_data *d)
{
	(void)t; (void)d;
	return -ENOTSUP;
}

int reaper_getpids(struct target *t, union procctl_data *d)
{
	(void)t; (void)d;
	return -ENOTSUP;
}

int reaper_kill(struct target *t, union procctl_data *d)
{
	(void)t; (void)d;
	return -ENOTSUP;
}
