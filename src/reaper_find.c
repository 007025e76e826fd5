/* SPDX-License-Identifier: BSD-2-Clause */
#include "reaper_find.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdutil.h"

/*
 * The probes this process made recently.  A probe is a zombie child of the
 * reaper until the reaper gets round to reaping it (a busy or lazy init can
 * take seconds), and must not be counted as a descendant meanwhile, by
 * this call or the next.  A small ring of pid and start time: a stale or
 * torn entry only fails to match.
 */
#define PROBE_HISTORY 32
static struct {
	_Atomic pid_t pid;
	_Atomic uint64_t starttime;
} probe_history[PROBE_HISTORY];
static atomic_uint probe_next;

static void remember_probe(pid_t pid)
{
	struct pidref ref;
	/* Already reaped: it can no longer be mistaken for anything. */
	if (pid <= 0 || pidref_open(&ref, pid, NULL) != 0)
		return;
	unsigned int slot = atomic_fetch_add(&probe_next, 1) % PROBE_HISTORY;
	atomic_store(&probe_history[slot].pid, 0);
	atomic_store(&probe_history[slot].starttime, ref.starttime);
	atomic_store(&probe_history[slot].pid, pid);
	pidref_close(&ref);
}

bool reaper_is_own_probe(pid_t pid, uint64_t starttime)
{
	for (unsigned int i = 0; i < PROBE_HISTORY; i++)
		if (atomic_load(&probe_history[i].pid) == pid &&
		    atomic_load(&probe_history[i].starttime) == starttime)
			return true;
	return false;
}

/* Longer ancestor chains than this are not walked (a loop would be a bug). */
#define MAX_ANCESTRY 8192
/* How long the orphan probe may take before the caller gives up on it. */
#define PROBE_TIMEOUT_MS 5000

bool reaper_is_init(const struct target *t)
{
	return t->ref.pid == 1;
}

bool reaper_holds_status(const struct target *t, struct registry_lookup *lookup)
{
	if (reaper_is_init(t))
		return true;
	if (t->self) {
		int on = 0;
		return prctl(PR_GET_CHILD_SUBREAPER, &on, 0, 0, 0) == 0 && on != 0;
	}
	return registry_says_reaper(lookup, &t->ref);
}

/* A copy of t that the caller closes on its own. */
static int target_copy(const struct target *t, struct target *out)
{
	*out = *t;
	if (t->self || t->ref.fd < 0)
		return 0;
	out->ref.fd = fcntl(t->ref.fd, F_DUPFD_CLOEXEC, 0);
	return out->ref.fd < 0 ? -errno : 0;
}

/*
 * A reaper as a target.  Where /proc hides it (hidepid), it is still named,
 * by pid only: its tree then shows nothing the caller may not see anyway.
 */
static void target_reaper(struct target *out, pid_t pid)
{
	if (pid == getpid()) {
		target_self(out);
		return;
	}
	if (target_open(out, pid, ACCESS_SEE) == 0)
		return;
	memset(out, 0, sizeof(*out));
	out->ref = PIDREF_NULL;
	out->ref.pid = pid;
}

static void target_init(struct target *out)
{
	target_reaper(out, 1);
}

/*
 * The orphan probe.  Raw clone(2), not fork(3): no atfork handlers run,
 * and the first process has exit signal 0, so the caller gets no SIGCHLD
 * and wait(2) without __WCLONE never shows it.  That process forks a second
 * and exits at once; the kernel hands the orphan to the caller's reaper,
 * and the orphan reports its new parent.  Both run on raw system calls
 * only, as a fork child of a threaded process must.
 */
static __attribute__((noreturn)) void probe_orphan_maker(int report_fd)
{
	pid_t maker = (pid_t)syscall(SYS_getpid);
	long orphan = syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (orphan == 0) {
		const struct timespec pause = { 0, 100000 };
		for (int i = 0; i < PROBE_TIMEOUT_MS * 10; i++) {
			pid_t parent = (pid_t)syscall(SYS_getppid);
			if (parent != maker) {
				pid_t report[2] = { parent, (pid_t)syscall(SYS_getpid) };
				(void)syscall(SYS_write, report_fd, report, sizeof(report));
				break;
			}
			(void)syscall(SYS_nanosleep, &pause, NULL);
		}
		syscall(SYS_exit_group, 0L);
	}
	syscall(SYS_exit_group, orphan < 0 ? 1L : 0L);
	__builtin_unreachable();
}

