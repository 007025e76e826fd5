/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_REAP_STATUS, PROC_REAP_GETPIDS and PROC_REAP_KILL, after FreeBSD's
 * tests/sys/kern/reaper.c and the rules of newest FreeBSD.  Its sequences,
 * in our words: reaper_wait_child_first and _grandchild_first (the first
 * two tests), reaper_sigchld_child_first and _grandchild_first (the next
 * two), reaper_status, reaper_getpids, reaper_kill_badsig and _sigzero
 * (bad_signals_and_flags_are_einval), reaper_kill_empty, reaper_kill_normal
 * (kill_signals_every_descendant), reaper_kill_subtree.  reaper_pdfork has
 * no Linux counterpart.
 *
 * Each test body runs as PID 2 of its own user+pid namespace and becomes
 * the reaper there, so that its descendants are its own and whatever it
 * leaves behind dies with the namespace.  (Where namespaces are refused it
 * runs in a plain child, and reaps what it forks on every normal path.)
 */
#include "reaper-body.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers for the bodies (which run in a child: CHECK only) ---- */

/* A child that pauses; with grandchild set, it first forks a pausing child. */
static pid_t spawn_pauser(bool grandchild, pid_t *grandchild_pid)
{
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t pid = spawn();
	if (pid == 0) {
		pid_t g = 0;
		if (grandchild) {
			g = spawn();
			if (g == 0)
				pause_forever();
		}
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(98);
		pause_forever();
	}
	pid_t g = 0;
	CHECK_EQ(read(p[0], &g, sizeof(g)), sizeof(g));
	close(p[0]);
	close(p[1]);
	if (grandchild_pid != NULL)
		*grandchild_pid = g;
	return pid;
}

static struct procctl_reaper_status status_of(pid_t pid)
{
	struct procctl_reaper_status rs;
	memset(&rs, 0xa5, sizeof(rs));
	CHECK_OK(P_PID, (id_t)pid, PROC_REAP_STATUS, &rs);
	return rs;
}

#define MAX_INFO 16

/* GETPIDS into a zeroed array; returns the number of VALID entries. */
static int getpids(pid_t pid, struct procctl_reaper_pidinfo info[MAX_INFO])
{
	memset(info, 0, MAX_INFO * sizeof(*info));
	struct procctl_reaper_pids rp = { .rp_count = MAX_INFO, .rp_pids = info };
	CHECK_OK(P_PID, (id_t)pid, PROC_REAP_GETPIDS, &rp);
	int n = 0;
	while (n < MAX_INFO && (info[n].pi_flags & REAPER_PIDINFO_VALID))
		n++;
	return n;
}

static const struct procctl_reaper_pidinfo *find_info(
    const struct procctl_reaper_pidinfo *info, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (info[i].pi_pid == pid)
			return &info[i];
	return NULL;
}

static int reap(pid_t pid)
{
	int status;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	CHECK_EQ(got, pid);
	return status;
}

