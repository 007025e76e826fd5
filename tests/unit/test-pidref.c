/* SPDX-License-Identifier: BSD-2-Clause */
#include "testlib.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pidref.h"

static const enum pidref_mode modes[] = {
	PIDREF_MODE_AUTO, PIDREF_MODE_FDINFO, PIDREF_MODE_NO_PIDFD,
};
static const char *const mode_names[] = { "auto", "fdinfo", "no-pidfd" };

static void a_live_child_verifies(void **state)
{
	(void)state;
	for (size_t m = 0; m < 3; m++) {
		pidref_set_mode(modes[m]);
		pid_t pid = tl_spawn_pause();
		struct pidref ref;
		struct proc_stat st;
		assert_int_equal(pidref_open(&ref, pid, &st), 0);
		assert_int_equal(ref.pid, pid);
		assert_int_equal(st.ppid, getpid());
		/* Without pidfds the process is held by its /proc directory. */
		if (modes[m] == PIDREF_MODE_NO_PIDFD)
			assert_true(ref.fd >= 0 && ref.procdir);
		assert_int_equal(pidref_verify(&ref), 0);
		pidref_close(&ref);
		assert_int_equal(ref.fd, -1);
		tl_kill_and_reap(pid);
	}
	pidref_set_mode(PIDREF_MODE_AUTO);
}

static void a_zombie_is_still_the_same_process(void **state)
{
	(void)state;
	for (size_t m = 0; m < 3; m++) {
		pidref_set_mode(modes[m]);
		pid_t pid = tl_spawn_pause();
		struct pidref ref;
		assert_int_equal(pidref_open(&ref, pid, NULL), 0);
		kill(pid, SIGKILL);
		assert_true(tl_wait_state(pid, "Z", 5000));
		if (pidref_verify(&ref) != 0)
			fail_msg("zombie lost its identity in mode %s", mode_names[m]);
		/* Signalling a zombie is accepted and does nothing. */
		assert_int_equal(pidref_signal(&ref, SIGTERM), 0);
		assert_int_equal(tl_wait(pid, 5000) != -1, 1);
		assert_int_equal(pidref_verify(&ref), -ESRCH);
		pidref_close(&ref);
	}
	pidref_set_mode(PIDREF_MODE_AUTO);
}

static void a_reaped_process_is_never_signalled(void **state)
{
	(void)state;
	for (size_t m = 0; m < 3; m++) {
		pidref_set_mode(modes[m]);
		pid_t pid = tl_spawn_pause();
		struct pidref ref;
		assert_int_equal(pidref_open(&ref, pid, NULL), 0);
		tl_kill_and_reap(pid);
		assert_int_equal(pidref_verify(&ref), -ESRCH);
		assert_int_equal(pidref_signal(&ref, SIGTERM), -ESRCH);
		pidref_close(&ref);
	}
	pidref_set_mode(PIDREF_MODE_AUTO);
}

/*
 * Held by number only (as a walk holds its unpinned nodes), the start time
 * is what tells a new process from the old.
 */
static void a_changed_start_time_is_a_different_process(void **state)
{
	(void)state;
	pidref_set_mode(PIDREF_MODE_NO_PIDFD);
	pid_t pid = tl_spawn_pause();
	struct pidref ref;
	assert_int_equal(pidref_open(&ref, pid, NULL), 0);
	close(ref.fd);
	ref.fd = -1;
	ref.procdir = false;
	ref.starttime += 1;     /* as if the pid had been recycled */
	assert_int_equal(pidref_verify(&ref), -ESRCH);
	assert_int_equal(pidref_signal(&ref, SIGKILL), -ESRCH);
	/* The refusal means the child is still alive. */
	assert_int_equal(kill(pid, 0), 0);
	pidref_close(&ref);
	tl_kill_and_reap(pid);
	pidref_set_mode(PIDREF_MODE_AUTO);
}

static void a_missing_pid_is_esrch(void **state)
{
	(void)state;
	struct pidref ref;
	assert_int_equal(pidref_open(&ref, tl_unused_pid(), NULL), -ESRCH);
	assert_int_equal(pidref_open(&ref, 0, NULL), -ESRCH);
	assert_int_equal(pidref_open(&ref, -5, NULL), -ESRCH);
	assert_int_equal(ref.fd, -1);
}

/*
 * The pinned /proc directory, in every mode, once the pid has gone to a
 * stranger (a private pid namespace; PID 1 sets ns_last_pid): refused.
 */
static void run_procdir_recycled(void *arg)
{
	(void)arg;
	CHECK_EQ(getpid(), 1);
	pid_t victim = tl_spawn_pause();
	struct pidref refs[3];
	pidref_set_mode(PIDREF_MODE_AUTO);
	CHECK_EQ(pidref_open(&refs[0], victim, NULL), 0);
	pidref_set_mode(PIDREF_MODE_NO_PIDFD);
	CHECK_EQ(pidref_open(&refs[1], victim, NULL), 0);
	pidref_set_mode(PIDREF_MODE_AUTO);
	struct proc_stat st;
	CHECK_EQ(pidref_open_procdir(&refs[2], victim, &st), 0);
	for (int i = 0; i < 3; i++) {
		int dir = pidref_procdir(&refs[i]);
		CHECK(dir >= 0);
		CHECK_EQ(procfs_read_stat_at(dir, &st), 0);
		CHECK_EQ(st.pid, victim);
		close(dir);
	}
	/*
	 * No tick is let pass: a stranger started within the victim's clock
	 * tick has its start time, and only what pins the process tells them
	 * apart, in every mode.
	 */
	kill(victim, SIGKILL);
	CHECK_EQ(waitpid(victim, NULL, 0), victim);
	pid_t stranger = tl_fork_as(victim);
	if (stranger == 0)
		for (;;)
			pause();
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(pidref_procdir(&refs[i]), -ESRCH);
		pidref_close(&refs[i]);
	}
	kill(stranger, SIGKILL);
	CHECK_EQ(waitpid(stranger, NULL, 0), stranger);
}

static void the_proc_directory_of_a_recycled_pid_is_refused(void **state)
{
	(void)state;
	if (!tl_run_in_pid_namespace(run_procdir_recycled, NULL, true))
		tl_skip("this kernel or sandbox refuses new user+pid namespaces");
}

static void *park(void *arg)
{
	*(volatile pid_t *)arg = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

static void a_thread_id_is_not_a_process(void **state)
{
	(void)state;
	volatile pid_t tid = 0;
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, park, (void *)&tid), 0);
	while (tid == 0)
		sched_yield();
	struct pidref ref;
	assert_int_equal(pidref_open(&ref, tid, NULL), -ESRCH);
	pthread_cancel(th);
	pthread_join(th, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_live_child_verifies),
		cmocka_unit_test(a_zombie_is_still_the_same_process),
		cmocka_unit_test(a_reaped_process_is_never_signalled),
		cmocka_unit_test(a_changed_start_time_is_a_different_process),
		cmocka_unit_test(a_missing_pid_is_esrch),
		cmocka_unit_test(a_thread_id_is_not_a_process),
		cmocka_unit_test(the_proc_directory_of_a_recycled_pid_is_refused),
	};
	return TL_RUN(tests);
}
