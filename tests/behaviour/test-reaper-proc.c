/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reaper commands where /proc is not what a laptop has: a /proc that
 * belongs to another pid namespace, and a /proc mounted hidepid=invisible.
 */
#include "testlib.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int reap(pid_t pid)
{
	int status = -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* PID 1 of a new pid namespace that still sees its parent's /proc. */
static void with_stale_proc(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0)
		child_fail(__FILE__, __LINE__, "unshare: %s", strerror(errno));
	pid_t init = fork();
	CHECK(init >= 0);
	if (init == 0) {
		CHECK_EQ(getpid(), 1);
		/* /proc/self names this process by its number outside. */
		struct procctl_reaper_status rs;
		CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_REAP_STATUS, &rs);
		struct procctl_reaper_pidinfo info[4];
		struct procctl_reaper_pids rp = { .rp_count = 4, .rp_pids = info };
		CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_REAP_GETPIDS, &rp);
		struct procctl_reaper_kill rk = { .rk_sig = SIGTERM };
		CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_REAP_KILL, &rk);
		pid_t child = fork();
		if (child == 0) {
			pause();
			_exit(0);
		}
		int v;
		CHECK_FAILS(ENOTSUP, P_PID, (id_t)child, PROC_TRACE_STATUS, &v);
		/* What concerns only the caller still works, through /proc/self. */
		CHECK_OK(P_PID, 0, PROC_TRACE_STATUS, &v);
		CHECK_OK(P_PID, 0, PROC_ASLR_STATUS, &v);
		kill(child, SIGKILL);
		reap(child);
		_exit(0);
	}
	int status = reap(init);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void a_proc_of_another_pid_namespace_is_refused_clearly(void **state)
{
	(void)state;
	pid_t probe = tl_fork();
	if (probe == 0)
		_exit(unshare(CLONE_NEWUSER | CLONE_NEWPID) == 0 ? 0 : 1);
	int status = tl_wait(probe, TL_CHILD_TIMEOUT_MS);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		tl_skip("this kernel or sandbox refuses new user+pid namespaces");
	run_in_child(with_stale_proc, NULL);
}

/*
 * hidepid=invisible: a reaper that dropped to uid 65534 cannot see the
 * root-owned child it forked before: that child is neither listed, counted
 * nor signalled; the child it forked after is.
 */
static void hidden_descendant(void *arg)
{
	(void)arg;
	CHECK(unshare(CLONE_NEWPID | CLONE_NEWNS) == 0);
	pid_t init = fork();
	CHECK(init >= 0);
	if (init == 0) {
		CHECK(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0);
		CHECK(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		    "hidepid=invisible") == 0);
		int p[2];
		CHECK(pipe(p) == 0);
		pid_t reaper = fork();
		CHECK(reaper >= 0);
		if (reaper == 0) {
			CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
			pid_t hidden = fork();
			if (hidden == 0) {
				pause();
				_exit(0);
			}
			CHECK(setresgid(65534, 65534, 65534) == 0);
			CHECK(setresuid(65534, 65534, 65534) == 0);
			/* Dropping uids makes a process non-dumpable: undo, to be seen. */
			prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
			pid_t visible = fork();
			if (visible == 0) {
				pause();
				_exit(0);
			}
			struct procctl_reaper_status rs;
			CHECK_OK(P_PID, 0, PROC_REAP_STATUS, &rs);
			CHECK_EQ(rs.rs_children, 1);
			CHECK_EQ(rs.rs_descendants, 1);
			CHECK_EQ(rs.rs_pid, visible);
			struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
			CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
			CHECK_EQ(rk.rk_killed, 1);
			reap(visible);
			/* The hidden one lives on: tell PID 1 who it is. */
			CHECK_EQ(write(p[1], &hidden, sizeof(hidden)), sizeof(hidden));
			_exit(0);
		}
		pid_t hidden = 0;
		CHECK_EQ(read(p[0], &hidden, sizeof(hidden)), sizeof(hidden));
		int status = reap(reaper);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* Root sees it: alive, never signalled. */
		CHECK_EQ(kill(hidden, 0), 0);
		CHECK(tl_wait_state(hidden, "S", 1000));
		kill(hidden, SIGKILL);
		reap(hidden);
		_exit(0);
	}
	int status = reap(init);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void hidepid_hides_descendants_from_a_reaper_that_cannot_see_them(void **state)
{
	(void)state;
	if (getuid() != 0 || !tl_in_initial_userns())
		tl_skip("needs root to mount /proc with hidepid and change uids");
	/* A container's profile refuses the pid namespace or the mount. */
	char why[160];
	if (!tl_can_mount_proc(CLONE_NEWPID | CLONE_NEWNS, "hidepid=invisible", why, sizeof(why)))
		tl_skip("cannot mount a /proc with hidepid=invisible here: %s", why);
	run_in_child(hidden_descendant, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_proc_of_another_pid_namespace_is_refused_clearly),
		cmocka_unit_test(hidepid_hides_descendants_from_a_reaper_that_cannot_see_them),
	};
	return TL_RUN(tests);
}