/* Reap every child; used at the end of bodies that killed a tree. */
static void reap_all(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

static void wait_for_state(pid_t pid, const char *states)
{
	CHECK(tl_wait_state(pid, states, 10000));
}

/* ---- FreeBSD's reaper_wait_child_first ---- */

static void orphan_comes_to_the_reaper(void *arg)
{
	(void)arg;
	acquire();
	CHECK_ERRNO(ECHILD, waitpid(-1, NULL, WNOHANG));
	const pid_t self = getpid();
	pid_t x = spawn();
	if (x == 0) {
		pid_t g = fork();
		if (g < 0)
			_exit(90);
		if (g == 0) {
			/* Once the child is gone, the reaper is the parent. */
			for (int i = 0; i < 100000 && getppid() != self; i++)
				usleep(100);
			_exit(getppid() == self ? 2 : 1);
		}
		_exit(3);
	}
	int status = reap(x);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	pid_t g = waitpid(-1, &status, 0);
	CHECK(g > 0 && g != x);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

static void an_orphan_whose_parent_exits_first_is_collected_by_the_reaper(void **state)
{
	(void)state;
	run_body(orphan_comes_to_the_reaper, NULL);
}

/* ---- FreeBSD's reaper_wait_grandchild_first ---- */

static void zombie_grandchild_comes_to_the_reaper(void *arg)
{
	(void)arg;
	acquire();
	pid_t x = spawn();
	if (x == 0) {
		pid_t g = fork();
		if (g < 0)
			_exit(90);
		if (g == 0)
			_exit(2);
		siginfo_t si;
		/* Let the grandchild become a zombie, without reaping it. */
		if (waitid(P_PID, (id_t)g, &si, WEXITED | WNOWAIT) != 0)
			_exit(91);
		_exit(3);
	}
	int status = reap(x);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	pid_t g = waitpid(-1, &status, 0);
	CHECK(g > 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

static void a_zombie_grandchild_is_reparented_and_collected(void **state)
{
	(void)state;
	run_body(zombie_grandchild_comes_to_the_reaper, NULL);
}

/* ---- FreeBSD's reaper_sigchld_child_first and _grandchild_first ---- */

static void sigchld_for_both(void *arg)
{
	bool grandchild_first = arg != NULL;
	acquire();
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	CHECK(sigprocmask(SIG_BLOCK, &chld, NULL) == 0);
	int go[2];
	CHECK(pipe(go) == 0);

	pid_t x = spawn();
	if (x == 0) {
		close(go[1]);
		pid_t g = fork();
		if (g < 0)
			_exit(90);
		if (g == 0) {
			/* Child first: exit only when the reaper says so. */
			char c;
			if (!grandchild_first && read(go[0], &c, 1) != 1)
				_exit(92);
			_exit(2);
		}
		if (grandchild_first) {
			siginfo_t si;
			if (waitid(P_PID, (id_t)g, &si, WEXITED | WNOWAIT) != 0)
				_exit(91);
		}
		_exit(3);
	}
	close(go[0]);

	struct timespec limit = { 5, 0 };
	siginfo_t si;
	int status;
	if (!grandchild_first) {
		CHECK_EQ(sigtimedwait(&chld, &si, &limit), SIGCHLD);
		CHECK_EQ(si.si_code, CLD_EXITED);
		CHECK_EQ(si.si_pid, x);
		CHECK_EQ(si.si_status, 3);
		reap(x);
		CHECK_EQ(write(go[1], "x", 1), 1);
	}
	/*
	 * The orphan's exit reaches the reaper as a SIGCHLD of its own.  When
	 * the grandchild died first, Linux notifies its new parent while the
	 * child exits, before the child's own notice; signals do not queue,
	 * so the one SIGCHLD that arrives carries the grandchild.
	 */
	CHECK_EQ(sigtimedwait(&chld, &si, &limit), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK(si.si_pid != x && si.si_pid != getpid());
	CHECK_EQ(si.si_status, 2);
	status = reap(si.si_pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	if (grandchild_first) {
		status = reap(x);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	}
	close(go[1]);
}

static void the_reaper_gets_sigchld_for_an_orphan(void **state)
{
	(void)state;
	run_body(sigchld_for_both, NULL);
}

static void the_reaper_gets_sigchld_for_a_zombie_orphan(void **state)
{
	(void)state;
	run_body(sigchld_for_both, (void *)1);
}

/* ---- FreeBSD's reaper_status ---- */

static void status_before_and_after_acquire(void *arg)
{
	(void)arg;
	pid_t self = getpid();
	struct procctl_reaper_status rs = status_of(0);
	/* Not a reaper: the answer describes our reaper, and we are among its own. */
	CHECK(!(rs.rs_flags & REAPER_STATUS_OWNED));
	CHECK(rs.rs_reaper > 0 && rs.rs_reaper != self);
	CHECK(rs.rs_children > 0);
	CHECK(rs.rs_descendants >= rs.rs_children);

	CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	rs = status_of(0);
	CHECK_EQ(rs.rs_flags & (REAPER_STATUS_OWNED | REAPER_STATUS_REALINIT),
	    REAPER_STATUS_OWNED);
	CHECK_EQ(rs.rs_children, 0);
	CHECK_EQ(rs.rs_descendants, 0);
	CHECK_EQ(rs.rs_reaper, self);
	CHECK_EQ(rs.rs_pid, -1);
	/* The reserved words are zero. */
	for (int i = 0; i < 15; i++)
		CHECK_EQ(rs.rs_pad0[i], 0);

	int p[2];
	CHECK(pipe(p) == 0);
	pid_t child = spawn();
	if (child == 0) {
		struct procctl_reaper_status own;
		int ok = procctl(P_PID, 0, PROC_REAP_STATUS, &own) == 0 &&
		    !(own.rs_flags & (REAPER_STATUS_OWNED | REAPER_STATUS_REALINIT)) &&
		    own.rs_children == 1 && own.rs_descendants == 1 &&
		    own.rs_reaper == self && own.rs_pid == getpid();
		if (write(p[1], &ok, sizeof(ok)) != sizeof(ok))
			_exit(90);
		pause_forever();
	}
	int child_ok = 0;
	CHECK_EQ(read(p[0], &child_ok, sizeof(child_ok)), sizeof(child_ok));
	CHECK_EQ(child_ok, 1);

	rs = status_of(0);
	CHECK_EQ(rs.rs_flags & (REAPER_STATUS_OWNED | REAPER_STATUS_REALINIT),
	    REAPER_STATUS_OWNED);
	CHECK_EQ(rs.rs_children, 1);
	CHECK_EQ(rs.rs_descendants, 1);
	CHECK_EQ(rs.rs_reaper, self);
	CHECK_EQ(rs.rs_pid, child);

	/* Asked of the child from here: the same reaper, seen from below. */
	rs = status_of(child);
	CHECK(!(rs.rs_flags & REAPER_STATUS_OWNED));
	CHECK_EQ(rs.rs_reaper, self);
	CHECK_EQ(rs.rs_pid, child);

	kill(child, SIGKILL);
	reap(child);
	rs = status_of(0);
	CHECK_EQ(rs.rs_children, 0);
	CHECK_EQ(rs.rs_descendants, 0);
	CHECK_EQ(rs.rs_pid, -1);
}

static void status_follows_freebsds_reaper_status_test(void **state)
{
	(void)state;
	run_body(status_before_and_after_acquire, NULL);
}

static void init_status(void *arg)
{
	(void)arg;
	CHECK_EQ(getpid(), 1);
	struct procctl_reaper_status rs = status_of(0);
	CHECK_EQ(rs.rs_flags, REAPER_STATUS_OWNED | REAPER_STATUS_REALINIT);
	CHECK_EQ(rs.rs_reaper, 1);
	pid_t child = spawn_pauser(false, NULL);
	rs = status_of(child);
	CHECK_EQ(rs.rs_flags, REAPER_STATUS_REALINIT);
	CHECK_EQ(rs.rs_reaper, 1);
	CHECK(rs.rs_children >= 1);
	kill(child, SIGKILL);
	reap(child);
}

static void init_is_realinit_and_owned(void **state)
{
	(void)state;
	if (!tl_run_in_pid_namespace(init_status, NULL, true))
		tl_skip("needs to be PID 1 of a pid namespace, refused here: %s",
		    tl_pid_namespace_refusal());
}

/* ---- FreeBSD's reaper_getpids ---- */

static void getpids_as_the_tree_changes(void *arg)
{
	(void)arg;
	acquire();
	struct procctl_reaper_pidinfo info[MAX_INFO];
	CHECK_EQ(getpids(0, info), 0);

	int go[2];
	CHECK(pipe(go) == 0);
	pid_t child = spawn();
	if (child == 0) {
		char c;
		/* Wait for the signal to fork the grandchild. */
		if (read(go[0], &c, 1) != 1)
			_exit(90);
		pid_t g = spawn();
		if (g == 0) {
			if (read(go[0], &c, 1) != 1)
				_exit(91);
			_exit(0);
		}
		pause_forever();
	}
	CHECK_EQ(getpids(0, info), 1);
	CHECK_EQ(info[0].pi_pid, child);
	CHECK_EQ(info[0].pi_subtree, child);
	CHECK_EQ(info[0].pi_flags, REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD);

	CHECK_EQ(write(go[1], "g", 1), 1);
	int n;
	for (int i = 0; (n = getpids(0, info)) < 2 && i < 5000; i++)
		usleep(1000);
	CHECK_EQ(n, 2);
	/* Newest first: the grandchild, then the child. */
	pid_t g = info[0].pi_pid;
	CHECK(g != child);
	CHECK_EQ(info[0].pi_subtree, child);
	CHECK_EQ(info[0].pi_flags, REAPER_PIDINFO_VALID);
	CHECK_EQ(info[1].pi_pid, child);
	CHECK_EQ(info[1].pi_flags, REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD);

	kill(child, SIGTERM);
	reap(child);
	/*
	 * The grandchild is now the reaper's child, and keeps the dead child's
	 * pid as its subtree, as on FreeBSD: the reaper remembers the branch
	 * it saw it in (Linux itself keeps no trace).
	 */
	CHECK_EQ(getpids(0, info), 1);
	CHECK_EQ(info[0].pi_pid, g);
	CHECK_EQ(info[0].pi_flags, REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD);
	CHECK_EQ(info[0].pi_subtree, child);

	/* Exited but not reaped: still listed, as a zombie child. */
	CHECK_EQ(write(go[1], "x", 1), 1);
	wait_for_state(g, "Z");
	CHECK_EQ(getpids(0, info), 1);
	CHECK_EQ(info[0].pi_flags,
	    REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD | REAPER_PIDINFO_ZOMBIE);
	CHECK_EQ(info[0].pi_subtree, child);
	reap(g);
	CHECK_EQ(getpids(0, info), 0);
}

static void getpids_follows_freebsds_reaper_getpids_test(void **state)
{
	(void)state;
	run_body(getpids_as_the_tree_changes, NULL);
}

static void truncated_and_bad_arrays(void *arg)
{
	(void)arg;
	acquire();
	pid_t a = spawn_pauser(false, NULL), b = spawn_pauser(false, NULL);
	pid_t c = spawn_pauser(false, NULL);

	struct procctl_reaper_pidinfo info[3];
	memset(info, 0x5a, sizeof(info));
	struct procctl_reaper_pids rp = { .rp_count = 1, .rp_pids = info };
	CHECK_OK(P_PID, 0, PROC_REAP_GETPIDS, &rp);
	CHECK_EQ(info[0].pi_pid, c);   /* the newest */
	CHECK(info[0].pi_flags & REAPER_PIDINFO_VALID);
	for (int i = 0; i < 15; i++)
		CHECK_EQ(info[0].pi_pad0[i], 0);
	/* Nothing past rp_count is written. */
	const unsigned char *rest = (const unsigned char *)&info[1];
	for (size_t i = 0; i < 2 * sizeof(info[0]); i++)
		CHECK_EQ(rest[i], 0x5a);

	rp.rp_count = 0;
	rp.rp_pids = NULL;
	CHECK_OK(P_PID, 0, PROC_REAP_GETPIDS, &rp);

	rp.rp_count = 3;
	rp.rp_pids = NULL;
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_REAP_GETPIDS, &rp);
	rp.rp_pids = (void *)1;
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_REAP_GETPIDS, &rp);
	/* Room for two, but the second runs into a read-only page. */
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK(mprotect(m + page, page, PROT_READ) == 0);
	rp.rp_pids = (void *)(m + page - sizeof(info[0]));
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_REAP_GETPIDS, &rp);
	munmap(m, 2 * page);

	CHECK_FAILS(EFAULT, P_PID, 0, PROC_REAP_GETPIDS, NULL);
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_REAP_STATUS, NULL);
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_REAP_KILL, NULL);

	kill(a, SIGKILL);
	kill(b, SIGKILL);
	kill(c, SIGKILL);
	reap_all();
}

static void getpids_writes_at_most_rp_count_and_faults_cleanly(void **state)
{
	(void)state;
	run_body(truncated_and_bad_arrays, NULL);
}

static void flags_of_states(void *arg)
{
	(void)arg;
	acquire();
	pid_t stopped = spawn_pauser(false, NULL);
	pid_t zombie = spawn();
	if (zombie == 0)
		_exit(0);
	kill(stopped, SIGSTOP);
	wait_for_state(stopped, "T");
	wait_for_state(zombie, "Z");

	struct procctl_reaper_pidinfo info[MAX_INFO];
	int n = getpids(0, info);
	CHECK_EQ(n, 2);
	const struct procctl_reaper_pidinfo *s = find_info(info, n, stopped);
	const struct procctl_reaper_pidinfo *z = find_info(info, n, zombie);
	CHECK(s != NULL && z != NULL);
	CHECK_EQ(s->pi_flags, REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD | REAPER_PIDINFO_STOPPED);
	CHECK_EQ(z->pi_flags, REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD | REAPER_PIDINFO_ZOMBIE);

	/* A ptrace stop is a stop too (FreeBSD's P_STOPPED_TRACE). */
	pid_t traced = spawn_pauser(false, NULL);
	if (ptrace(PTRACE_SEIZE, traced, 0, 0) == 0 &&
	    ptrace(PTRACE_INTERRUPT, traced, 0, 0) == 0) {
		int st;
		CHECK_EQ(waitpid(traced, &st, 0), traced);
		CHECK(WIFSTOPPED(st));
		n = getpids(0, info);
		const struct procctl_reaper_pidinfo *t = find_info(info, n, traced);
		CHECK(t != NULL);
		CHECK_EQ(t->pi_flags,
		    REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD | REAPER_PIDINFO_STOPPED);
	}
	kill(traced, SIGKILL);
	kill(stopped, SIGKILL);
	reap_all();
}

static void zombie_and_stopped_are_flagged(void **state)
{
	(void)state;
	run_body(flags_of_states, NULL);
}

static void *park_thread(void *arg)
{
	(void)arg;
	pause_forever();
	return NULL;
}

/* Linux shows such a process as 'Z'; it is alive, and FreeBSD would say so. */
static void leader_gone(void *arg)
{
	(void)arg;
	acquire();
	pid_t child = spawn();
	if (child == 0) {
		pthread_t th;
		if (pthread_create(&th, NULL, park_thread, NULL) != 0)
			_exit(90);
		syscall(SYS_exit, 0);   /* the main thread only */
	}
	wait_for_state(child, "Z");
	struct procctl_reaper_pidinfo info[MAX_INFO];
	CHECK_EQ(getpids(0, info), 1);
	CHECK_EQ(info[0].pi_flags, REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD);
	/* And REAP_KILL does not pass it over as a zombie. */
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 1);
	int status = reap(child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void a_process_whose_main_thread_exited_is_alive(void **state)
{
	(void)state;
	run_body(leader_gone, NULL);
}

/* ---- nested reapers ---- */

static void nested(void *arg)
{
	(void)arg;
	acquire();
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t inner = spawn();
	if (inner == 0) {
		if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0)
			_exit(90);
		pid_t g = spawn();
		if (g == 0)
			pause_forever();
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(91);
		pause_forever();
	}
	pid_t g = 0;
	CHECK_EQ(read(p[0], &g, sizeof(g)), sizeof(g));

	/* The outer reaper lists the inner one, flagged, and not below it. */
	struct procctl_reaper_pidinfo info[MAX_INFO];
	CHECK_EQ(getpids(0, info), 1);
	CHECK_EQ(info[0].pi_pid, inner);
	CHECK_EQ(info[0].pi_flags,
	    REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD | REAPER_PIDINFO_REAPER);
	struct procctl_reaper_status rs = status_of(0);
	CHECK_EQ(rs.rs_descendants, 1);

	/* The grandchild belongs to the inner reaper. */
	rs = status_of(g);
	CHECK_EQ(rs.rs_reaper, inner);
	CHECK(!(rs.rs_flags & REAPER_STATUS_OWNED));
	rs = status_of(inner);
	CHECK_EQ(rs.rs_flags & REAPER_STATUS_OWNED, REAPER_STATUS_OWNED);
	CHECK_EQ(rs.rs_reaper, inner);
	CHECK_EQ(rs.rs_descendants, 1);
	CHECK_EQ(getpids(inner, info), 1);
	CHECK_EQ(info[0].pi_pid, g);

	/* KILL from the outer reaper reaches below the inner one. */
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 2);
	CHECK_EQ(rk.rk_fpid, -1);
	reap(inner);
	/* The inner reaper's orphan comes here once it is gone. */
	reap_all();
	CHECK_EQ(getpids(0, info), 0);
}

