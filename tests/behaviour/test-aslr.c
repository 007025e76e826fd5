/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_ASLR_CTL and PROC_ASLR_STATUS on personality(ADDR_NO_RANDOMIZE). */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#define ACTIVE ((int)PROC_ASLR_ACTIVE)

static bool system_randomizes(void)
{
	return tl_read_long("/proc/sys/kernel/randomize_va_space", 2) != 0;
}

static int aslr(void)
{
	int v = 0;
	CHECK_OK(P_PID, 0, PROC_ASLR_STATUS, &v);
	return v;
}

static void set_and_read_back(void *arg)
{
	bool refused = *(const int *)arg != 0;
	int active = system_randomizes() ? ACTIVE : 0;
	CHECK_EQ(aslr(), PROC_ASLR_NOFORCE | active);

	int v = PROC_ASLR_FORCE_DISABLE;
	if (refused) {
		/* A container's profile refuses the primitive: ENOTSUP, nothing changed. */
		CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_ASLR_CTL, &v);
		CHECK_EQ(aslr(), PROC_ASLR_NOFORCE | active);
	} else {
		CHECK_OK(P_PID, 0, PROC_ASLR_CTL, &v);
		/* The running image stays as it was: only the next execve changes. */
		CHECK_EQ(aslr(), PROC_ASLR_FORCE_DISABLE | active);
		CHECK(personality(0xffffffff) & ADDR_NO_RANDOMIZE);
	}

	v = PROC_ASLR_NOFORCE;
	CHECK_OK(P_PID, 0, PROC_ASLR_CTL, &v);
	CHECK_EQ(aslr(), PROC_ASLR_NOFORCE | active);
	CHECK(!(personality(0xffffffff) & ADDR_NO_RANDOMIZE));

	if (system_randomizes()) {
		v = PROC_ASLR_FORCE_ENABLE;
		CHECK_OK(P_PID, 0, PROC_ASLR_CTL, &v);
		CHECK_EQ(aslr(), PROC_ASLR_FORCE_ENABLE | active);
	}
}

static void each_choice_reads_back(void **state)
{
	(void)state;
	int refusal = tl_aslr_refusal();
	run_in_child(set_and_read_back, &refusal);
}

/* Where the system refuses FORCE_DISABLE, say so and check that answer. */
static void refused_force_disable(void *arg)
{
	(void)arg;
	int v = PROC_ASLR_FORCE_DISABLE;
	CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_ASLR_CTL, &v);
	CHECK_EQ(aslr() & ~ACTIVE, PROC_ASLR_NOFORCE);
}

static bool force_disable_refused(void)
{
	int refusal = tl_aslr_refusal();
	if (refusal == 0)
		return false;
	run_in_child(refused_force_disable, NULL);
	printf("# personality(ADDR_NO_RANDOMIZE) refused here (%s): PROC_ASLR_CTL is ENOTSUP\n",
	    strerrorname_np(refusal));
	return true;
}

static void force_disable_for_probe(void *arg)
{
	(void)arg;
	int v = PROC_ASLR_FORCE_DISABLE;
	if (procctl(P_PID, 0, PROC_ASLR_CTL, &v) != 0)
		_exit(80);
}

static void force_disable_gives_a_fixed_image_after_execve(void **state)
{
	(void)state;
	if (force_disable_refused())
		return;
	long status = tl_probe_after_exec(force_disable_for_probe, NULL, "aslr");
	assert_int_equal(status, PROC_ASLR_FORCE_DISABLE);   /* no ACTIVE */
	long a = tl_probe_after_exec(force_disable_for_probe, NULL, "stack_address");
	long b = tl_probe_after_exec(force_disable_for_probe, NULL, "stack_address");
	assert_int_equal(a, b);
}

static void a_default_image_is_active_after_execve(void **state)
{
	(void)state;
	if (!system_randomizes())
		tl_skip("kernel.randomize_va_space is 0 on this machine");
	long status = tl_probe_after_exec(NULL, NULL, "aslr");
	assert_int_equal(status, PROC_ASLR_NOFORCE | ACTIVE);
}

static void disabled_then_fork(void *arg)
{
	(void)arg;
	force_disable_for_probe(NULL);
	CHECK((status_in_fork_child(PROC_ASLR_STATUS) & ~ACTIVE) == PROC_ASLR_FORCE_DISABLE);
}

static void fork_children_inherit_the_choice(void **state)
{
	(void)state;
	if (force_disable_refused())
		return;
	run_in_child(disabled_then_fork, NULL);
}

static void invalid_values_are_einval(void **state)
{
	(void)state;
	const int bad[] = { 0, 4, -1 };
	int before = personality(0xffffffff);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v = bad[i];
		assert_procctl_fails(EINVAL, P_PID, 0, PROC_ASLR_CTL, &v);
	}
	assert_int_equal(personality(0xffffffff), before);
	assert_procctl_fails(EFAULT, P_PID, 0, PROC_ASLR_CTL, NULL);
	assert_int_equal(personality(0xffffffff), before);
}

static void force_enable_where_the_system_forbids_it(void **state)
{
	(void)state;
	if (system_randomizes())
		tl_skip("needs kernel.randomize_va_space = 0 to see ENOTSUP");
	int v = PROC_ASLR_FORCE_ENABLE;
	assert_procctl_fails(ENOTSUP, P_PID, 0, PROC_ASLR_CTL, &v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_choice_reads_back),
		cmocka_unit_test(force_disable_gives_a_fixed_image_after_execve),
		cmocka_unit_test(a_default_image_is_active_after_execve),
		cmocka_unit_test(fork_children_inherit_the_choice),
		cmocka_unit_test(invalid_values_are_einval),
		cmocka_unit_test(force_enable_where_the_system_forbids_it),
	};
	return TL_RUN(tests);
}
