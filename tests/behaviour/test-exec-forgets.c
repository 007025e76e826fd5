/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Choices that FreeBSD keeps across execve and libprocctl forgets there,
 * because Linux has no state for them and the library's memory of them
 * lives in the image that execve replaces (docs/COMPAT.md):
 *   ASLR FORCE_ENABLE   reads NOFORCE after exec ("not forced")
 *   WXMAP PERMIT        reads 0 after exec ("disabled")
 *   LA48_ON_EXEC        reads DEFAULT_ON_EXEC after exec ("default")
 * Each setup first checks that the choice reads back before the exec, so
 * that it is the exec that forgets it.
 */
#include "testlib.h"

#include <unistd.h>

static void force_enable_aslr(void *arg)
{
	(void)arg;
	int v = PROC_ASLR_FORCE_ENABLE;
	if (procctl(P_PID, 0, PROC_ASLR_CTL, &v) != 0)
		_exit(80);
	if (procctl(P_PID, 0, PROC_ASLR_STATUS, &v) != 0 ||
	    (v & ~PROC_ASLR_ACTIVE) != PROC_ASLR_FORCE_ENABLE)
		_exit(81);
}

static void aslr_force_enable_reads_noforce_after_execve(void **state)
{
	(void)state;
	if (tl_read_long("/proc/sys/kernel/randomize_va_space", 2) == 0)
		tl_skip("kernel.randomize_va_space is 0: FORCE_ENABLE is ENOTSUP here");
	long status = tl_probe_after_exec(force_enable_aslr, NULL, "aslr");
	assert_int_equal(status & ~PROC_ASLR_ACTIVE, PROC_ASLR_NOFORCE);
	/* Randomisation itself is still on: only the "forced" is gone. */
	assert_true((status & PROC_ASLR_ACTIVE) != 0);
}

static void permit_wx(void *arg)
{
	(void)arg;
	int v = PROC_WX_MAPPINGS_PERMIT;
	if (procctl(P_PID, 0, PROC_WXMAP_CTL, &v) != 0)
		_exit(80);
	if (procctl(P_PID, 0, PROC_WXMAP_STATUS, &v) != 0 || v != PROC_WX_MAPPINGS_PERMIT)
		_exit(81);
}

static void wxmap_permit_reads_zero_after_execve(void **state)
{
	(void)state;
	int v;
	if (procctl(P_PID, 0, PROC_WXMAP_STATUS, &v) != 0)
		tl_skip("PROC_WXMAP_STATUS is unavailable here (errno %d)", errno);
	if (v & PROC_WX_MAPPINGS_DISALLOW_EXEC)
		tl_skip("this process already runs with W^X, where PERMIT is EPERM");
	assert_int_equal(tl_probe_after_exec(permit_wx, NULL, "wxmap"), 0);
	/* And W+X mappings are still allowed in the new image. */
	assert_int_equal(tl_probe_after_exec(permit_wx, NULL, "mmap_rwx_errno"), 0);
}

#if defined(PROC_LA_CTL)
static void choose_la48(void *arg)
{
	(void)arg;
	int v = PROC_LA_CTL_LA48_ON_EXEC;
	if (procctl(P_PID, 0, PROC_LA_CTL, &v) != 0)
		_exit(80);
	if (procctl(P_PID, 0, PROC_LA_STATUS, &v) != 0 ||
	    (v & ~(PROC_LA_STATUS_LA48 | PROC_LA_STATUS_LA57)) != PROC_LA_CTL_LA48_ON_EXEC)
		_exit(81);
}

static void la48_choice_reads_default_after_execve(void **state)
{
	(void)state;
	long status = tl_probe_after_exec(choose_la48, NULL, "la");
	assert_int_equal(status & ~(PROC_LA_STATUS_LA48 | PROC_LA_STATUS_LA57),
	    PROC_LA_CTL_DEFAULT_ON_EXEC);
}
#else
static void la48_choice_reads_default_after_execve(void **state)
{
	(void)state;
	tl_skip("PROC_LA_CTL exists on amd64 only");
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aslr_force_enable_reads_noforce_after_execve),
		cmocka_unit_test(wxmap_permit_reads_zero_after_execve),
		cmocka_unit_test(la48_choice_reads_default_after_execve),
	};
	return TL_RUN(tests);
}