static void a_nested_reaper_keeps_its_own_descendants(void **state)
{
	(void)state;
	run_body(nested, NULL);
}

/* ---- REAP_KILL ---- */

static void bad_kill_arguments(void *arg)
{
	(void)arg;
	acquire();
	pid_t child = spawn_pauser(false, NULL);
	const int bad_signals[] = { -1, 0, 65, 129, 1000 };
	for (size_t i = 0; i < sizeof(bad_signals) / sizeof(bad_signals[0]); i++) {
		struct procctl_reaper_kill rk = { .rk_sig = bad_signals[i], .rk_killed = 77 };
		CHECK_FAILS(EINVAL, P_PID, 0, PROC_REAP_KILL, &rk);
		/* Rejected before anything is reset. */
		CHECK_EQ(rk.rk_killed, 77);
	}
	const unsigned int bad_flags[] = { 4, 0x100,
	    REAPER_KILL_CHILDREN | REAPER_KILL_SUBTREE };
	for (size_t i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		struct procctl_reaper_kill rk = { .rk_sig = SIGTERM, .rk_flags = bad_flags[i] };
		CHECK_FAILS(EINVAL, P_PID, 0, PROC_REAP_KILL, &rk);
	}
	/* None of that touched the child. */
	CHECK_EQ(kill(child, 0), 0);
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL, .rk_flags = REAPER_KILL_SUBTREE,
	    .rk_subtree = tl_unused_pid(), .rk_killed = 5 };
	CHECK_FAILS(ESRCH, P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 0);
	CHECK_EQ(kill(child, 0), 0);
	kill(child, SIGKILL);
	reap(child);
}

