/* SPDX-License-Identifier: BSD-2-Clause */
/* amd64's PROC_KPTI_* and PROC_LA_*. */
#include "testlib.h"

#include <linux/capability.h>
#include <stdio.h>
#include <unistd.h>

#if defined(__x86_64__)
static bool pti_active(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/vulnerabilities/meltdown", "re");
	if (f == NULL)
		return false;
	char buf[64] = "";
	bool on = fgets(buf, sizeof(buf), f) && strncmp(buf, "Mitigation: PTI", 15) == 0;
	fclose(f);
	return on;
}

static void kpti_status_is_the_systems(void **state)
{
	(void)state;
	int v = 0;
	assert_procctl_ok(P_PID, 0, PROC_KPTI_STATUS, &v);
	if (pti_active())
		assert_int_equal(v, (int)(PROC_KPTI_CTL_ENABLE_ON_EXEC | PROC_KPTI_STATUS_ACTIVE));
	else
		assert_int_equal(v, PROC_KPTI_CTL_DISABLE_ON_EXEC);
	assert_procctl_fails(EINVAL, P_PGID, 0, PROC_KPTI_STATUS, &v);
	assert_procctl_fails(EFAULT, P_PID, 0, PROC_KPTI_STATUS, NULL);
}

static void kpti_ctl_needs_rawio_before_anything_else(void **state)
{
	(void)state;
	if (tl_has_cap(CAP_SYS_RAWIO))
		tl_skip("the caller holds CAP_SYS_RAWIO");
	int v = PROC_KPTI_CTL_ENABLE_ON_EXEC;
	assert_procctl_fails(EPERM, P_PID, 0, PROC_KPTI_CTL, &v);
	v = 77;
	assert_procctl_fails(EPERM, P_PID, 0, PROC_KPTI_CTL, &v);
	assert_procctl_fails(EPERM, P_PID, 0, PROC_KPTI_CTL, NULL);
	/* The id type is checked even before the privilege. */
	assert_procctl_fails(EINVAL, P_PGID, 0, PROC_KPTI_CTL, &v);
}

static void kpti_ctl_honours_only_the_system_state(void **state)
{
	(void)state;
	if (!tl_has_cap(CAP_SYS_RAWIO))
		tl_skip("needs CAP_SYS_RAWIO (FreeBSD's PRIV_IO)");
	int same = pti_active() ? PROC_KPTI_CTL_ENABLE_ON_EXEC : PROC_KPTI_CTL_DISABLE_ON_EXEC;
	int other = pti_active() ? PROC_KPTI_CTL_DISABLE_ON_EXEC : PROC_KPTI_CTL_ENABLE_ON_EXEC;
	assert_procctl_ok(P_PID, 0, PROC_KPTI_CTL, &same);
	assert_procctl_fails(ENOTSUP, P_PID, 0, PROC_KPTI_CTL, &other);
	int bad = 3;
	assert_procctl_fails(EINVAL, P_PID, 0, PROC_KPTI_CTL, &bad);
	/* The value is checked before the lookup, as in cpu_procctl(). */
	assert_procctl_fails(EINVAL, P_PID, (id_t)tl_unused_pid(), PROC_KPTI_CTL, &bad);
	assert_procctl_fails(EFAULT, P_PID, 0, PROC_KPTI_CTL, NULL);
}

static void la(void *arg)
{
	(void)arg;
	int v = 0;
	CHECK_OK(P_PID, 0, PROC_LA_STATUS, &v);
	CHECK_EQ(v, PROC_LA_CTL_DEFAULT_ON_EXEC | PROC_LA_STATUS_LA48);
	v = PROC_LA_CTL_LA57_ON_EXEC;
	CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_LA_CTL, &v);
	v = PROC_LA_CTL_LA48_ON_EXEC;
	CHECK_OK(P_PID, 0, PROC_LA_CTL, &v);
	CHECK_OK(P_PID, 0, PROC_LA_STATUS, &v);
	CHECK_EQ(v, PROC_LA_CTL_LA48_ON_EXEC | PROC_LA_STATUS_LA48);
	v = PROC_LA_CTL_DEFAULT_ON_EXEC;
	CHECK_OK(P_PID, 0, PROC_LA_CTL, &v);
	v = 0;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_LA_CTL, &v);
	v = 4;
	CHECK_FAILS(EINVAL, P_PID, (id_t)tl_unused_pid(), PROC_LA_CTL, &v);
	v = 1;
	CHECK_FAILS(ESRCH, P_PID, (id_t)tl_unused_pid(), PROC_LA_CTL, &v);
	CHECK_FAILS(EINVAL, P_PGID, 0, PROC_LA_CTL, &v);
}

static void la48_is_what_linux_gives_and_la57_is_enotsup(void **state)
{
	(void)state;
	run_in_child(la, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kpti_status_is_the_systems),
		cmocka_unit_test(kpti_ctl_needs_rawio_before_anything_else),
		cmocka_unit_test(kpti_ctl_honours_only_the_system_state),
		cmocka_unit_test(la48_is_what_linux_gives_and_la57_is_enotsup),
	};
	return TL_RUN(tests);
}
#else
static void not_amd64(void **state)
{
	(void)state;
	tl_skip("KPTI and LA are amd64 commands");
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(not_amd64) };
	return TL_RUN(tests);
}
#endif
