/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_PDEATHSIG_CTL and PROC_PDEATHSIG_STATUS on PR_SET_PDEATHSIG, which
 * FreeBSD's command was modelled on: cleared in fork children and by set-id
 * execve, kept across a plain execve, on both systems.  Only the caller may
 * be named, and any other pid is EINVAL, as on FreeBSD.
 *
 * Linux keeps the setting per thread and ties it to the parent *thread*;
 * docs/COMPAT.md explains what that means and how to call it.
 */
#include <errno.h>
#include <sys/prctl.h>

#include "errors.h"
#include "handlers.h"

/* Linux has signals 1..64; FreeBSD's 65..128 do not exist here. */
#define LINUX_SIGNAL_MAX 64

int pdeathsig_ctl(struct target *t, union procctl_data *d)
{
	if (!t->self)
		return -EINVAL;
	if (d->value < 0 || d->value > LINUX_SIGNAL_MAX)
		return -EINVAL;
	if (prctl(PR_SET_PDEATHSIG, (unsigned long)d->value, 0, 0, 0) != 0)
		return unavailable(errno);
	return 0;
}

int pdeathsig_status(struct target *t, union procctl_data *d)
{
	if (!t->self)
		return -EINVAL;
	int sig = 0;
	if (prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0) != 0)
		return unavailable(errno);
	d->value = sig;
	return 0;
}