static void bad_signals_and_flags_are_einval(void **state)
{
	(void)state;
	run_body(bad_kill_arguments, NULL);
}

static void empty_kill(void *arg)
{
	(void)arg;
	acquire();
	struct procctl_reaper_kill rk = { .rk_sig = SIGTERM, .rk_killed = 77, .rk_fpid = 5 };
	CHECK_FAILS(ESRCH, P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 0);
	CHECK_EQ(rk.rk_fpid, -1);
	rk.rk_flags = REAPER_KILL_CHILDREN;
	CHECK_FAILS(ESRCH, P_PID, 0, PROC_REAP_KILL, &rk);
}

static void nothing_to_kill_is_esrch_with_rk_killed_reset(void **state)
{
	(void)state;
	run_body(empty_kill, NULL);
}

static void kill_all(void *arg)
{
	(void)arg;
	acquire();
	pid_t g;
	pid_t child = spawn_pauser(true, &g);
	struct procctl_reaper_kill rk = { .rk_sig = SIGTERM };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 2);
	CHECK_EQ(rk.rk_fpid, -1);
	int status = reap(child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	status = reap(g);   /* reparented to us when its parent died */
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

static void kill_signals_every_descendant(void **state)
{
	(void)state;
	run_body(kill_all, NULL);
}

static void kill_subtrees(void *arg)
{
	(void)arg;
	acquire();
	pid_t g1, g2;
	pid_t c1 = spawn_pauser(true, &g1);
	pid_t c2 = spawn_pauser(true, &g2);

	struct procctl_reaper_kill rk = { .rk_sig = SIGUSR1,
	    .rk_flags = REAPER_KILL_SUBTREE, .rk_subtree = c1 };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 2);
	CHECK_EQ(rk.rk_fpid, -1);
	int status = reap(c1);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1);
	status = reap(g1);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1);
	/* The other branch is untouched. */
	CHECK_EQ(kill(c2, 0), 0);
	CHECK_EQ(kill(g2, 0), 0);

	rk = (struct procctl_reaper_kill){ .rk_sig = SIGUSR2,
	    .rk_flags = REAPER_KILL_SUBTREE, .rk_subtree = c2 };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 2);
	status = reap(c2);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR2);
	status = reap(g2);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR2);
}

