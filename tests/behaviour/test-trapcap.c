/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_TRAPCAP_CTL and PROC_TRAPCAP_STATUS: the flag itself. */
#include "testlib.h"

#include <sys/wait.h>
#include <unistd.h>

static int trapcap(void)
{
	int v = 0;
	CHECK_OK(P_PID, 0, PROC_TRAPCAP_STATUS, &v);
	return v;
}

static void enable_and_disable(void *arg)
{
	(void)arg;
	CHECK_EQ(trapcap(), PROC_TRAPCAP_CTL_DISABLE);
	int v = PROC_TRAPCAP_CTL_ENABLE;
	CHECK_OK(P_PID, 0, PROC_TRAPCAP_CTL, &v);
	CHECK_EQ(trapcap(), PROC_TRAPCAP_CTL_ENABLE);

	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int s = 0;
		_exit(procctl(P_PID, 0, PROC_TRAPCAP_STATUS, &s) == 0 &&
		    s == PROC_TRAPCAP_CTL_ENABLE ? 0 : 1);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	v = PROC_TRAPCAP_CTL_DISABLE;
	CHECK_OK(P_PID, 0, PROC_TRAPCAP_CTL, &v);
	CHECK_EQ(trapcap(), PROC_TRAPCAP_CTL_DISABLE);
}

static void the_flag_is_set_cleared_and_inherited(void **state)
{
	(void)state;
	run_in_child(enable_and_disable, NULL);
}

static void invalid_values_are_einval(void **state)
{
	(void)state;
	const int bad[] = { 0, 3, -1 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v = bad[i];
		assert_procctl_fails(EINVAL, P_PID, 0, PROC_TRAPCAP_CTL, &v);
	}
}

static void group_with_caller(void *arg)
{
	(void)arg;
	CHECK(setpgid(0, 0) == 0);
	int v = PROC_TRAPCAP_CTL_ENABLE;
	CHECK_OK(P_PGID, (id_t)getpgrp(), PROC_TRAPCAP_CTL, &v);
	CHECK_EQ(trapcap(), PROC_TRAPCAP_CTL_ENABLE);
}

static void a_process_group_including_the_caller(void **state)
{
	(void)state;
	run_in_child(group_with_caller, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_flag_is_set_cleared_and_inherited),
		cmocka_unit_test(invalid_values_are_einval),
		cmocka_unit_test(a_process_group_including_the_caller),
	};
	return TL_RUN(tests);
}
