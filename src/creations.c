/* SPDX-License-Identifier: BSD-2-Clause */
#include "creations.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "procfs.h"

/*
 * How many processes (and threads) the kernel has created since boot: the
 * "processes" line of /proc/stat, which no process can set back.
 * false: not known.
 */
static bool forks_so_far(unsigned long long *count)
{
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* The kernel's own, not a container's stand-in (lxcfs serves one by FUSE). */
	struct statfs fs;
	if (fstatfs(fd, &fs) != 0 || fs.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		return false;
	}
	/* Read in pieces, the end of each kept: the line may span two. */
	static const char key[] = "\nprocesses ";
	const size_t key_len = sizeof(key) - 1;
	char buf[4096 + 64];
	size_t kept = 0;
	bool found = false;
	for (;;) {
		ssize_t n = read(fd, buf + kept, sizeof(buf) - 1 - kept);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t len = kept + (size_t)n;
		buf[len] = '\0';
		char *line = strstr(buf, key);
		if (line != NULL) {
			char *num = line + key_len, *end;
			if (strchr(num, '\n') != NULL) {
				errno = 0;
				*count = strtoull(num, &end, 10);
				found = end != num && *end == '\n' && errno == 0;
				break;
			}
			/* Cut short: keep the line's start (a few bytes) and read on. */
			kept = len - (size_t)(line - buf);
			memmove(buf, line, kept);
			continue;
		}
		kept = len < key_len ? len : key_len;
		memmove(buf, buf + len - kept, kept);
	}
	close(fd);
	return found;
}

/* The caller's own threads now: procfs counts them in its task directory's links. */
static bool own_threads(long long *count)
{
	struct statx stx;
	if (statx(AT_FDCWD, "/proc/self/task", 0, STATX_NLINK, &stx) != 0 ||
	    !(stx.stx_mask & STATX_NLINK) || stx.stx_nlink < 3)
		return false;
	*count = (long long)stx.stx_nlink - 2;
	return true;
}

/*
 * Processes created anywhere, and the caller's own threads, at one moment.
 * The io_uring reader's io-wq workers are threads of the caller, created
 * (and counted as forks) when a batch needs them: a walk between two
 * readings saw no other creation exactly when the forks grew by as much as
 * the caller's threads.  Any creation between the two reads of one reading
 * only makes the forks grow more (forks first at the start, last at the end).
 */
bool creations_now(struct creations *c, bool at_start)
{
	if (at_start)
		return forks_so_far(&c->forks) && own_threads(&c->threads);
	return own_threads(&c->threads) && forks_so_far(&c->forks);
}

/* No process but the caller's own new threads was created between a and b. */
/*
 * The ended thread is looked for after b was read: listed then, it was
 * listed in b too, or it went in between, and then the sum comes out one
 * too high, which gives no answer: never an answer too kind.
 */
static unsigned long long ended_and_gone(pid_t ended)
{
	return ended > 0 && !procfs_own_thread_listed(ended) ? 1 : 0;
}

bool creations_none_but_own_threads(const struct creations *a, const struct creations *b,
    pid_t ended)
{
	long long own = b->threads - a->threads;
	/* Threads of the caller that ended (own < 0) hide creations: no answer. */
	return own >= 0 && b->forks >= a->forks &&
	    b->forks - a->forks == (unsigned long long)own + ended_and_gone(ended);
}

