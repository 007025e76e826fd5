/* SPDX-License-Identifier: BSD-2-Clause */
/* PROTMAX, STACKGAP and LOGSIGEXIT: honoured where Linux already does it. */
#include "testlib.h"

#include <sys/wait.h>
#include <unistd.h>

static int status_of(int cmd)
{
	int v = 0x5555;
	CHECK_OK(P_PID, 0, cmd, &v);
	return v;
}

static void protmax(void *arg)
{
	(void)arg;
	CHECK_EQ(status_of(PROC_PROTMAX_STATUS), PROC_PROTMAX_NOFORCE);
	int v = PROC_PROTMAX_FORCE_ENABLE;
	CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_PROTMAX_CTL, &v);
	CHECK_EQ(status_of(PROC_PROTMAX_STATUS), PROC_PROTMAX_NOFORCE);
	v = PROC_PROTMAX_FORCE_DISABLE;
	CHECK_OK(P_PID, 0, PROC_PROTMAX_CTL, &v);
	/* Never ACTIVE: no Linux image applies an implicit PROT_MAX. */
	CHECK_EQ(status_of(PROC_PROTMAX_STATUS), PROC_PROTMAX_FORCE_DISABLE);
	v = PROC_PROTMAX_NOFORCE;
	CHECK_OK(P_PID, 0, PROC_PROTMAX_CTL, &v);
	CHECK_EQ(status_of(PROC_PROTMAX_STATUS), PROC_PROTMAX_NOFORCE);
	v = 0;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_PROTMAX_CTL, &v);
	v = 4;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_PROTMAX_CTL, &v);
}

static void protmax_enable_is_enotsup_and_disable_is_true_already(void **state)
{
	(void)state;
	run_in_child(protmax, NULL);
}

static void stackgap(void *arg)
{
	(void)arg;
	const int enabled = PROC_STACKGAP_ENABLE | PROC_STACKGAP_ENABLE_EXEC;
	CHECK_EQ(status_of(PROC_STACKGAP_STATUS), enabled);

	const int bad[] = { 0x10, PROC_STACKGAP_ENABLE | PROC_STACKGAP_DISABLE,
	    PROC_STACKGAP_ENABLE_EXEC | PROC_STACKGAP_DISABLE_EXEC, -1 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v = bad[i];
		CHECK_FAILS(EINVAL, P_PID, 0, PROC_STACKGAP_CTL, &v);
	}
	int v = PROC_STACKGAP_DISABLE;
	CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_STACKGAP_CTL, &v);
	/* proccontrol -s disable: nothing is half-applied. */
	v = PROC_STACKGAP_DISABLE | PROC_STACKGAP_DISABLE_EXEC;
	CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_STACKGAP_CTL, &v);
	CHECK_EQ(status_of(PROC_STACKGAP_STATUS), enabled);

	v = PROC_STACKGAP_ENABLE;
	CHECK_OK(P_PID, 0, PROC_STACKGAP_CTL, &v);
	v = 0;
	CHECK_OK(P_PID, 0, PROC_STACKGAP_CTL, &v);
	v = PROC_STACKGAP_DISABLE_EXEC;
	CHECK_OK(P_PID, 0, PROC_STACKGAP_CTL, &v);
	CHECK_EQ(status_of(PROC_STACKGAP_STATUS),
	    PROC_STACKGAP_ENABLE | PROC_STACKGAP_DISABLE_EXEC);

	CHECK_EQ(status_in_fork_child(PROC_STACKGAP_STATUS),
	    PROC_STACKGAP_ENABLE | PROC_STACKGAP_DISABLE_EXEC);

	v = PROC_STACKGAP_ENABLE | PROC_STACKGAP_ENABLE_EXEC;
	CHECK_OK(P_PID, 0, PROC_STACKGAP_CTL, &v);
	CHECK_EQ(status_of(PROC_STACKGAP_STATUS), enabled);
}

static void stackgaps_are_always_on_and_cannot_be_disabled(void **state)
{
	(void)state;
	run_in_child(stackgap, NULL);
}

static void logsigexit(void *arg)
{
	(void)arg;
	long print_fatal = tl_read_long("/proc/sys/kernel/print-fatal-signals", 0);
	long exception_trace = tl_read_long("/proc/sys/debug/exception-trace", 0);

	CHECK_EQ(status_of(PROC_LOGSIGEXIT_STATUS), PROC_LOGSIGEXIT_CTL_NOFORCE);
	int v = PROC_LOGSIGEXIT_CTL_FORCE_ENABLE;
	if (print_fatal) {
		CHECK_OK(P_PID, 0, PROC_LOGSIGEXIT_CTL, &v);
		CHECK_EQ(status_of(PROC_LOGSIGEXIT_STATUS), v);
	} else {
		CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_LOGSIGEXIT_CTL, &v);
	}
	v = PROC_LOGSIGEXIT_CTL_FORCE_DISABLE;
	if (!print_fatal && !exception_trace) {
		CHECK_OK(P_PID, 0, PROC_LOGSIGEXIT_CTL, &v);
		CHECK_EQ(status_of(PROC_LOGSIGEXIT_STATUS), v);
	} else {
		CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_LOGSIGEXIT_CTL, &v);
	}
	v = PROC_LOGSIGEXIT_CTL_NOFORCE;
	CHECK_OK(P_PID, 0, PROC_LOGSIGEXIT_CTL, &v);
	CHECK_EQ(status_of(PROC_LOGSIGEXIT_STATUS), PROC_LOGSIGEXIT_CTL_NOFORCE);
	v = 0;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_LOGSIGEXIT_CTL, &v);
	v = 4;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_LOGSIGEXIT_CTL, &v);
}

static void logsigexit_follows_the_system_logging_settings(void **state)
{
	(void)state;
	run_in_child(logsigexit, NULL);
}

static void choices_are_copied_by_fork(void *arg)
{
	(void)arg;
	int v = PROC_PROTMAX_FORCE_DISABLE;
	CHECK_OK(P_PID, 0, PROC_PROTMAX_CTL, &v);
	CHECK(status_in_fork_child(PROC_PROTMAX_STATUS) == PROC_PROTMAX_FORCE_DISABLE);
}

static void fork_children_inherit_the_choices(void **state)
{
	(void)state;
	run_in_child(choices_are_copied_by_fork, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(protmax_enable_is_enotsup_and_disable_is_true_already),
		cmocka_unit_test(stackgaps_are_always_on_and_cannot_be_disabled),
		cmocka_unit_test(logsigexit_follows_the_system_logging_settings),
		cmocka_unit_test(fork_children_inherit_the_choices),
	};
	return TL_RUN(tests);
}
