/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_WXMAP_CTL and PROC_WXMAP_STATUS on memory-deny-write-execute
 * (prctl PR_SET_MDWE, Linux 6.3).
 *
 * DISALLOW_EXEC asks FreeBSD to enforce W^X in the image the next execve
 * builds.  Linux cannot defer it: MDWE applies at once, to this image, its
 * fork children and every image after execve, and cannot be undone.  So the
 * request is honoured early, never late; docs/COMPAT.md says so.  After it,
 * PERMIT cannot be honoured and is refused with EPERM, the kernel's own
 * answer to undoing MDWE.
 *
 * MDWE belongs to the address space, so one thread setting it covers all.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/procctl.h>

#include "errors.h"
#include "handlers.h"
#include "linux_compat.h"
#include "remote.h"

/* PERMIT asked for and still true (Linux allows W+X unless MDWE is on). */
static atomic_bool permit_requested;

static int mdwe_of(const struct target *t, long *mdwe)
{
	if (t->self) {
		long v = prctl(PR_GET_MDWE, 0, 0, 0, 0);
		if (v < 0) {
			/* Before Linux 6.3 there is no MDWE: nothing is enforced. */
			if (errno == EINVAL) {
				*mdwe = 0;
				return 0;
			}
			return unavailable(errno);
		}
		*mdwe = v;
		return 0;
	}
	int r = remote_prctl(t, 0, PR_GET_MDWE, 0, mdwe);
	if (r == 0 && *mdwe == -EINVAL)
		*mdwe = 0;
	return r;
}

static int set_mdwe(const struct target *t)
{
	long result;
	if (t->self) {
		if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) == 0)
			return 0;
		return unavailable(errno);
	}
	int r = remote_prctl(t, 0, PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, &result);
	if (r < 0)
		return r;
	return result < 0 ? unavailable((int)-result) : 0;
}

int wxmap_ctl(struct target *t, union procctl_data *d)
{
	long mdwe;
	int r;

	switch (d->value) {
	case PROC_WX_MAPPINGS_PERMIT:
		r = mdwe_of(t, &mdwe);
		if (r < 0)
			return r;
		if (mdwe & PR_MDWE_REFUSE_EXEC_GAIN)
			return -EPERM;
		if (t->self)
			atomic_store(&permit_requested, true);
		return 0;
	case PROC_WX_MAPPINGS_DISALLOW_EXEC:
		r = set_mdwe(t);
		if (r == 0 && t->self)
			atomic_store(&permit_requested, false);
		return r;
	default:
		return -EINVAL;
	}
}

static int find_wx_mapping(const struct proc_mapping *m, void *ctx)
{
	(void)ctx;
	return m->perms[1] == 'w' && m->perms[2] == 'x';
}

int wxmap_status(struct target *t, union procctl_data *d)
{
	long mdwe;
	int r = mdwe_of(t, &mdwe);
	if (r < 0)
		return r;

	int v = 0;
	bool enforced = (mdwe & PR_MDWE_REFUSE_EXEC_GAIN) != 0;
	if (enforced) {
		/* With NO_INHERIT the next image is free again. */
		if (!(mdwe & PR_MDWE_NO_INHERIT))
			v |= PROC_WX_MAPPINGS_DISALLOW_EXEC;
		/* Linux cannot say whether a W+X mapping ever existed, only now. */
		r = target_for_each_mapping(t, find_wx_mapping, NULL);
		if (r == 0)
			v |= (int)PROC_WXORX_ENFORCE;
		else if (r < 0 && r != -EACCES)
			return r;
	} else if (t->self && atomic_load(&permit_requested)) {
		v |= PROC_WX_MAPPINGS_PERMIT;
	}
	d->value = v;
	return 0;
}
