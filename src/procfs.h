/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Readers for /proc.  Nothing here allocates: files are read into buffers on
 * the caller's stack, so the readers are safe in commands on the caller
 * itself and in a child between fork and exec.
 *
 * A pid of 0 means the calling process, read through /proc/self, which names
 * the caller correctly even when /proc was mounted by another pid namespace.
 * Any other pid is a number in /proc's pid namespace; callers that look up
 * other processes check procfs_pidns_is_ours() first.
 */
#ifndef LIBPROCCTL_PROCFS_H
#define LIBPROCCTL_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct proc_stat {
	pid_t pid;
	char state;              /* R, S, D, T, t, Z, X, I ... */
	pid_t ppid;
	pid_t pgrp;
	pid_t session;
	unsigned int flags;      /* the kernel's PF_* bits */
	long num_threads;
	uint64_t starttime;      /* clock ticks after boot */
	int exit_signal;         /* field 38; -1 where the kernel does not show it */
	int processor;           /* field 39, the CPU it last ran on; -1 where not shown */
	char comm[16];           /* the name, cut to 15 bytes as the kernel keeps it */
};

/*
 * A zombie: exited, not yet reaped.  /proc also shows a live process whose
 * main thread alone has exited as 'Z' (with PF_EXITING); its other threads
 * still count, so a true zombie is the one with no thread left but itself.
 */
bool proc_stat_is_zombie(const struct proc_stat *st);

/* Exiting (FreeBSD's P_WEXIT): the whole process, not just its leader. */
bool proc_stat_is_exiting(const struct proc_stat *st);

/* Parse a /proc/PID/stat line; fields are counted from the last ')'. */
int procfs_parse_stat(const char *line, struct proc_stat *st);

int procfs_read_stat(pid_t pid, struct proc_stat *st);

/* stat of the process whose /proc/PID directory dirfd is. */
int procfs_read_stat_at(int dirfd, struct proc_stat *st);

/*
 * The number after "key:" in /proc/PID/status (e.g. "TracerPid",
 * "NoNewPrivs").  -ENOENT when the key is absent.
 */
int procfs_status_number(pid_t pid, const char *key, long *value);

/*
 * The four uids and gids of /proc/PID/status (real, effective, saved, fs)
 * and its permitted and effective capability sets.
 */
struct proc_ids {
	uid_t uid[4];
	gid_t gid[4];
	uint64_t cap_permitted, cap_effective;
};
int procfs_status_ids(pid_t pid, struct proc_ids *ids);
/* The same from the status file at path, relative to dirfd. */
int procfs_status_ids_at(int dirfd, const char *path, struct proc_ids *ids);

/* The same, for any file of "key: number" lines (a task's status, fdinfo). */
int procfs_keyed_number(const char *path, const char *key, long *value);
int procfs_keyed_number_at(int dirfd, const char *path, const char *key, long *value);

/*
 * Read a whole small file (/proc/sys/..., /proc/self/personality) into buf,
 * NUL-terminated.  Returns the length or -errno.
 */
ssize_t procfs_read_small(const char *path, char *buf, size_t size);
/* The same, path relative to dirfd (AT_FDCWD: the working directory). */
ssize_t procfs_read_small_at(int dirfd, const char *path, char *buf, size_t size);
int procfs_read_long(const char *path, long *value);

/*
 * Call fn for each line of a file, with lines longer than the internal
 * buffer cut short.  fn returns 0 to go on, anything else to stop; that
 * value is returned.
 */
int procfs_for_each_line(const char *path,
    int (*fn)(const char *line, size_t len, void *ctx), void *ctx);
int procfs_for_each_line_at(int dirfd, const char *path,
    int (*fn)(const char *line, size_t len, void *ctx), void *ctx);

struct proc_mapping {
	uintptr_t start, end;
	char perms[5];          /* "rwxp" */
	uint64_t offset;        /* in the file */
	uint64_t inode;         /* of the file, 0 for anonymous memory */
	const char *name;       /* "[stack]", a path, or "" */
};

/* Call fn for each line of /proc/PID/maps (0: self); like for_each_line. */
int procfs_for_each_mapping(pid_t pid,
    int (*fn)(const struct proc_mapping *m, void *ctx), void *ctx);
int procfs_for_each_mapping_at(int dirfd, const char *path,
    int (*fn)(const struct proc_mapping *m, void *ctx), void *ctx);

/*
 * Call fn for each thread of process tgid (0: the caller) listed in
 * /proc/TGID/task; like
 * for_each_line, fn's non-zero return stops the walk and is returned.
 * Allocation-free (getdents64 into a stack buffer), so it is safe in a
 * child created with clone(CLONE_VM) that shares the caller's heap.
 */
int procfs_for_each_task(pid_t tgid, int (*fn)(pid_t tid, void *ctx), void *ctx);
/* The same for the task directory at path, relative to dirfd. */
int procfs_for_each_task_at(int dirfd, const char *path, int (*fn)(pid_t tid, void *ctx),
    void *ctx);

/* The same for every process /proc lists (all of them: O(processes)). */
int procfs_for_each_process(int (*fn)(pid_t pid, void *ctx), void *ctx);

/*
 * Call fn for each descriptor the caller holds, from /proc/self/fd (the
 * listing's own descriptor left out), as for_each_task does.
 */
int procfs_for_each_fd(int (*fn)(int fd, void *ctx), void *ctx);

/* /proc/TGID/task/TID/stat, and a "key: number" line of its status (tgid 0: self). */
int procfs_read_task_stat(pid_t tgid, pid_t tid, struct proc_stat *st);
int procfs_task_status_number(pid_t tgid, pid_t tid, const char *key, long *value);

/*
 * The same through dirfd, a process's pinned /proc/PID directory: a tid
 * that is not (or no longer) one of that process's threads is -ENOENT, even
 * when the number now names a thread of another process.
 */
int procfs_read_task_stat_at(int dirfd, pid_t tid, struct proc_stat *st);
int procfs_task_status_number_at(int dirfd, pid_t tid, const char *key, long *value);
/* "task/TID/name" (name NULL: "task/TID"), relative to such a directory. */
void procfs_task_file(char *buf, size_t size, pid_t tid, const char *name);

/* Whether /proc numbers processes as the caller's pid namespace does. */
bool procfs_pidns_is_ours(void);

/* Whether /proc still lists tid among the caller's own threads. */
bool procfs_own_thread_listed(pid_t tid);

/* Build "/proc/self/<name>" or "/proc/<pid>/<name>" into buf. */
void procfs_path(char *buf, size_t size, pid_t pid, const char *name);

#define PROCFS_PATH_MAX 64

#endif