static void subtree_signals_one_branch(void **state)
{
	(void)state;
	run_body(kill_subtrees, NULL);
}

static void kill_children(void *arg)
{
	(void)arg;
	acquire();
	pid_t g1, g2;
	pid_t c1 = spawn_pauser(true, &g1);
	pid_t c2 = spawn_pauser(true, &g2);
	struct procctl_reaper_kill rk = { .rk_sig = SIGTERM, .rk_flags = REAPER_KILL_CHILDREN };
	/* The manual's 0, not newest FreeBSD's stray ESRCH (docs/COMPAT.md). */
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 2);
	CHECK_EQ(rk.rk_fpid, -1);
	int status = reap(c1);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	reap(c2);
	/* The grandchildren were not signalled; they are ours now. */
	CHECK_EQ(kill(g1, 0), 0);
	CHECK_EQ(kill(g2, 0), 0);
	kill(g1, SIGKILL);
	kill(g2, SIGKILL);
	reap_all();
}

static void children_mode_signals_only_direct_children(void **state)
{
	(void)state;
	run_body(kill_children, NULL);
}

static void non_reaper_kill(void *arg)
{
	(void)arg;
	acquire();
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t sibling = spawn_pauser(false, NULL);
	pid_t caller = spawn();
	if (caller == 0) {
		/* Not a reaper: acts on its reaper's list, which holds itself. */
		signal(SIGUSR1, SIG_IGN);
		struct procctl_reaper_kill rk = { .rk_sig = SIGUSR1 };
		int ok = procctl(P_PID, 0, PROC_REAP_KILL, &rk) == 0 && rk.rk_killed == 2;
		if (write(p[1], &ok, sizeof(ok)) != sizeof(ok))
			_exit(90);
		_exit(0);
	}
	int ok = 0;
	CHECK_EQ(read(p[0], &ok, sizeof(ok)), sizeof(ok));
	CHECK_EQ(ok, 1);
	int status = reap(sibling);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1);
	reap(caller);
}

