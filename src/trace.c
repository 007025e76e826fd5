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
#include <linux/capability.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/procctl.h>

#include "errors.h"
#include "handlers.h"
#include "linux_compat.h"
#include "remote.h"

static int tracer_of(const struct target *t, long *tracer)
{
	if (t->self)
		return procfs_status_number(0, "TracerPid", tracer);
	int dir = target_procdir(t);
	if (dir < 0)
		return dir;
	int r = procfs_keyed_number_at(dir, "status", "TracerPid", tracer);
	close(dir);
	return r == -ENOENT ? -ESRCH : r;
}

/* The second field of the map line whose first is 0, or -1 when 0 is not mapped. */
static int match_root_line(const char *line, size_t len, void *ctx)
{
	(void)len;
	unsigned long inside, outside, count;
	if (sscanf(line, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside == 0) {
		*(long *)ctx = (long)outside;
		return 1;
	}
	return 0;
}

static long map_root(int dir, const char *file)
{
	long root = -1;
	return procfs_for_each_line_at(dir, file, match_root_line, &root) < 0 ? -2 : root;
}

static bool same_map(int dir, const char *file)
{
	char path[PROCFS_PATH_MAX], mine[4096], theirs[4096];
	procfs_path(path, sizeof(path), 0, file);
	ssize_t a = procfs_read_small(path, mine, sizeof(mine));
	ssize_t b = procfs_read_small_at(dir, file, theirs, sizeof(theirs));
	return a >= 0 && a == b && memcmp(mine, theirs, (size_t)a) == 0;
}

/* What the caller learnt of the process's user namespace. */
struct userns_look {
	bool same;              /* the caller's */
	bool refused;           /* its ns/user link: the kernel's read check said no */
};

/*
 * Whether the process's user namespace is the caller's.  Its ns/user link
 * needs the right to read it (refused for a non-dumpable process without
 * CAP_SYS_PTRACE); then its maps are compared with the caller's: they read
 * the same in its own namespace (both relative to the parent), and another
 * namespace that reads the same maps its root where the caller's does.
 */
static int in_my_userns(int dir, struct userns_look *ns)
{
	struct stat mine, theirs;
	if (stat("/proc/self/ns/user", &mine) != 0)
		return -ENOENT;
	ns->refused = fstatat(dir, "ns/user", &theirs, 0) != 0;
	if (!ns->refused) {
		ns->same = mine.st_ino == theirs.st_ino && mine.st_dev == theirs.st_dev;
		return 0;
	}
	if (errno != EACCES && errno != EPERM)
		return -ENOENT;
	ns->same = same_map(dir, "uid_map") && same_map(dir, "gid_map");
	return 0;
}

/*
 * The uid and gid the kernel gives the /proc files of the process when it
 * is not dumpable: the root of its memory's user namespace (the one it
 * exec'd in), as the caller sees it.  In the caller's own namespace that
 * is 0 (the overflow ids if its maps leave 0 out); in another, the
 * uid_map and gid_map the caller reads there name it in the caller's
 * terms.  -ENOENT when it cannot be told.
 */
static int nondumpable_owner(int dir, const struct userns_look *ns, uid_t *uid, gid_t *gid)
{
	bool same = ns->same;
	int self = same ? open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : dir;
	if (self < 0)
		return -ENOENT;
	long u = same ? (map_root(self, "uid_map") == -1 ? -1 : 0) : map_root(self, "uid_map");
	long g = same ? (map_root(self, "gid_map") == -1 ? -1 : 0) : map_root(self, "gid_map");
	if (same)
		close(self);
	if (u == -2 || g == -2)
		return -ENOENT;
	if (u == -1 && procfs_read_long("/proc/sys/kernel/overflowuid", &u) < 0)
		return -ENOENT;
	if (g == -1 && procfs_read_long("/proc/sys/kernel/overflowgid", &g) < 0)
		return -ENOENT;
	*uid = (uid_t)u;
	*gid = (gid_t)g;
	return 0;
}

/*
 * Whether the process carries the caller's security label (or, where no
 * module shows one, neither has one).
 */
static bool same_label(int dir)
{
	char mine[256], theirs[256];
	ssize_t a = procfs_read_small("/proc/self/attr/current", mine, sizeof(mine));
	ssize_t b = procfs_read_small_at(dir, "attr/current", theirs, sizeof(theirs));
	if (a < 0 || b < 0)
		return (a == -EINVAL || a == -ENOENT) && a == b;
	return a == b && memcmp(mine, theirs, (size_t)a) == 0;
}

static bool all_ids_are(const struct proc_ids *ids, uid_t uid, gid_t gid)
{
	for (int i = 0; i < 3; i++)
		if (ids->uid[i] != uid || ids->gid[i] != gid)
			return false;
	return true;
}

/*
 * The kernel's own read check as a witness.  The stat of the ns/user link
 * in_my_userns() made passed ptrace's read check (PTRACE_MODE_READ_FSCREDS),
 * the one that compares ids, the dumpable flag, capabilities and security
 * modules, but not Yama, which guards attaching only.  A caller without
 * CAP_SYS_PTRACE passes it for a process that is dumpable, or is refused
 * for a reason it can see: other ids, capabilities it lacks, another user
 * namespace or label.  Where none of those applies, the refusal is the
 * dumpable flag's.  This is what tells a container's root, which has no
 * CAP_SYS_PTRACE, about root's own processes there.  -ENOENT when it
 * cannot tell.
 */
static int dumpable_from_read_check(int dir, const struct userns_look *ns,
    const struct proc_ids *theirs, bool *dumpable)
{
	struct proc_ids mine;
	if (!ns->same || procfs_status_ids(0, &mine) < 0)
		return -ENOENT;
	if (mine.cap_effective & (UINT64_C(1) << CAP_SYS_PTRACE))
		return -ENOENT;         /* passes whatever the flag; the engine may ask */
	if (!ns->refused) {
		*dumpable = true;
		return 0;
	}
	if (all_ids_are(theirs, mine.uid[3], mine.gid[3]) &&
	    (theirs->cap_permitted & ~mine.cap_effective) == 0 && same_label(dir)) {
		*dumpable = false;
		return 0;
	}
	return -ENOENT;
}

/*
 * The kernel gives the /proc files of a process that is not dumpable to
 * its namespace's root (nondumpable_owner()), and those of any other
 * process to its effective uid and gid.  Unless the two are the same, the
 * owner settles it.  Root's own processes, and a process that is its user
 * namespace's root by its uid outside (unshare -r), cannot be told apart
 * that way; the kernel's read check may still tell.  -ENOENT when neither
 * can.
 */
static int dumpable_from_proc(const struct target *t, bool *dumpable)
{
	int dir = target_procdir(t);
	if (dir < 0)
		return dir;
	struct proc_ids ids;
	struct stat st;
	struct userns_look ns;
	uid_t root_uid;
	gid_t root_gid;
	int r = procfs_status_ids_at(dir, "status", &ids);
	if (r == 0 && fstatat(dir, "status", &st, 0) != 0)
		r = -errno;
	if (r < 0) {
		close(dir);
		return r == -EINVAL || r == -ENOMEM ? r : -ESRCH;
	}
	r = in_my_userns(dir, &ns);
	if (r == 0)
		r = nondumpable_owner(dir, &ns, &root_uid, &root_gid);
	if (r == 0) {
		const uid_t euid = ids.uid[1];
		const gid_t egid = ids.gid[1];
		if (euid != root_uid || egid != root_gid)
			*dumpable = st.st_uid == euid && st.st_gid == egid;
		else
			r = dumpable_from_read_check(dir, &ns, &ids, dumpable);
	}
	close(dir);
	return r;
}

/*
 * dumpable of another process: from its pidfd (Linux 6.13+), else from the
 * owner of its /proc files, else from the kernel's read check, else asked
 * inside it by the remote engine, which needs the right to debug it (EPERM
 * otherwise).
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
	r = dumpable_from_proc(t, dumpable);
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
	bool dumpable = false;
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
