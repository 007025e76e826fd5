/* SPDX-License-Identifier: BSD-2-Clause */
#include "pidref.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdutil.h"
#include "linux_compat.h"

/*
 * What the running kernel offers, learnt on first use.  Relaxed atomics:
 * two threads racing to learn the same fact store the same answer.
 */
enum probe { PROBE_UNKNOWN, PROBE_YES, PROBE_NO };
static _Atomic int have_pidfd = PROBE_UNKNOWN;
static _Atomic int have_pidfd_info = PROBE_UNKNOWN;

void pidref_set_mode(enum pidref_mode mode)
{
	switch (mode) {
	case PIDREF_MODE_AUTO:
		atomic_store(&have_pidfd, PROBE_UNKNOWN);
		atomic_store(&have_pidfd_info, PROBE_UNKNOWN);
		break;
	case PIDREF_MODE_FDINFO:
		atomic_store(&have_pidfd, PROBE_UNKNOWN);
		atomic_store(&have_pidfd_info, PROBE_NO);
		break;
	case PIDREF_MODE_NO_PIDFD:
		atomic_store(&have_pidfd, PROBE_NO);
		atomic_store(&have_pidfd_info, PROBE_NO);
		break;
	}
}

/* ENOSYS: kernel too old.  EPERM: refused by a container's seccomp profile. */
static bool is_missing_feature(int err)
{
	return err == ENOSYS || err == EPERM || err == EINVAL || err == ENOTTY;
}

static int open_pidfd(pid_t pid)
{
	if (atomic_load(&have_pidfd) == PROBE_NO)
		return -ENOSYS;
	int fd = sys_pidfd_open(pid, 0);
	if (fd >= 0) {
		atomic_store(&have_pidfd, PROBE_YES);
		return fd;
	}
	int err = errno;
	/* ENOENT: pid names a thread that is not a thread-group leader. */
	if (err == ESRCH || err == ENOENT)
		return -ESRCH;
	if (err == EINVAL || err == ENOSYS || err == EPERM) {
		atomic_store(&have_pidfd, PROBE_NO);
		return -ENOSYS;
	}
	return -err;
}

int pidref_get_info(const struct pidref *ref, uint64_t mask, struct lpc_pidfd_info *info)
{
	/* A /proc directory is no pidfd: it must not teach the probe anything. */
	if (ref->fd < 0 || ref->procdir || atomic_load(&have_pidfd_info) == PROBE_NO)
		return -ENOSYS;
	memset(info, 0, sizeof(*info));
	info->mask = mask;
	if (ioctl(ref->fd, LPC_PIDFD_GET_INFO, info) == 0) {
		atomic_store(&have_pidfd_info, PROBE_YES);
		return 0;
	}
	if (errno == ESRCH)
		return -ESRCH;
	if (is_missing_feature(errno)) {
		atomic_store(&have_pidfd_info, PROBE_NO);
		return -ENOSYS;
	}
	return -errno;
}

static int match_fdinfo_pid(const char *line, size_t len, void *ctx)
{
	(void)len;
	if (strncmp(line, "Pid:", 4) != 0)
		return 0;
	*(long *)ctx = strtol(line + 4, NULL, 10);
	return 1;
}

/* /proc/self/fdinfo shows "Pid: -1" (0 on some kernels) once reaped. */
static int pidfd_fdinfo_alive(int fd)
{
	char path[PROCFS_PATH_MAX];
	long pid = -1;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int r = procfs_for_each_line(path, match_fdinfo_pid, &pid);
	if (r < 0)
		return r;
	return pid > 0 ? 0 : -ESRCH;
}

static int starttime_alive(const struct pidref *ref)
{
	struct proc_stat st;
	int r = procfs_read_stat(ref->pid, &st);
	if (r < 0)
		return r == -ENOENT || r == -EACCES ? -ESRCH : r;
	return st.starttime == ref->starttime ? 0 : -ESRCH;
}

int pidref_verify(const struct pidref *ref)
{
	if (ref->pid <= 0)
		return -ESRCH;
	if (ref->fd < 0)
		return starttime_alive(ref);
	/* A reaped process's /proc directory refuses every lookup. */
	if (ref->procdir)
		return faccessat(ref->fd, "stat", F_OK, 0) == 0 ? 0 : -ESRCH;
	/* Reaped or not, asked of the pidfd itself: the pid number is not trusted. */
	struct lpc_pidfd_info info;
	int r = pidref_get_info(ref, LPC_PIDFD_INFO_PID, &info);
	if (r != -ENOSYS)
		return r;
	return pidfd_fdinfo_alive(ref->fd);
}