static void a_non_reaper_signals_its_reapers_list_and_itself(void **state)
{
	(void)state;
	run_body(non_reaper_kill, NULL);
}

/*
 * A small tree that keeps forking while it is killed.  Three forkers each
 * fork up to 15 short-lived children, as fast as they can; REAP_KILL must
 * leave nothing alive.  It runs in its own pid namespace, so that whatever
 * happens, the namespace dies with the test; where none may be made (a
 * container), below a subreaper that kills whatever is left.  Its forks are
 * bounded (3 x 15), so that is safe.
 */
static void storm(void *arg)
{
	(void)arg;
	acquire();
	for (int i = 0; i < 3; i++) {
		pid_t forker = spawn();
		if (forker == 0) {
			for (int n = 0; n < 15; n++) {
				pid_t c = fork();
				if (c == 0) {
					usleep(200000);
					_exit(0);
				}
				usleep(2000);
			}
			pause_forever();
		}
	}
	usleep(10000);
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK(rk.rk_killed >= 3);
	/* Everything left is dying: reaping must finish, and nothing is new. */
	reap_all();
	struct procctl_reaper_status rs = status_of(0);
	CHECK_EQ(rs.rs_descendants, 0);
}

static void a_forking_tree_does_not_escape_kill(void **state)
{
	(void)state;
	if (!tl_run_in_pid_namespace(storm, NULL, false))
		tl_run_below_subreaper(storm, NULL);
}

