/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_REAP_ACQUIRE and PROC_REAP_RELEASE on the caller. */
#include "testlib.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int subreaper(void)
{
	int v = -1;
	prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0);
	return v;
}

static void acquire_then_release(void *arg)
{
	(void)arg;
	CHECK_EQ(subreaper(), 0);
	CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	CHECK_EQ(subreaper(), 1);
	CHECK_FAILS(EBUSY, P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	CHECK_FAILS(EBUSY, P_PID, (id_t)getpid(), PROC_REAP_ACQUIRE, NULL);
	CHECK_OK(P_PID, (id_t)getpid(), PROC_REAP_RELEASE, NULL);
	CHECK_EQ(subreaper(), 0);
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_REAP_RELEASE, NULL);
	/* Acquire again after release. */
	CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	CHECK_EQ(subreaper(), 1);
}

static void acquire_twice_is_ebusy_and_release_undoes_it(void **state)
{
	(void)state;
	if (tl_is_ns_init())
		tl_skip("PID 1 is a reaper from the start; see init_is_already_a_reaper");
	run_in_child(acquire_then_release, NULL);
}

static void release_when_not_a_reaper_is_einval(void *arg)
{
	(void)arg;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_REAP_RELEASE, NULL);
	CHECK_EQ(subreaper(), 0);
}

static void releasing_without_acquiring_is_einval(void **state)
{
	(void)state;
	if (tl_is_ns_init())
		tl_skip("PID 1 gets EINVAL for being init; see init_is_already_a_reaper");
	run_in_child(release_when_not_a_reaper_is_einval, NULL);
}

static void other_processes_are_eperm(void **state)
{
	(void)state;
	pid_t pid = tl_spawn_pause();
	assert_procctl_fails(EPERM, P_PID, (id_t)pid, PROC_REAP_ACQUIRE, NULL);
	assert_procctl_fails(EPERM, P_PID, (id_t)pid, PROC_REAP_RELEASE, NULL);
	assert_procctl_fails(ESRCH, P_PID, (id_t)tl_unused_pid(), PROC_REAP_ACQUIRE, NULL);
	assert_procctl_fails(EINVAL, P_PGID, (id_t)getpgrp(), PROC_REAP_ACQUIRE, NULL);
	tl_kill_and_reap(pid);
}

static void as_init(void *arg)
{
	(void)arg;
	CHECK_EQ(getpid(), 1);
	CHECK_FAILS(EBUSY, P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_REAP_RELEASE, NULL);
}

/* A child in new user and pid namespaces; its first child is PID 1 there. */
static void in_new_pid_namespace(void *arg)
{
	void (*body)(void *) = (void (*)(void *))arg;
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0)
		child_fail(__FILE__, __LINE__, "unshare: %s", strerror(errno));
	pid_t init = fork();
	CHECK(init >= 0);
	if (init == 0) {
		body(NULL);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(init, &status, 0), init);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static bool can_make_pid_namespaces(void)
{
	pid_t pid = tl_fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER | CLONE_NEWPID) == 0 ? 0 : 1);
	int status = tl_wait(pid, TL_CHILD_TIMEOUT_MS);
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void init_is_already_a_reaper(void **state)
{
	(void)state;
	if (tl_is_ns_init()) {
		as_init(NULL);
		return;
	}
	if (!can_make_pid_namespaces())
		tl_skip("this kernel or sandbox refuses new user+pid namespaces");
	run_in_child(in_new_pid_namespace, (void *)as_init);
}

struct orphan_report {
	pid_t reaper;
	pid_t grandchild_parent;
};

/* FreeBSD's reaper_wait_child_first: the orphan comes to the reaper. */
static void orphans_come_to_the_reaper(void *arg)
{
	(void)arg;
	if (getpid() != 1)
		CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		pid_t parent = getpid();   /* before the fork: it may exit at once */
		pid_t grandchild = fork();
		if (grandchild < 0)
			_exit(90);
		if (grandchild == 0) {
			while (getppid() == parent)
				usleep(1000);
			pid_t now = getppid();
			if (write(p[1], &now, sizeof(now)) != sizeof(now))
				_exit(91);
			_exit(2);
		}
		_exit(3);
	}
	int status;
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	pid_t adopted_by;
	close(p[1]);
	CHECK_EQ(read(p[0], &adopted_by, sizeof(adopted_by)), sizeof(adopted_by));
	CHECK_EQ(adopted_by, getpid());
	/* And the reaper collects it. */
	pid_t got = waitpid(-1, &status, 0);
	CHECK(got > 0 && got != child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

static void an_orphaned_grandchild_is_reparented_to_the_reaper(void **state)
{
	(void)state;
	run_in_child(orphans_come_to_the_reaper, NULL);
}

static void acquire_for_probe(void *arg)
{
	(void)arg;
	if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0)
		_exit(80);
}

static void not_inherited_by_fork_but_kept_across_exec(void *arg)
{
	(void)arg;
	CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(subreaper() == 0 ? 0 : 1);
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void the_flag_follows_freebsds_fork_and_exec_rules(void **state)
{
	(void)state;
	if (tl_is_ns_init())
		tl_skip("PID 1 cannot acquire: it is already the reaper");
	run_in_child(not_inherited_by_fork_but_kept_across_exec, NULL);
	assert_int_equal(tl_probe_after_exec(acquire_for_probe, NULL, "subreaper"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(acquire_twice_is_ebusy_and_release_undoes_it),
		cmocka_unit_test(releasing_without_acquiring_is_einval),
		cmocka_unit_test(other_processes_are_eperm),
		cmocka_unit_test(init_is_already_a_reaper),
		cmocka_unit_test(an_orphaned_grandchild_is_reparented_to_the_reaper),
		cmocka_unit_test(the_flag_follows_freebsds_fork_and_exec_rules),
	};
	return TL_RUN(tests);
}
