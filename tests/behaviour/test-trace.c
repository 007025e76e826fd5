/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_TRACE_CTL and PROC_TRACE_STATUS. */
#include "testlib.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int trace_status(void)
{
	int v = 0x5555;
	CHECK_OK(P_PID, 0, PROC_TRACE_STATUS, &v);
	return v;
}

static void disable_and_enable(void *arg)
{
	(void)arg;
	CHECK_EQ(trace_status(), 0);
	int v = PROC_TRACE_CTL_DISABLE;
	CHECK_OK(P_PID, 0, PROC_TRACE_CTL, &v);
	CHECK_EQ(trace_status(), -1);
	CHECK_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	v = PROC_TRACE_CTL_ENABLE;
	CHECK_OK(P_PID, 0, PROC_TRACE_CTL, &v);
	CHECK_EQ(trace_status(), 0);
	CHECK_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
}

static void disable_then_enable_round_trips(void **state)
{
	(void)state;
	run_in_child(disable_and_enable, NULL);
}

static void disabled_then_fork(void *arg)
{
	(void)arg;
	int v = PROC_TRACE_CTL_DISABLE;
	CHECK_OK(P_PID, 0, PROC_TRACE_CTL, &v);
	CHECK(status_in_fork_child(PROC_TRACE_STATUS) == -1);
}

static void disabled_tracing_is_inherited_by_fork(void **state)
{
	(void)state;
	run_in_child(disabled_then_fork, NULL);
}

static void disable_for_probe(void *arg)
{
	(void)arg;
	int v = PROC_TRACE_CTL_DISABLE;
	if (procctl(P_PID, 0, PROC_TRACE_CTL, &v) != 0)
		_exit(80);
}

static void execve_enables_tracing_again(void **state)
{
	(void)state;
	assert_int_equal(tl_probe_after_exec(disable_for_probe, NULL, "trace"), 0);
}

static void disable_exec_changes_nothing(void *arg)
{
	(void)arg;
	int v = PROC_TRACE_CTL_DISABLE_EXEC;
	CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_TRACE_CTL, &v);
	CHECK_EQ(trace_status(), 0);
}

static void disable_exec_is_enotsup_linux_cannot_keep_it(void **state)
{
	(void)state;
	run_in_child(disable_exec_changes_nothing, NULL);
}

static void invalid_values_are_einval(void **state)
{
	(void)state;
	const int bad[] = { 0, 4, -1, 0x100 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v = bad[i];
		assert_procctl_fails(EINVAL, P_PID, 0, PROC_TRACE_CTL, &v);
	}
}

/* A child traced by its parent: EBUSY, and STATUS names the tracer. */
static void a_traced_process_is_ebusy(void **state)
{
	(void)state;
	int go[2], done[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	pid_t pid = tl_fork();
	if (pid == 0) {
		char c;
		close(go[1]);
		close(done[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(90);
		int v = 0, s = 0;
		int busy = procctl(P_PID, 0, PROC_TRACE_CTL,
		    &(int){ PROC_TRACE_CTL_DISABLE }) == -1 && errno == EBUSY;
		int status_ok = procctl(P_PID, 0, PROC_TRACE_STATUS, &s) == 0 && s == getppid();
		v = busy && status_ok ? 0 : 1;
		if (write(done[1], &v, sizeof(v)) != sizeof(v))
			_exit(91);
		for (;;)
			pause();
	}
	close(go[0]);
	close(done[1]);
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) != 0) {
		int err = errno;
		tl_kill_and_reap(pid);
		tl_skip("ptrace is refused here: %s", strerror(err));
	}
	assert_int_equal(write(go[1], "x", 1), 1);
	int result = -1;
	assert_int_equal(read(done[0], &result, sizeof(result)), sizeof(result));
	assert_int_equal(result, 0);

	assert_procctl_fails(EBUSY, P_PID, (id_t)pid, PROC_TRACE_CTL,
	    &(int){ PROC_TRACE_CTL_DISABLE });
	close(go[1]);
	close(done[0]);
	tl_kill_and_reap(pid);
}

static void enable_for_another_process_is_eperm(void **state)
{
	(void)state;
	pid_t pid = tl_spawn_pause();
	int v = PROC_TRACE_CTL_ENABLE;
	assert_procctl_fails(EPERM, P_PID, (id_t)pid, PROC_TRACE_CTL, &v);
	tl_kill_and_reap(pid);
}

static void own_process_group_counts_the_caller(void *arg)
{
	(void)arg;
	CHECK(setpgid(0, 0) == 0);
	int v = PROC_TRACE_CTL_DISABLE;
	CHECK_OK(P_PGID, (id_t)getpgrp(), PROC_TRACE_CTL, &v);
	CHECK_EQ(trace_status(), -1);
	v = 99;
	CHECK_FAILS(EINVAL, P_PGID, (id_t)getpgrp(), PROC_TRACE_CTL, &v);
}

static void a_process_group_including_the_caller(void **state)
{
	(void)state;
	run_in_child(own_process_group_counts_the_caller, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(disable_then_enable_round_trips),
		cmocka_unit_test(disabled_tracing_is_inherited_by_fork),
		cmocka_unit_test(execve_enables_tracing_again),
		cmocka_unit_test(disable_exec_is_enotsup_linux_cannot_keep_it),
		cmocka_unit_test(invalid_values_are_einval),
		cmocka_unit_test(a_traced_process_is_ebusy),
		cmocka_unit_test(enable_for_another_process_is_eperm),
		cmocka_unit_test(a_process_group_including_the_caller),
	};
	return TL_RUN(tests);
}