/*
 * A pid reused by another process after the list was taken.  In a private
 * pid namespace, PID 1 writes ns_last_pid so that its next fork takes the
 * pid the reaper's victim had.
 */
static void run_recycle(void *arg)
{
	(void)arg;
	CHECK_EQ(getpid(), 1);
	int ask[2], tell[2];
	CHECK(pipe(ask) == 0 && pipe(tell) == 0);
	pid_t reaper = spawn();
	if (reaper == 0) {
		CHECK(dup2(ask[1], 3) == 3 && dup2(tell[0], 4) == 4);
		CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
		pid_t victim = spawn_pauser(false, NULL);
		struct procctl_reaper_pidinfo info[MAX_INFO];
		CHECK_EQ(getpids(0, info), 1);
		CHECK_EQ(info[0].pi_pid, victim);
		kill(victim, SIGKILL);
		reap(victim);
		CHECK_EQ(write(3, &victim, sizeof(victim)), sizeof(victim));
		pid_t taken = 0;
		CHECK_EQ(read(4, &taken, sizeof(taken)), sizeof(taken));
		CHECK_EQ(taken, victim);
		CHECK_EQ(getpids(0, info), 0);
		struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
		CHECK_FAILS(ESRCH, P_PID, 0, PROC_REAP_KILL, &rk);
		CHECK_EQ(rk.rk_killed, 0);
		_exit(0);
	}
	pid_t victim = 0;
	CHECK_EQ(read(ask[0], &victim, sizeof(victim)), sizeof(victim));
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
	CHECK(f != NULL);
	fprintf(f, "%d", (int)victim - 1);
	CHECK(fclose(f) == 0);
	pid_t stranger = spawn();
	if (stranger == 0)
		pause_forever();
	CHECK_EQ(write(tell[1], &stranger, sizeof(stranger)), sizeof(stranger));
	int status = reap(reaper);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The stranger with the recycled pid is alive and was never signalled. */
	CHECK_EQ(kill(stranger, 0), 0);
	kill(stranger, SIGKILL);
	reap(stranger);
}

