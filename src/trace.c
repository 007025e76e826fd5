/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_TRACE_CTL and PROC_TRACE_STATUS on the dumpable flag.
 *
 * Linux's dumpable flag is FreeBSD's "no trace" flag: when it is not 1,
 * neither ptrace by an unprivileged process nor a core dump happens, fork
 * keeps it, and execve turns it back on, as FreeBSD's PROC_TRACE_CTL_DISABLE
 * is reset by execve.  Linux has nothing that keeps it off across execve, so
 * PROC_TRACE_CTL_DISABLE_EXEC is refused with ENOTSUP rather than reported
 * as a protection that would lapse at the next exec.
 */
#include <errno.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/procctl.h>

#include "errors.h"
#include "handlers.h"
#include "linux_compat.h"
#include "remote.h"

static int tracer_of(const struct target *t, long *tracer)
{
	int r = procfs_status_number(t->self ? 0 : t->ref.pid, "TracerPid", tracer);
	return r == -ENOENT ? -ESRCH : r;
}

/*
 * The kernel gives the /proc files of a process that is not dumpable to
 * root:root, and those of any other process to its effective uid and gid.
 * Unless those are root's too, the owner settles it.  -ENOENT when it
 * cannot tell.
 */
static int dumpable_from_proc_owner(const struct target *t, bool *dumpable)
{
	struct proc_ids ids;
	int r = procfs_status_ids(t->ref.pid, &ids);
	if (r < 0)
		return -ESRCH;
	char path[PROCFS_PATH_MAX];
	procfs_path(path, sizeof(path), t->ref.pid, "status");
	struct stat st;
	if (stat(path, &st) != 0)
		return -ESRCH;
	r = pidref_verify(&t->ref);
	if (r < 0)
		return r;
	const uid_t euid = ids.uid[1];
	const gid_t egid = ids.gid[1];
	if (euid == 0 && egid == 0)
		return -ENOENT;
	*dumpable = st.st_uid == euid && st.st_gid == egid;
	return 0;
}

/*
 * dumpable of another process: from its pidfd (Linux 6.13+), else from the
 * owner of its /proc files, else asked inside it by the remote engine,
 * which needs the right to debug it (EPERM otherwise).
 */
static int remote_dumpable(const struct target *t, bool *dumpable)
{
	struct lpc_pidfd_info info;
	int r = pidref_get_info(&t->ref, LPC_PIDFD_INFO_COREDUMP, &info);
	if (r == 0 && (info.mask & LPC_PIDFD_INFO_COREDUMP)) {
		*dumpable = (info.coredump_mask & LPC_PIDFD_COREDUMP_USER) != 0;
		return 0;
	}
	if (r == -ESRCH)
		return r;
	r = dumpable_from_proc_owner(t, dumpable);
	if (r != -ENOENT)
		return r;
	long result;
	r = remote_prctl(t, 0, PR_GET_DUMPABLE, 0, &result);
	if (r < 0)
		return r;
	if (result < 0)
		return unavailable((int)-result);
	*dumpable = result == 1;
	return 0;
}

static int set_dumpable(const struct target *t, int value)
{
	if (t->self)
		return prctl(PR_SET_DUMPABLE, value, 0, 0, 0) == 0 ? 0 : unavailable(errno);
	long result;
	int r = remote_prctl(t, 0, PR_SET_DUMPABLE, value, &result);
	if (r < 0)
		return r;
	return result < 0 ? unavailable((int)-result) : 0;
}

int trace_ctl(struct target *t, union procctl_data *d)
{
	long tracer;
	int r = tracer_of(t, &tracer);
	if (r < 0)
		return r;
	if (tracer != 0)
		return -EBUSY;

	switch (d->value) {
	case PROC_TRACE_CTL_ENABLE:
		/*
		 * Linux has one flag where FreeBSD has two (no-trace and set-id),
		 * so this also reopens a process that changed credentials to
		 * its new uid's debuggers; docs/COMPAT.md says so.
		 */
		return t->self ? set_dumpable(t, 1) : -EPERM;
	case PROC_TRACE_CTL_DISABLE:
		return set_dumpable(t, 0);
	case PROC_TRACE_CTL_DISABLE_EXEC:
		return -ENOTSUP;
	default:
		return -EINVAL;
	}
}

int trace_status(struct target *t, union procctl_data *d)
{
	bool dumpable;
	if (t->self) {
		int v = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
		if (v < 0)
			return unavailable(errno);
		/* 2 (SUID_DUMP_ROOT) also closes the process to unprivileged tracers. */
		dumpable = v == 1;
	} else {
		int r = remote_dumpable(t, &dumpable);
		if (r < 0)
			return r;
	}
	if (!dumpable) {
		d->value = -1;
		return 0;
	}
	long tracer;
	int r = tracer_of(t, &tracer);
	if (r < 0)
		return r;
	d->value = (int)tracer;
	return 0;
}
