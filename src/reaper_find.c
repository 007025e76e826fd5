/* SPDX-License-Identifier: BSD-2-Clause */
#include "reaper_find.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdutil.h"
#include "reaper_cache.h"
#include "reaper_exempt.h"
#include "valgrind_compat.h"

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
 * The orphan probe.  Raw clone(2), not fork(3): no atfork handlers run, and
 * both processes have exit signal 0, so the caller gets no SIGCHLD and
 * wait(2) without __WCLONE never shows them.  The maker names itself (the
 * orphan inherits the name: reaper_exempt.h), forks the orphan and exits
 * once the orphan is ready; the kernel hands the orphan to the caller's
 * reaper.  The orphan enters seccomp strict mode at once: from then on it
 * can only read, write and exit, which is what makes its mark safe for
 * anyone to fake (the maker, a child of the caller with exit signal 0,
 * carries the engine helper's mark instead).  The orphan blocks until the
 * caller, having read its new parent from /proc, closes the hold pipe; the
 * caller then waits for it to be dead, so that no live probe outlasts the
 * call.  Both run on raw system calls only, as a fork child of a threaded
 * process must.
 */
#ifndef SECCOMP_MODE_STRICT
#define SECCOMP_MODE_STRICT 1
#endif

/*
 * Not under valgrind, whose own system calls strict mode forbids; cleared
 * also once strict mode has killed a probe.  Probes are then merely named.
 */
static atomic_bool strict_mode_works = true;

static void enter_strict_mode(bool strict)
{
	/* Refused (an old kernel): the probe is then merely named, too. */
	if (strict)
		(void)syscall(SYS_prctl, (long)PR_SET_SECCOMP, (long)SECCOMP_MODE_STRICT,
		    0L, 0L, 0L);
}

static __attribute__((noreturn)) void probe_orphan_maker(int hold_r, int hold_w,
    int report_w, bool strict)
{
	exempt_name_self();
	int ready[2];
	long orphan = -1;
	if (syscall(SYS_pipe2, ready, (long)O_CLOEXEC) == 0)
		orphan = syscall(SYS_clone, 0L, 0L, 0L, 0L, 0L);
	if (orphan == 0) {
		(void)syscall(SYS_close, (long)hold_w);
		(void)syscall(SYS_close, (long)report_w);
		(void)syscall(SYS_close, (long)ready[0]);
		enter_strict_mode(strict);
		char c = 0;
		(void)syscall(SYS_write, (long)ready[1], &c, 1L);
		/* Until the caller closes its end of the hold pipe. */
		(void)syscall(SYS_read, (long)hold_r, &c, 1L);
		syscall(SYS_exit, 0L);
	}
	(void)syscall(SYS_close, (long)hold_r);
	(void)syscall(SYS_close, (long)hold_w);
	if (orphan > 0) {
		(void)syscall(SYS_close, (long)ready[1]);
		char c;
		/* One byte when the orphan is ready, none if it died. */
		if (syscall(SYS_read, (long)ready[0], &c, 1L) == 1) {
			pid_t pid = (pid_t)orphan;
			(void)syscall(SYS_write, (long)report_w, &pid, (long)sizeof(pid));
		}
	}
	syscall(SYS_exit, 0L);
	__builtin_unreachable();
}

/* Wait (bounded) until the process ref names has exited. */
static void wait_until_dead(const struct pidref *ref)
{
	if (ref->fd >= 0 && !ref->procdir) {
		struct pollfd pfd = { .fd = ref->fd, .events = POLLIN };
		if (poll(&pfd, 1, PROBE_TIMEOUT_MS) >= 0)
			return;
	}
	const struct timespec pause = { 0, 100000 };
	for (int i = 0; i < PROBE_TIMEOUT_MS * 10; i++) {
		struct proc_stat st;
		if (pidref_read_stat(ref, &st) < 0 || proc_stat_is_zombie(&st))
			return;
		nanosleep(&pause, NULL);
	}
}

static int probe_once(pid_t *reaper, bool strict)
{
	int hold[2], report[2];
	if (pipe2(hold, O_CLOEXEC) != 0)
		return -errno;
	if (pipe2(report, O_CLOEXEC) != 0) {
		int err = -errno;
		close(hold[0]);
		close(hold[1]);
		return err;
	}
	/* Known as the caller's own from the instant it exists. */
	_Atomic pid_t *cell = exempt_claim();
	long maker = syscall(SYS_clone, cell ? (long)CLONE_PARENT_SETTID : 0L, 0L,
	    (long)(pid_t *)cell, 0L, 0L);
	if (maker == 0)
		probe_orphan_maker(hold[0], hold[1], report[1], strict);
	int err = maker < 0 ? -errno : 0;
	close(report[1]);
	close(hold[0]);
	if (maker > 0)
		while (waitpid((pid_t)maker, NULL, __WCLONE) < 0 && errno == EINTR)
			;
	exempt_release(cell);

	pid_t orphan = 0;
	struct pollfd pfd = { .fd = report[0], .events = POLLIN };
	if (err == 0 && (poll(&pfd, 1, PROBE_TIMEOUT_MS) != 1 ||
	    read(report[0], &orphan, sizeof(orphan)) != (ssize_t)sizeof(orphan)))
		err = -EAGAIN;
	close(report[0]);

	/* The orphan waits on the hold pipe: its parent is the reaper now. */
	struct pidref ref = PIDREF_NULL;
	struct proc_stat st;
	if (err == 0 && (pidref_open(&ref, orphan, &st) != 0 ||
	    strcmp(st.comm, EXEMPT_NAME) != 0 || st.ppid <= 0))
		err = -EAGAIN;
	if (err == 0) {
		*reaper = st.ppid;
		exempt_remember_probe(&ref);
	}
	close(hold[1]);
	if (ref.pid > 0) {
		wait_until_dead(&ref);
		pidref_close(&ref);
	}
	return err;
}

static int probe_own_reaper(pid_t *reaper)
{
	bool strict = atomic_load(&strict_mode_works) && !under_valgrind();
	int r = probe_once(reaper, strict);
	if (r == -EAGAIN && strict) {
		/* Maybe strict mode killed it (valgrind): once more, without. */
		r = probe_once(reaper, false);
		if (r == 0)
			atomic_store(&strict_mode_works, false);
	}
	return r;
}

/*
 * The caller's reaper, when the caller is not one.  If the parent is init or
 * an announced reaper, nothing can sit between: that is the answer, without
 * a probe.  Otherwise the last probe's answer, while it still holds
 * (reaper_cache.h); otherwise the kernel is asked, through a probe.
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

	pid_t pid = 0;
	if (reaper_cache_lookup(&pid, lookup)) {
		target_reaper(reaper, pid);
		return 0;
	}
	/* The reaper can die between the probe and the lookup; ask again. */
	for (int attempt = 0; attempt < 3; attempt++) {
		int r = probe_own_reaper(&pid);
		if (r < 0)
			return r;
		/* Gone already (not merely hidden)?  Then ask again. */
		if (pid != 1 && kill(pid, 0) != 0 && errno == ESRCH)
			continue;
		reaper_cache_store(pid, lookup);
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

int reaper_find(const struct target *t, struct target *reaper, bool *owned,
    struct registry_lookup *lookup)
{
	int r;

	if (reaper_holds_status(t, lookup)) {
		*owned = true;
		r = target_copy(t, reaper);
	} else if (t->self) {
		*owned = false;
		r = find_for_self(reaper, lookup);
		if (r < 0) {
			/* clone refused (seccomp, RLIMIT_NPROC): ask the registry. */
			struct target self;
			target_self(&self);
			r = procfs_read_stat(0, &self.stat);
			if (r == 0)
				r = find_by_ancestry(&self, reaper, lookup);
		}
	} else {
		*owned = false;
		r = find_by_ancestry(t, reaper, lookup);
	}
	return r;
}