static void a_recycled_pid_is_neither_listed_nor_signalled(void **state)
{
	(void)state;
	if (!tl_run_in_pid_namespace(run_recycle, NULL, true))
		tl_skip("needs to be PID 1 of a pid namespace, refused here: %s",
		    tl_pid_namespace_refusal());
}

/* ---- the caller's own reaper, found without side effects ---- */

/*
 * A subreaper set with a raw prctl(): the registry knows nothing of it, so
 * only the kernel can name it.  Its grandchild asks for its own reaper.
 */
static void unannounced_reaper(void *arg)
{
	(void)arg;
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t reaper = spawn();
	if (reaper == 0) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
			_exit(90);
		pid_t mid = fork();
		if (mid == 0) {
			pid_t asker = fork();
			if (asker == 0) {
				sigset_t chld;
				sigemptyset(&chld);
				sigaddset(&chld, SIGCHLD);
				sigprocmask(SIG_BLOCK, &chld, NULL);
				struct procctl_reaper_status rs = { .rs_reaper = -1 };
				int ok = procctl(P_PID, 0, PROC_REAP_STATUS, &rs) == 0;
				pid_t seen = ok ? rs.rs_reaper : -1;
				/* No SIGCHLD and no child left behind by the lookup. */
				sigset_t pending;
				sigpending(&pending);
				int clean = !sigismember(&pending, SIGCHLD) &&
				    waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
				pid_t report[3] = { seen, (pid_t)rs.rs_descendants, clean };
				if (write(p[1], report, sizeof(report)) != sizeof(report))
					_exit(91);
				_exit(0);
			}
			int st;
			waitpid(asker, &st, 0);
			_exit(0);
		}
		/* Reap the mid process, and the probe orphan the lookup hands us. */
		while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
			;
		_exit(0);
	}
	pid_t report[3];
	CHECK_EQ(read(p[0], report, sizeof(report)), sizeof(report));
	/* The asker's reaper is the unannounced subreaper, two levels up. */
	CHECK_EQ(report[0], reaper);
	/* mid and the asker: the probe itself is not counted. */
	CHECK_EQ(report[1], 2);
	CHECK_EQ(report[2], 1);
	reap(reaper);
}

static void the_callers_own_reaper_comes_from_the_kernel_without_side_effects(void **state)
{
	(void)state;
	run_body(unannounced_reaper, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_orphan_whose_parent_exits_first_is_collected_by_the_reaper),
		cmocka_unit_test(a_zombie_grandchild_is_reparented_and_collected),
		cmocka_unit_test(the_reaper_gets_sigchld_for_an_orphan),
		cmocka_unit_test(the_reaper_gets_sigchld_for_a_zombie_orphan),
		cmocka_unit_test(status_follows_freebsds_reaper_status_test),
		cmocka_unit_test(init_is_realinit_and_owned),
		cmocka_unit_test(getpids_follows_freebsds_reaper_getpids_test),
		cmocka_unit_test(getpids_writes_at_most_rp_count_and_faults_cleanly),
		cmocka_unit_test(zombie_and_stopped_are_flagged),
		cmocka_unit_test(a_process_whose_main_thread_exited_is_alive),
		cmocka_unit_test(a_nested_reaper_keeps_its_own_descendants),
		cmocka_unit_test(bad_signals_and_flags_are_einval),
		cmocka_unit_test(nothing_to_kill_is_esrch_with_rk_killed_reset),
		cmocka_unit_test(kill_signals_every_descendant),
		cmocka_unit_test(subtree_signals_one_branch),
		cmocka_unit_test(children_mode_signals_only_direct_children),
		cmocka_unit_test(a_non_reaper_signals_its_reapers_list_and_itself),
		cmocka_unit_test(a_forking_tree_does_not_escape_kill),
		cmocka_unit_test(a_recycled_pid_is_neither_listed_nor_signalled),
		cmocka_unit_test(the_callers_own_reaper_comes_from_the_kernel_without_side_effects),
	};
	return TL_RUN(tests);
}