int pidref_read_stat(const struct pidref *ref, struct proc_stat *st)
{
	if (ref->procdir) {
		int r = procfs_read_stat_at(ref->fd, st);
		if (r < 0)
			return r == -ENOENT ? -ESRCH : r;
		return st->starttime == ref->starttime ? 0 : -ESRCH;
	}
	int r = procfs_read_stat(ref->pid, st);
	if (r < 0)
		return r == -ENOENT || r == -EACCES ? -ESRCH : r;
	/* The read happened before the check, so the check covers it. */
	r = pidref_verify(ref);
	if (r < 0)
		return r;
	return st->starttime == ref->starttime ? 0 : -ESRCH;
}

/*
 * Without pidfds: held by its /proc/PID directory, which a reaped process's
 * refuses every lookup in, so a process that takes over the pid, even
 * within the same clock tick, is never taken for it.  The directory of a
 * thread that is not a leader opens too: its Tgid tells.
 */
static int open_by_procdir(struct pidref *ref, pid_t pid, struct proc_stat *st)
{
	int r = pidref_open_procdir(ref, pid, st);
	if (r < 0)
		return r;
	long tgid;
	r = procfs_keyed_number_at(ref->fd, "status", "Tgid", &tgid);
	if (r < 0 || tgid != pid) {
		pidref_close(ref);
		return r < 0 && r != -ENOENT && r != -EACCES ? r : -ESRCH;
	}
	return 0;
}

int pidref_open(struct pidref *ref, pid_t pid, struct proc_stat *st)
{
	*ref = PIDREF_NULL;
	if (pid <= 0)
		return -ESRCH;

	struct proc_stat local;
	if (st == NULL)
		st = &local;
	int fd = open_pidfd(pid);
	if (fd == -ENOSYS)
		return open_by_procdir(ref, pid, st);
	if (fd < 0)
		return fd;

	int r = procfs_read_stat(pid, st);
	if (r < 0) {
		close_preserving_errno(fd);
		/* hidepid=2 shows the directory but refuses its files. */
		return r == -ENOENT || r == -EACCES ? -ESRCH : r;
	}
	if (st->pid != pid) {
		close_preserving_errno(fd);
		return -ESRCH;
	}
	ref->pid = pid;
	ref->fd = fd;
	ref->starttime = st->starttime;

	/* The pid could have been reaped and reused before the stat read. */
	r = pidref_verify(ref);
	if (r < 0) {
		pidref_close(ref);
		return r;
	}
	return 0;
}

int pidref_signal(const struct pidref *ref, int sig)
{
	if (ref->pid <= 0)
		return -ESRCH;
	if (ref->fd >= 0) {
		if (sys_pidfd_send_signal(ref->fd, sig) == 0)
			return 0;
		/* Before Linux 5.1, or under valgrind: by number, just after a check. */
		if (errno != ENOSYS)
			return -errno;
	}
	int r = pidref_verify(ref);
	if (r < 0)
		return r;
	return kill(ref->pid, sig) == 0 ? 0 : -errno;
}

int pidref_open_procdir(struct pidref *ref, pid_t pid, struct proc_stat *st)
{
	*ref = PIDREF_NULL;
	if (pid <= 0)
		return -ESRCH;
	char path[PROCFS_PATH_MAX];
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH || errno == EACCES ? -ESRCH : -errno;
	/* Read through the directory: it is this process's stat or nothing. */
	int r = procfs_read_stat_at(fd, st);
	if (r < 0 || st->pid != pid) {
		close(fd);
		return r < 0 && r != -ENOENT && r != -EACCES ? r : -ESRCH;
	}
	ref->pid = pid;
	ref->fd = fd;
	ref->procdir = true;
	ref->starttime = st->starttime;
	return 0;
}

int pidref_procdir(const struct pidref *ref)
{
	if (ref->pid <= 0)
		return -ESRCH;
	if (ref->procdir) {
		int fd = openat(ref->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		return fd >= 0 ? fd : -ESRCH;
	}
	char path[PROCFS_PATH_MAX];
	snprintf(path, sizeof(path), "/proc/%d", (int)ref->pid);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH || errno == EACCES ? -ESRCH : -errno;
	/*
	 * A number is not reused while its process exists (a zombie too): if
	 * ref's process is there after the open, the directory is its own.
	 */
	int r;
	if (ref->fd >= 0) {
		r = pidref_verify(ref);
	} else {
		struct proc_stat st;
		r = procfs_read_stat_at(fd, &st) == 0 && st.starttime == ref->starttime ? 0 : -ESRCH;
	}
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

void pidref_close(struct pidref *ref)
{
	fd_closep(&ref->fd);
	*ref = PIDREF_NULL;
}
