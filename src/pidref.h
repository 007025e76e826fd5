/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A reference to one process that a recycled pid can never be mistaken for.
 *
 * A pidref holds the pid, a descriptor and the start time read from /proc
 * while the descriptor proved the pid still named the same process.  The
 * descriptor is a pidfd, or the process's /proc/PID directory: both pin
 * the process, not the number.  Once it is reaped, the kernel refuses every
 * use of either, even after its pid has gone to a new process; signals go
 * through either with pidfd_send_signal().  The directory also lets the
 * process's own /proc files be read without naming it again (the tree walk
 * reads stat and children through it).  The states:
 *
 *   pid == 0            empty (PIDREF_NULL); nothing to close.
 *   pid > 0, fd >= 0    the kernel pins the identity; pidref_verify() asks
 *                       the descriptor whether the process has been reaped.
 *   pid > 0, fd == -1   held by number only (a walk's unpinned nodes,
 *                       tree.h): identity is the pid plus the start time,
 *                       re-read before every use.
 *
 * Without pidfds (a kernel older than 5.3, pidfd_open refused by a seccomp
 * profile, or valgrind) pidref_open() holds the /proc/PID directory.  Where
 * pidfd_send_signal() is missing too, a signal goes by kill(2) just after
 * the directory proved the process alive: that window remains, and
 * docs/COMPAT.md says so.
 *
 * A zombie that has not been reaped still counts as the same process: its
 * pid cannot be reused until it is reaped.
 */
#ifndef LIBPROCCTL_PIDREF_H
#define LIBPROCCTL_PIDREF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"

struct pidref {
	pid_t pid;
	int fd;                 /* pidfd, /proc/PID directory, or -1 */
	bool procdir;           /* fd is the /proc/PID directory */
	uint64_t starttime;
};

#define PIDREF_NULL ((struct pidref){ .pid = 0, .fd = -1, .procdir = false, .starttime = 0 })

/*
 * Open a reference to pid (a process, not a thread) and fill *st with its
 * /proc/PID/stat as read under the reference.  -ESRCH when there is no such
 * process or /proc does not show it to the caller.
 */
int pidref_open(struct pidref *ref, pid_t pid, struct proc_stat *st);

/*
 * The same, held by the /proc/PID directory: cheaper where the caller reads
 * the process's /proc files anyway.  pid must name a process (a thread
 * group leader), as every pid in a children file does.
 */
int pidref_open_procdir(struct pidref *ref, pid_t pid, struct proc_stat *st);

/* 0 while ref still names its process (running or zombie), else -ESRCH. */
int pidref_verify(const struct pidref *ref);

/* Re-read /proc/PID/stat for ref, verified to still describe it. */
int pidref_read_stat(const struct pidref *ref, struct proc_stat *st);

/*
 * PIDFD_GET_INFO on ref's pidfd for the fields in mask (LPC_PIDFD_INFO_*):
 * -ENOSYS when there is no pidfd or the kernel (before 6.13) has no such
 * ioctl, -ESRCH once the process has been reaped.
 */
struct lpc_pidfd_info;
int pidref_get_info(const struct pidref *ref, uint64_t mask, struct lpc_pidfd_info *info);

/*
 * A new descriptor of the process's /proc/PID directory, proved to be ref's
 * own (opened by number, then checked through ref): every file opened
 * relative to it is that process's, or fails (ESRCH, ENOENT) once it has
 * been reaped, whoever holds the number then.  -ESRCH when it is gone.
 */
int pidref_procdir(const struct pidref *ref);

/* Send sig to the process, never to a process that took over its pid. */
int pidref_signal(const struct pidref *ref, int sig);

void pidref_close(struct pidref *ref);

/* Run-time probes, settable by the unit tests to exercise the fallbacks. */
enum pidref_mode {
	PIDREF_MODE_AUTO,       /* best the kernel offers */
	PIDREF_MODE_FDINFO,     /* pidfd, but no PIDFD_GET_INFO */
	PIDREF_MODE_NO_PIDFD,   /* no pidfd: the /proc/PID directory */
};
void pidref_set_mode(enum pidref_mode mode);

#endif
