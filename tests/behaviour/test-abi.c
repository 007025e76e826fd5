/* SPDX-License-Identifier: BSD-2-Clause */
/* Names, values and layouts are FreeBSD's, byte for byte. */
#include "testlib.h"

#include <stddef.h>

#define SAME(a, b) assert_int_equal((long long)(a), (long long)(b))

static void command_numbers_are_freebsds(void **state)
{
	(void)state;
	SAME(PROC_SPROTECT, 1);
	SAME(PROC_REAP_ACQUIRE, 2);
	SAME(PROC_REAP_RELEASE, 3);
	SAME(PROC_REAP_STATUS, 4);
	SAME(PROC_REAP_GETPIDS, 5);
	SAME(PROC_REAP_KILL, 6);
	SAME(PROC_TRACE_CTL, 7);
	SAME(PROC_TRACE_STATUS, 8);
	SAME(PROC_TRAPCAP_CTL, 9);
	SAME(PROC_TRAPCAP_STATUS, 10);
	SAME(PROC_PDEATHSIG_CTL, 11);
	SAME(PROC_PDEATHSIG_STATUS, 12);
	SAME(PROC_ASLR_CTL, 13);
	SAME(PROC_ASLR_STATUS, 14);
	SAME(PROC_PROTMAX_CTL, 15);
	SAME(PROC_PROTMAX_STATUS, 16);
	SAME(PROC_STACKGAP_CTL, 17);
	SAME(PROC_STACKGAP_STATUS, 18);
	SAME(PROC_NO_NEW_PRIVS_CTL, 19);
	SAME(PROC_NO_NEW_PRIVS_STATUS, 20);
	SAME(PROC_WXMAP_CTL, 21);
	SAME(PROC_WXMAP_STATUS, 22);
	SAME(PROC_LOGSIGEXIT_CTL, 23);
	SAME(PROC_LOGSIGEXIT_STATUS, 24);
	SAME(PROC_PROCCTL_MD_MIN, 0x10000000);
#if defined(__x86_64__)
	SAME(PROC_KPTI_CTL, 0x10000000);
	SAME(PROC_KPTI_STATUS, 0x10000001);
	SAME(PROC_LA_CTL, 0x10000002);
	SAME(PROC_LA_STATUS, 0x10000003);
#endif
}

