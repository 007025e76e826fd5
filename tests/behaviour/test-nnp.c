/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_NO_NEW_PRIVS_CTL and _STATUS, for every thread of the caller. */
#include "testlib.h"

#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int nnp(void)
{
	int v = 0;
	CHECK_OK(P_PID, 0, PROC_NO_NEW_PRIVS_STATUS, &v);
	return v;
}

static void enable_once(void *arg)
{
	(void)arg;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		child_fail(__FILE__, __LINE__, "this tier already runs with no_new_privs");
	CHECK_EQ(nnp(), PROC_NO_NEW_PRIVS_DISABLE);
	int v = PROC_NO_NEW_PRIVS_DISABLE;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	v = 0;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_NO_NEW_PRIVS_CTL, NULL);
	CHECK_EQ(nnp(), PROC_NO_NEW_PRIVS_DISABLE);

	v = PROC_NO_NEW_PRIVS_ENABLE;
	CHECK_OK(P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	CHECK_EQ(nnp(), PROC_NO_NEW_PRIVS_ENABLE);
	CHECK_OK(P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	/* It cannot be undone. */
	v = PROC_NO_NEW_PRIVS_DISABLE;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	CHECK_EQ(nnp(), PROC_NO_NEW_PRIVS_ENABLE);

	CHECK_EQ(status_in_fork_child(PROC_NO_NEW_PRIVS_STATUS), PROC_NO_NEW_PRIVS_ENABLE);
}

static void enable_is_one_way_and_inherited(void **state)
{
	(void)state;
	run_in_child(enable_once, NULL);
}

static void enable_for_probe(void *arg)
{
	(void)arg;
	int v = PROC_NO_NEW_PRIVS_ENABLE;
	if (procctl(P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v) != 0)
		_exit(80);
}

static void execve_keeps_it(void **state)
{
	(void)state;
	assert_int_equal(tl_probe_after_exec(enable_for_probe, NULL, "nnp"),
	    PROC_NO_NEW_PRIVS_ENABLE);
}

struct parked {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool go, done;
	int nnp_seen;
};

static void *wait_then_report(void *arg)
{
	struct parked *p = arg;
	pthread_mutex_lock(&p->lock);
	while (!p->go)
		pthread_cond_wait(&p->cond, &p->lock);
	p->nnp_seen = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	p->done = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void threads_all_get_it(void *arg)
{
	(void)arg;
	struct parked p = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	    false, false, -1 };
	pthread_t th;
	CHECK(pthread_create(&th, NULL, wait_then_report, &p) == 0);
	int v = PROC_NO_NEW_PRIVS_ENABLE;
	CHECK_OK(P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	pthread_mutex_lock(&p.lock);
	p.go = true;
	pthread_cond_broadcast(&p.cond);
	while (!p.done)
		pthread_cond_wait(&p.cond, &p.lock);
	pthread_mutex_unlock(&p.lock);
	pthread_join(th, NULL);
	CHECK_EQ(p.nnp_seen, 1);
	/* Every thread's /proc entry agrees. */
	CHECK_EQ(tl_status_field(getpid(), "NoNewPrivs"), 1);
}

static bool seccomp_answers(void)
{
	uint32_t action = SECCOMP_RET_ALLOW;
	return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

static void *block_on_pipe(void *arg)
{
	char c;
	while (read(*(int *)arg, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void threaded_without_seccomp(void *arg)
{
	(void)arg;
	int p[2];
	CHECK(pipe(p) == 0);
	pthread_t th;
	CHECK(pthread_create(&th, NULL, block_on_pipe, &p[0]) == 0);
	int v = PROC_NO_NEW_PRIVS_ENABLE;
	CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	/* Refused before anything was set, in any thread. */
	CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	CHECK(write(p[1], "x", 1) == 1);
	pthread_join(th, NULL);
}

static void every_thread_of_the_caller_gets_it(void **state)
{
	(void)state;
	if (!seccomp_answers()) {
		/* Still check that the refusal leaves nothing half-done. */
		run_in_child(threaded_without_seccomp, NULL);
		tl_skip("seccomp(2) does not answer here (a kernel without it, a "
		    "seccomp profile, or valgrind); only the refusal was tested");
	}
	run_in_child(threads_all_get_it, NULL);
}

static void another_process_status_is_read_from_proc(void **state)
{
	(void)state;
	pid_t pid = tl_fork();
	if (pid == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		for (;;)
			pause();
	}
	for (int i = 0; i < 5000 && tl_status_field(pid, "NoNewPrivs") != 1; i++)
		usleep(1000);
	int v = 0;
	assert_procctl_ok(P_PID, (id_t)pid, PROC_NO_NEW_PRIVS_STATUS, &v);
	assert_int_equal(v, PROC_NO_NEW_PRIVS_ENABLE);
	tl_kill_and_reap(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enable_is_one_way_and_inherited),
		cmocka_unit_test(execve_keeps_it),
		cmocka_unit_test(every_thread_of_the_caller_gets_it),
		cmocka_unit_test(another_process_status_is_read_from_proc),
	};
	return TL_RUN(tests);
}
