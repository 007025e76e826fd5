/* SPDX-License-Identifier: BSD-2-Clause */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdutil.h"
#include "linux_compat.h"


bool proc_stat_is_zombie(const struct proc_stat *st)
{
	return (st->state == 'Z' || st->state == 'X') && st->num_threads <= 1;
}

bool proc_stat_is_exiting(const struct proc_stat *st)
{
	return !proc_stat_is_zombie(st) && (st->flags & LPC_PF_EXITING) &&
	    st->num_threads <= 1;
}

void procfs_path(char *buf, size_t size, pid_t pid, const char *name)
{
	if (pid == 0)
		snprintf(buf, size, "/proc/self/%s", name);
	else
		snprintf(buf, size, "/proc/%d/%s", (int)pid, name);
}

ssize_t procfs_read_small(const char *path, char *buf, size_t size)
{
	return procfs_read_small_at(AT_FDCWD, path, buf, size);
}

ssize_t procfs_read_small_at(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	size_t len = 0;
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int err = -errno;
			close_preserving_errno(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close_preserving_errno(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

int procfs_read_long(const char *path, long *value)
{
	char buf[64];
	ssize_t n = procfs_read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	char *end;
	errno = 0;
	long v = strtol(buf, &end, 10);
	if (errno != 0 || end == buf)
		return -EINVAL;
	*value = v;
	return 0;
}

/* Reads one unsigned decimal field and the blank after it. */
static const char *next_field(const char *p, unsigned long long *out)
{
	while (*p == ' ')
		p++;
	bool negative = false;
	if (*p == '-') {
		negative = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return NULL;
	unsigned long long v = 0;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (unsigned long long)(*p++ - '0');
	/* Negated as unsigned: -(long long)v overflows for LLONG_MIN. */
	*out = negative ? 0 - v : v;
	return p;
}

int procfs_parse_stat(const char *line, struct proc_stat *st)
{
	/* comm may itself hold ") " and digits; only the last ')' is safe. */
	const char *close = strrchr(line, ')');
	if (close == NULL || close[1] != ' ' || close[2] == '\0')
		return -EINVAL;

	char *end;
	long pid = strtol(line, &end, 10);
	if (end == line)
		return -EINVAL;

	memset(st, 0, sizeof(*st));
	st->pid = (pid_t)pid;
	st->state = close[2];

	/* Fields 4..22, 1-based as in proc(5); field 3 is the state. */
	unsigned long long f[23] = {0};
	const char *p = close + 3;
	for (int i = 4; i <= 22; i++) {
		p = next_field(p, &f[i]);
		if (p == NULL)
			return -EINVAL;
	}
	st->ppid = (pid_t)f[4];
	st->pgrp = (pid_t)f[5];
	st->session = (pid_t)f[6];
	st->flags = (unsigned int)f[9];
	st->num_threads = (long)f[20];
	st->starttime = f[22];

	/* The name lies between the first '(' and the last ')'. */
	const char *open = strchr(line, '(');
	if (open != NULL && open < close) {
		size_t len = (size_t)(close - open - 1);
		if (len >= sizeof(st->comm))
			len = sizeof(st->comm) - 1;
		memcpy(st->comm, open + 1, len);
	}
	/* Fields 23..39: the exit signal and the last CPU are the last ones wanted. */
	st->exit_signal = -1;
	st->processor = -1;
	unsigned long long v = 0;
	for (int i = 23; p != NULL && i <= 38; i++)
		p = next_field(p, &v);
	if (p == NULL)
		return 0;
	st->exit_signal = (int)v;
	p = next_field(p, &v);
	if (p != NULL)
		st->processor = (int)v;
	return 0;
}

int procfs_read_stat(pid_t pid, struct proc_stat *st)
{
	char path[PROCFS_PATH_MAX];
	procfs_path(path, sizeof(path), pid, "stat");
	char buf[2048];
	ssize_t n = procfs_read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return procfs_parse_stat(buf, st);
}

int procfs_read_stat_at(int dirfd, struct proc_stat *st)
{
	char buf[2048];
	ssize_t n = procfs_read_small_at(dirfd, "stat", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return procfs_parse_stat(buf, st);
}

int procfs_for_each_line(const char *path,
    int (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	return procfs_for_each_line_at(AT_FDCWD, path, fn, ctx);
}

int procfs_for_each_line_at(int dirfd, const char *path,
    int (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;

	char buf[1024];
	size_t have = 0;        /* bytes of the current line in buf */
	bool skipping = false;  /* inside the tail of an over-long line */
	int result = 0;

	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			result = -errno;
			break;
		}
		if (n == 0) {
			if (have > 0 && !skipping) {
				buf[have] = '\0';
				result = fn(buf, have, ctx);
			}
			break;
		}
		have += (size_t)n;

		size_t start = 0;
		for (;;) {
			char *nl = memchr(buf + start, '\n', have - start);
			if (nl == NULL)
				break;
			size_t len = (size_t)(nl - (buf + start));
			*nl = '\0';
			if (!skipping)
				result = fn(buf + start, len, ctx);
			skipping = false;
			start += len + 1;
			if (result != 0)
				goto out;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == sizeof(buf) - 1) {
			/* Deliver the first part of an over-long line once. */
			buf[have] = '\0';
			if (!skipping)
				result = fn(buf, have, ctx);
			skipping = true;
			have = 0;
			if (result != 0)
				break;
		}
	}
out:
	close_preserving_errno(fd);
	return result;
}

struct status_lookup {
	const char *key;
	size_t key_len;
	long value;
	bool found;
};

static int match_status_line(const char *line, size_t len, void *ctx)
{
	struct status_lookup *q = ctx;
	if (len <= q->key_len || line[q->key_len] != ':' ||
	    memcmp(line, q->key, q->key_len) != 0)
		return 0;
	char *end;
	errno = 0;
	q->value = strtol(line + q->key_len + 1, &end, 10);
	q->found = errno == 0 && end != line + q->key_len + 1;
	return 1;
}

int procfs_keyed_number(const char *path, const char *key, long *value)
{
	return procfs_keyed_number_at(AT_FDCWD, path, key, value);
}

int procfs_keyed_number_at(int dirfd, const char *path, const char *key, long *value)
{
	struct status_lookup q = { .key = key, .key_len = strlen(key) };
	int r = procfs_for_each_line_at(dirfd, path, match_status_line, &q);
	if (r < 0)
		return r;
	if (!q.found)
		return -ENOENT;
	*value = q.value;
	return 0;
}

struct ids_lookup {
	struct proc_ids *ids;
	unsigned int found;     /* IDS_* bits */
};

enum { IDS_UID = 1, IDS_GID = 2, IDS_CAP_PRM = 4, IDS_CAP_EFF = 8, IDS_ALL = 15 };

static int match_ids_line(const char *line, size_t len, void *ctx)
{
	(void)len;
	struct ids_lookup *q = ctx;
	bool is_uid = strncmp(line, "Uid:", 4) == 0;
	if (is_uid || strncmp(line, "Gid:", 4) == 0) {
		unsigned long v[4];
		if (sscanf(line + 4, "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) != 4)
			return -EINVAL;
		for (int i = 0; i < 4; i++) {
			if (is_uid)
				q->ids->uid[i] = (uid_t)v[i];
			else
				q->ids->gid[i] = (gid_t)v[i];
		}
		q->found |= is_uid ? IDS_UID : IDS_GID;
	} else if (strncmp(line, "CapPrm:", 7) == 0 || strncmp(line, "CapEff:", 7) == 0) {
		char *end;
		errno = 0;
		unsigned long long set = strtoull(line + 7, &end, 16);
		if (errno != 0 || end == line + 7)
			return -EINVAL;
		bool permitted = line[3] == 'P';
		if (permitted)
			q->ids->cap_permitted = set;
		else
			q->ids->cap_effective = set;
		q->found |= permitted ? IDS_CAP_PRM : IDS_CAP_EFF;
	}
	return q->found == IDS_ALL;
}

int procfs_status_ids(pid_t pid, struct proc_ids *ids)
{
	char path[PROCFS_PATH_MAX];
	procfs_path(path, sizeof(path), pid, "status");
	return procfs_status_ids_at(AT_FDCWD, path, ids);
}

int procfs_status_ids_at(int dirfd, const char *path, struct proc_ids *ids)
{
	struct ids_lookup q = { .ids = ids };
	int r = procfs_for_each_line_at(dirfd, path, match_ids_line, &q);
	if (r < 0)
		return r;
	return q.found == IDS_ALL ? 0 : -ENOENT;
}

int procfs_status_number(pid_t pid, const char *key, long *value)
{
	char path[PROCFS_PATH_MAX];
	procfs_path(path, sizeof(path), pid, "status");
	return procfs_keyed_number(path, key, value);
}

static void task_path(char *buf, size_t size, pid_t tgid, pid_t tid, const char *name)
{
	if (tgid == 0)
		snprintf(buf, size, "/proc/self/task/%d/%s", (int)tid, name);
	else
		snprintf(buf, size, "/proc/%d/task/%d/%s", (int)tgid, (int)tid, name);
}

static int read_stat_file(int dirfd, const char *path, struct proc_stat *st)
{
	char buf[2048];
	ssize_t n = procfs_read_small_at(dirfd, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return procfs_parse_stat(buf, st);
}

int procfs_read_task_stat(pid_t tgid, pid_t tid, struct proc_stat *st)
{
	char path[PROCFS_PATH_MAX + 32];
	task_path(path, sizeof(path), tgid, tid, "stat");
	return read_stat_file(AT_FDCWD, path, st);
}

int procfs_task_status_number(pid_t tgid, pid_t tid, const char *key, long *value)
{
	char path[PROCFS_PATH_MAX + 32];
	task_path(path, sizeof(path), tgid, tid, "status");
	return procfs_keyed_number(path, key, value);
}

void procfs_task_file(char *buf, size_t size, pid_t tid, const char *name)
{
	if (name == NULL)
		snprintf(buf, size, "task/%d", (int)tid);
	else
		snprintf(buf, size, "task/%d/%s", (int)tid, name);
}

int procfs_read_task_stat_at(int dirfd, pid_t tid, struct proc_stat *st)
{
	char path[PROCFS_PATH_MAX];
	procfs_task_file(path, sizeof(path), tid, "stat");
	return read_stat_file(dirfd, path, st);
}

int procfs_task_status_number_at(int dirfd, pid_t tid, const char *key, long *value)
{
	char path[PROCFS_PATH_MAX];
	procfs_task_file(path, sizeof(path), tid, "status");
	return procfs_keyed_number_at(dirfd, path, key, value);
}

/* The kernel's record layout for getdents64(2); glibc has no declaration. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* A decimal number that fits an int (a tid, a descriptor), or -1. */
static int parse_number(const char *name)
{
	int v = 0;
	if (*name == '\0')
		return -1;
	for (; *name != '\0'; name++) {
		int digit = *name - '0';
		if (digit < 0 || digit > 9 || v > (INT32_MAX - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	return v;
}

/*
 * Call fn for each entry of the /proc directory dirfd named by a number,
 * but `skip`; fn's non-zero return stops the walk and is returned.
 */
static int for_each_numbered_entry(int dirfd, int skip, int (*fn)(int n, void *ctx),
    void *ctx)
{
	char buf[4096] __attribute__((aligned(8)));
	for (;;) {
		long n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf));
		if (n < 0)
			return errno == ENOENT ? -ESRCH : -errno;   /* the process has gone */
		if (n == 0)
			return 0;
		for (long off = 0; off < n;) {
			const struct linux_dirent64 *de = (const void *)(buf + off);
			int number = parse_number(de->d_name);
			int result = number >= 0 && number != skip ? fn(number, ctx) : 0;
			if (result != 0)
				return result;
			off += de->d_reclen;
		}
	}
}

int procfs_for_each_task(pid_t tgid, int (*fn)(pid_t tid, void *ctx), void *ctx)
{
	char path[PROCFS_PATH_MAX];
	procfs_path(path, sizeof(path), tgid, "task");
	return procfs_for_each_task_at(AT_FDCWD, path, fn, ctx);
}

int procfs_for_each_task_at(int dirfd, const char *path, int (*fn)(pid_t tid, void *ctx),
    void *ctx)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int result = for_each_numbered_entry(fd, -1, fn, ctx);
	close_preserving_errno(fd);
	return result;
}

int procfs_for_each_process(int (*fn)(pid_t pid, void *ctx), void *ctx)
{
	/* /proc is listed as a task directory is: by its numbered entries. */
	return procfs_for_each_task_at(AT_FDCWD, "/proc", fn, ctx);
}

int procfs_for_each_fd(int (*fn)(int fd, void *ctx), void *ctx)
{
	int listing = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (listing < 0)
		return -errno;
	int result = for_each_numbered_entry(listing, listing, fn, ctx);
	close_preserving_errno(listing);
	return result;
}

bool procfs_own_thread_listed(pid_t tid)
{
	char path[PROCFS_PATH_MAX];
	snprintf(path, sizeof(path), "/proc/self/task/%d", (int)tid);
	return access(path, F_OK) == 0;
}

bool procfs_pidns_is_ours(void)
{
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	char *end;
	long pid = strtol(link, &end, 10);
	return *end == '\0' && pid == (long)getpid();
}

struct mapping_walk {
	int (*fn)(const struct proc_mapping *m, void *ctx);
	void *ctx;
};

static int parse_mapping_line(const char *line, size_t len, void *ctx)
{
	(void)len;
	struct mapping_walk *w = ctx;
	struct proc_mapping m;
	char *p;

	m.start = (uintptr_t)strtoull(line, &p, 16);
	if (*p != '-')
		return 0;
	m.end = (uintptr_t)strtoull(p + 1, &p, 16);
	if (*p != ' ' || strlen(p) < 5)
		return 0;
	memcpy(m.perms, p + 1, 4);
	m.perms[4] = '\0';
	/* start-end perms offset dev inode [name] */
	const char *q = p + 5;
	m.offset = m.inode = 0;
	for (int field = 0; field < 3 && *q != '\0'; field++) {
		while (*q == ' ')
			q++;
		if (field == 0)
			m.offset = strtoull(q, NULL, 16);
		else if (field == 2)
			m.inode = strtoull(q, NULL, 10);
		while (*q != ' ' && *q != '\0')
			q++;
	}
	while (*q == ' ')
		q++;
	m.name = q;
	return w->fn(&m, w->ctx);
}

int procfs_for_each_mapping(pid_t pid,
    int (*fn)(const struct proc_mapping *m, void *ctx), void *ctx)
{
	char path[PROCFS_PATH_MAX];
	procfs_path(path, sizeof(path), pid, "maps");
	return procfs_for_each_mapping_at(AT_FDCWD, path, fn, ctx);
}

int procfs_for_each_mapping_at(int dirfd, const char *path,
    int (*fn)(const struct proc_mapping *m, void *ctx), void *ctx)
{
	struct mapping_walk w = { .fn = fn, .ctx = ctx };
	return procfs_for_each_line_at(dirfd, path, parse_mapping_line, &w);
}