static int probe_own_reaper(pid_t *reaper)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return -errno;
	long maker = syscall(SYS_clone, 0L, 0L, 0L, 0L, 0L);
	if (maker == 0)
		probe_orphan_maker(p[1]);
	int err = maker < 0 ? errno : 0;
	close(p[1]);
	if (maker < 0) {
		close(p[0]);
		return -err;
	}
	while (waitpid((pid_t)maker, NULL, __WCLONE) < 0 && errno == EINTR)
		;

	pid_t report[2] = { 0, 0 };
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	int r = poll(&pfd, 1, PROBE_TIMEOUT_MS);
	ssize_t n = r == 1 ? read(p[0], report, sizeof(report)) : -1;
	close(p[0]);
	if (n != (ssize_t)sizeof(report) || report[0] <= 0)
		return -EAGAIN;
	*reaper = report[0];
	remember_probe(report[1]);
	return 0;
}

/*
 * The caller's reaper, when the caller is not one.  If the parent is init or
 * an announced reaper, nothing can sit between: that is the answer, without
 * a probe.  Otherwise the kernel is asked, through the probe.
 */
static int find_for_self(struct target *reaper, struct registry_lookup *lookup)
{
	pid_t ppid = getppid();
	if (ppid <= 1) {
		target_init(reaper);
		return 0;
	}
	struct target parent = { .self = false };
	if (pidref_open(&parent.ref, ppid, &parent.stat) == 0) {
		if (getppid() == ppid && reaper_holds_status(&parent, lookup)) {
			*reaper = parent;
			return 0;
		}
		pidref_close(&parent.ref);
	}

	/* The reaper can die between the probe and the lookup; ask again. */
	for (int attempt = 0; attempt < 3; attempt++) {
		pid_t pid = 0;
		int r = probe_own_reaper(&pid);
		if (r < 0)
			return r;
		/* Gone already (not merely hidden)?  Then ask again. */
		if (pid != 1 && kill(pid, 0) != 0 && errno == ESRCH)
			continue;
		target_reaper(reaper, pid);
		return 0;
	}
	return -EAGAIN;
}

/* cur's stat now, still under its reference. */
static int reread(const struct target *cur, struct proc_stat *now)
{
	return cur->self ? procfs_read_stat(0, now) : pidref_read_stat(&cur->ref, now);
}

static int find_by_ancestry(const struct target *t, struct target *reaper,
    struct registry_lookup *lookup)
{
	struct target cur;
	int r = target_copy(t, &cur);
	if (r < 0)
		return r;

	for (int depth = 0; depth < MAX_ANCESTRY; depth++) {
		pid_t ppid = cur.stat.ppid;
		if (ppid <= 1) {
			/* 0: the parent is outside the caller's pid namespace. */
			target_close(&cur);
			target_init(reaper);
			return 0;
		}
		if (ppid == getpid()) {
			target_close(&cur);
			struct target self;
			target_self(&self);
			if (reaper_holds_status(&self, lookup)) {
				*reaper = self;
				return 0;
			}
			return find_for_self(reaper, lookup);
		}

		struct target parent = { .self = false };
		r = pidref_open(&parent.ref, ppid, &parent.stat);
		struct proc_stat now;
		int still = reread(&cur, &now);
		if (still < 0) {
			/* cur itself is gone. */
			pidref_close(&parent.ref);
			target_close(&cur);
			return still;
		}
		if (r == -ESRCH || (r == 0 && now.ppid != ppid)) {
			/* The parent died and cur was reparented: follow the new one. */
			pidref_close(&parent.ref);
			cur.stat = now;
			continue;
		}
		target_close(&cur);
		if (r < 0)
			return r;
		if (reaper_holds_status(&parent, lookup)) {
			*reaper = parent;
			return 0;
		}
		cur = parent;
	}
	target_close(&cur);
	return -ELOOP;
}

int reaper_find(const struct target *t, struct target *reaper, bool *owned)
{
	struct registry_lookup lookup = REGISTRY_LOOKUP_INIT;
	int r;

	if (reaper_holds_status(t, &lookup)) {
		*owned = true;
		r = target_copy(t, reaper);
	} else if (t->self) {
		*owned = false;
		r = find_for_self(reaper, &lookup);
		if (r < 0) {
			/* clone refused (seccomp, RLIMIT_NPROC): ask the registry. */
			struct target self;
			target_self(&self);
			r = procfs_read_stat(0, &self.stat);
			if (r == 0)
				r = find_by_ancestry(&self, reaper, &lookup);
		}
	} else {
		*owned = false;
		r = find_by_ancestry(t, reaper, &lookup);
	}
	registry_lookup_close(&lookup);
	return r;
}