static void argument_values_are_freebsds(void **state)
{
	(void)state;
	SAME(PPROT_SET, 1);
	SAME(PPROT_CLEAR, 2);
	SAME(PPROT_DESCEND, 0x10);
	SAME(PPROT_INHERIT, 0x20);
	SAME(PPROT_OP(0x23), 3);
	SAME(PPROT_FLAGS(0x23), 0x20);
	SAME(REAPER_STATUS_OWNED, 1);
	SAME(REAPER_STATUS_REALINIT, 2);
	SAME(REAPER_PIDINFO_VALID, 1);
	SAME(REAPER_PIDINFO_CHILD, 2);
	SAME(REAPER_PIDINFO_REAPER, 4);
	SAME(REAPER_PIDINFO_ZOMBIE, 8);
	SAME(REAPER_PIDINFO_STOPPED, 0x10);
	SAME(REAPER_PIDINFO_EXITING, 0x20);
	SAME(REAPER_KILL_CHILDREN, 1);
	SAME(REAPER_KILL_SUBTREE, 2);
	SAME(PROC_TRACE_CTL_ENABLE, 1);
	SAME(PROC_TRACE_CTL_DISABLE, 2);
	SAME(PROC_TRACE_CTL_DISABLE_EXEC, 3);
	SAME(PROC_TRAPCAP_CTL_ENABLE, 1);
	SAME(PROC_TRAPCAP_CTL_DISABLE, 2);
	SAME(PROC_ASLR_FORCE_ENABLE, 1);
	SAME(PROC_ASLR_FORCE_DISABLE, 2);
	SAME(PROC_ASLR_NOFORCE, 3);
	SAME(PROC_ASLR_ACTIVE, 0x80000000u);
	SAME(PROC_PROTMAX_FORCE_ENABLE, 1);
	SAME(PROC_PROTMAX_FORCE_DISABLE, 2);
	SAME(PROC_PROTMAX_NOFORCE, 3);
	SAME(PROC_PROTMAX_ACTIVE, 0x80000000u);
	SAME(PROC_STACKGAP_ENABLE, 1);
	SAME(PROC_STACKGAP_DISABLE, 2);
	SAME(PROC_STACKGAP_ENABLE_EXEC, 4);
	SAME(PROC_STACKGAP_DISABLE_EXEC, 8);
	SAME(PROC_NO_NEW_PRIVS_ENABLE, 1);
	SAME(PROC_NO_NEW_PRIVS_DISABLE, 2);
	SAME(PROC_WX_MAPPINGS_PERMIT, 1);
	SAME(PROC_WX_MAPPINGS_DISALLOW_EXEC, 2);
	SAME(PROC_WXORX_ENFORCE, 0x80000000u);
	SAME(PROC_LOGSIGEXIT_CTL_NOFORCE, 1);
	SAME(PROC_LOGSIGEXIT_CTL_FORCE_ENABLE, 2);
	SAME(PROC_LOGSIGEXIT_CTL_FORCE_DISABLE, 3);
#if defined(__x86_64__)
	SAME(PROC_KPTI_CTL_ENABLE_ON_EXEC, 1);
	SAME(PROC_KPTI_CTL_DISABLE_ON_EXEC, 2);
	SAME(PROC_KPTI_STATUS_ACTIVE, 0x80000000u);
	SAME(PROC_LA_CTL_LA48_ON_EXEC, 1);
	SAME(PROC_LA_CTL_LA57_ON_EXEC, 2);
	SAME(PROC_LA_CTL_DEFAULT_ON_EXEC, 3);
	SAME(PROC_LA_STATUS_LA48, 0x01000000);
	SAME(PROC_LA_STATUS_LA57, 0x02000000);
#endif
}

static void structure_layouts_are_freebsds(void **state)
{
	(void)state;
	SAME(sizeof(struct procctl_reaper_status), 80);
	SAME(offsetof(struct procctl_reaper_status, rs_children), 4);
	SAME(offsetof(struct procctl_reaper_status, rs_descendants), 8);
	SAME(offsetof(struct procctl_reaper_status, rs_reaper), 12);
	SAME(offsetof(struct procctl_reaper_status, rs_pid), 16);
	SAME(sizeof(struct procctl_reaper_pidinfo), 72);
	SAME(offsetof(struct procctl_reaper_pidinfo, pi_subtree), 4);
	SAME(offsetof(struct procctl_reaper_pidinfo, pi_flags), 8);
	SAME(offsetof(struct procctl_reaper_pids, rp_pids), 16 * 4 + (sizeof(void *) == 8 ? 0 : 0));
	SAME(sizeof(struct procctl_reaper_pids), sizeof(void *) == 8 ? 72 : 68);
	SAME(sizeof(struct procctl_reaper_kill), 80);
	SAME(offsetof(struct procctl_reaper_kill, rk_flags), 4);
	SAME(offsetof(struct procctl_reaper_kill, rk_subtree), 8);
	SAME(offsetof(struct procctl_reaper_kill, rk_killed), 12);
	SAME(offsetof(struct procctl_reaper_kill, rk_fpid), 16);
}

static void id_types_come_from_glibc(void **state)
{
	(void)state;
	idtype_t a = P_PID, b = P_PGID;
	assert_int_not_equal(a, b);
	SAME(sizeof(id_t), sizeof(pid_t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(command_numbers_are_freebsds),
		cmocka_unit_test(argument_values_are_freebsds),
		cmocka_unit_test(structure_layouts_are_freebsds),
		cmocka_unit_test(id_types_come_from_glibc),
	};
	return TL_RUN(tests);
}
