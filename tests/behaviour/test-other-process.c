/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every command FreeBSD lets a process apply to another one, applied to a
 * real target (tests/helpers/remote-target): the result, what the target
 * reports about itself afterwards, and that it went on exactly as before
 * (its blocked call resumed with its data, its registers intact).
 * Commands on process groups follow FreeBSD's best-effort rule.
 */
#include "testlib.h"
#include "target-process.h"

#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int status_of(pid_t pid, int cmd)
{
	int v = 0x5555;
	assert_procctl_ok(P_PID, (id_t)pid, cmd, &v);
	return v;
}

static int active_aslr(void)
{
	return tl_read_long("/proc/sys/kernel/randomize_va_space", 2) != 0 ?
	    (int)PROC_ASLR_ACTIVE : 0;
}

static bool have_mdwe(void)
{
	return prctl(66 /* PR_GET_MDWE */, 0, 0, 0, 0) >= 0;
}

/* ---- PROC_ASLR_CTL / _STATUS ---- */

static void aslr_ctl_reaches_every_thread_of_another_process(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "threads=3", "read");
	tp_wait_all_asleep(&tp);
	assert_int_equal(status_of(tp.pid, PROC_ASLR_STATUS), PROC_ASLR_NOFORCE | active_aslr());

	int v = PROC_ASLR_FORCE_DISABLE;
	if (tl_aslr_refusal() != 0) {
		/* A container's profile refuses it in the target as in the caller. */
		assert_procctl_fails(ENOTSUP, P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
		assert_int_equal(status_of(tp.pid, PROC_ASLR_STATUS),
		    PROC_ASLR_NOFORCE | active_aslr());
		tp_end_reading(&tp, "attrs personality=0,0,0,0 nnp=0,0,0,0 dumpable=1 mdwe=0");
		return;
	}
	assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
	/* Like on FreeBSD, the running image stays randomized; the next one will not. */
	assert_int_equal(status_of(tp.pid, PROC_ASLR_STATUS),
	    PROC_ASLR_FORCE_DISABLE | active_aslr());
	tp_end_reading(&tp, "attrs personality=40000,40000,40000,40000 nnp=0,0,0,0 "
	    "dumpable=1 mdwe=0");
}

static void aslr_noforce_clears_it_again(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "threads=1", "read");
	tp_wait_all_asleep(&tp);
	int v = PROC_ASLR_FORCE_DISABLE;
	if (tl_aslr_refusal() != 0)
		assert_procctl_fails(ENOTSUP, P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
	else
		assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
	v = PROC_ASLR_NOFORCE;
	assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
	assert_int_equal(status_of(tp.pid, PROC_ASLR_STATUS), PROC_ASLR_NOFORCE | active_aslr());
	tp_end_reading(&tp, "attrs personality=0,0 nnp=0,0 dumpable=1 mdwe=0");
}

static void aslr_ctl_on_a_busy_process_keeps_its_registers(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "busy");
	tp_wait_state(&tp, "R");
	int v = PROC_ASLR_FORCE_DISABLE;
	bool refused = tl_aslr_refusal() != 0;
	if (refused)
		assert_procctl_fails(ENOTSUP, P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
	else
		assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
	kill(tp.pid, SIGUSR1);
	tp_expect_exactly(&tp, "busy", "busy regs=ok");
	tp_expect_exactly(&tp, "attrs", refused ? "attrs personality=0 nnp=0 dumpable=1 mdwe=0" :
	    "attrs personality=40000 nnp=0 dumpable=1 mdwe=0");
	tp_finish_cleanly(&tp);
}

/* ---- PROC_TRACE_CTL / _STATUS ---- */

static void trace_disable_applies_to_another_process(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "read");
	tp_wait_state(&tp, "S");
	assert_int_equal(status_of(tp.pid, PROC_TRACE_STATUS), 0);
	int v = PROC_TRACE_CTL_DISABLE;
	assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_TRACE_CTL, &v);
	assert_int_equal(status_of(tp.pid, PROC_TRACE_STATUS), -1);
	/* Disabled, it may be debugged only with privilege, as on FreeBSD. */
	if (tl_has_cap(CAP_SYS_PTRACE))
		assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_TRACE_CTL, &v);
	else
		assert_procctl_fails(EPERM, P_PID, (id_t)tp.pid, PROC_TRACE_CTL, &v);
	tp_end_reading(&tp, "attrs personality=0 nnp=0 dumpable=0 mdwe=0");
}

/*
 * A vfork child has its parent's memory until it execs or exits, and Linux
 * keeps the dumpable flag there: tracing disabled in the child is disabled
 * in its parent too (on FreeBSD the flag is the child's alone).
 */
static void trace_disable_on_a_vfork_child_reaches_its_parent(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "vfork");
	pid_t child = tp_vfork_child(&tp);
	int v = PROC_TRACE_CTL_DISABLE;
	assert_procctl_ok(P_PID, (id_t)child, PROC_TRACE_CTL, &v);
	assert_int_equal(status_of(child, PROC_TRACE_STATUS), -1);
	/*
	 * Our grandchild: ended, the target wakes, not dumpable.  (Its status
	 * is read from its own report: asked while it is in the vfork, a
	 * status the kernel hides, as under valgrind, would take the remote
	 * engine, which refuses that sleep.)
	 */
	kill(child, SIGKILL);
	tp_expect_exactly(&tp, "vfork", "vfork done 1");
	tp_expect_exactly(&tp, "attrs", "attrs personality=0 nnp=0 dumpable=0 mdwe=0");
	tp_finish_cleanly(&tp);
}

/* ---- PROC_NO_NEW_PRIVS_CTL / _STATUS ---- */

static void no_new_privs_reaches_every_thread_of_another_process(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "threads=3", "read");
	tp_wait_all_asleep(&tp);
	assert_int_equal(status_of(tp.pid, PROC_NO_NEW_PRIVS_STATUS), PROC_NO_NEW_PRIVS_DISABLE);
	int v = PROC_NO_NEW_PRIVS_ENABLE;
	assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_NO_NEW_PRIVS_CTL, &v);
	assert_int_equal(status_of(tp.pid, PROC_NO_NEW_PRIVS_STATUS), PROC_NO_NEW_PRIVS_ENABLE);
	v = PROC_NO_NEW_PRIVS_DISABLE;
	assert_procctl_fails(EINVAL, P_PID, (id_t)tp.pid, PROC_NO_NEW_PRIVS_CTL, &v);
	tp_end_reading(&tp, "attrs personality=0,0,0,0 nnp=1,1,1,1 dumpable=1 mdwe=0");
}

/* ---- PROC_WXMAP_CTL / _STATUS ---- */

static void wxmap_disallow_exec_applies_to_another_process(void **state)
{
	(void)state;
	if (!have_mdwe())
		tl_skip("this kernel has no PR_SET_MDWE (Linux 6.3+)");
	struct target_process tp;
	TP_START(&tp, "read");
	tp_wait_state(&tp, "S");
	assert_int_equal(status_of(tp.pid, PROC_WXMAP_STATUS), 0);
	int v = PROC_WX_MAPPINGS_PERMIT;
	assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_WXMAP_CTL, &v);
	v = PROC_WX_MAPPINGS_DISALLOW_EXEC;
	assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_WXMAP_CTL, &v);
	assert_int_equal(status_of(tp.pid, PROC_WXMAP_STATUS),
	    PROC_WX_MAPPINGS_DISALLOW_EXEC | (int)PROC_WXORX_ENFORCE);
	/* W^X cannot be lifted once in force. */
	v = PROC_WX_MAPPINGS_PERMIT;
	assert_procctl_fails(EPERM, P_PID, (id_t)tp.pid, PROC_WXMAP_CTL, &v);
	tp_end_reading(&tp, "attrs personality=0 nnp=0 dumpable=1 mdwe=1");
}

/* ---- controls Linux has no per-process switch for ---- */

static void hardening_controls_on_another_process_follow_linux(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "read");
	tp_wait_state(&tp, "S");
	pid_t pid = tp.pid;
	int v = PROC_PROTMAX_FORCE_DISABLE;
	assert_procctl_ok(P_PID, (id_t)pid, PROC_PROTMAX_CTL, &v);
	v = PROC_PROTMAX_FORCE_ENABLE;
	assert_procctl_fails(ENOTSUP, P_PID, (id_t)pid, PROC_PROTMAX_CTL, &v);
	assert_int_equal(status_of(pid, PROC_PROTMAX_STATUS), PROC_PROTMAX_NOFORCE);

	v = PROC_STACKGAP_ENABLE | PROC_STACKGAP_ENABLE_EXEC;
	assert_procctl_ok(P_PID, (id_t)pid, PROC_STACKGAP_CTL, &v);
	v = PROC_STACKGAP_DISABLE;
	assert_procctl_fails(ENOTSUP, P_PID, (id_t)pid, PROC_STACKGAP_CTL, &v);
	assert_int_equal(status_of(pid, PROC_STACKGAP_STATUS),
	    PROC_STACKGAP_ENABLE | PROC_STACKGAP_ENABLE_EXEC);

	v = PROC_LOGSIGEXIT_CTL_NOFORCE;
	assert_procctl_ok(P_PID, (id_t)pid, PROC_LOGSIGEXIT_CTL, &v);
	assert_int_equal(status_of(pid, PROC_LOGSIGEXIT_STATUS), PROC_LOGSIGEXIT_CTL_NOFORCE);
#if defined(PROC_LA_CTL)
	v = PROC_LA_CTL_LA48_ON_EXEC;
	assert_procctl_ok(P_PID, (id_t)pid, PROC_LA_CTL, &v);
	v = PROC_LA_CTL_LA57_ON_EXEC;
	assert_procctl_fails(ENOTSUP, P_PID, (id_t)pid, PROC_LA_CTL, &v);
	assert_int_equal(status_of(pid, PROC_LA_STATUS),
	    PROC_LA_CTL_DEFAULT_ON_EXEC | PROC_LA_STATUS_LA48);
#endif
	tp_end_reading(&tp, "attrs personality=0 nnp=0 dumpable=1 mdwe=0");
}

/* ---- targets the engine must leave alone ---- */

static void a_filtered_process_is_never_killed_by_a_command(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "seccomp=kill:personality", "read");
	tp_wait_state(&tp, "S");
	int v = PROC_ASLR_FORCE_DISABLE;
	assert_procctl_fails(EPERM, P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
	/*
	 * prctl is allowed: with the right to read the filter, it is applied;
	 * without it, nothing happens.  (An unprivileged target needed
	 * no_new_privs to install its filter in the first place.)
	 */
	long nnp = tl_status_field(tp.pid, "NoNewPrivs");
	v = PROC_NO_NEW_PRIVS_ENABLE;
	if (tp_can_judge_filters()) {
		assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_NO_NEW_PRIVS_CTL, &v);
		nnp = 1;
	} else {
		assert_procctl_fails(EPERM, P_PID, (id_t)tp.pid, PROC_NO_NEW_PRIVS_CTL, &v);
	}
	char want[128];
	snprintf(want, sizeof(want), "attrs personality=0 nnp=%ld dumpable=1 mdwe=0", nnp);
	tp_end_reading(&tp, want);
}

static void a_stopped_process_is_ebusy_and_stays_stopped(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "read");
	tp_wait_state(&tp, "S");
	kill(tp.pid, SIGSTOP);
	tp_wait_state(&tp, "T");
	int v = PROC_ASLR_FORCE_DISABLE;
	assert_procctl_fails(EBUSY, P_PID, (id_t)tp.pid, PROC_ASLR_CTL, &v);
	v = PROC_TRACE_CTL_DISABLE;
	assert_procctl_fails(EBUSY, P_PID, (id_t)tp.pid, PROC_TRACE_CTL, &v);
	assert_true(tl_wait_state(tp.pid, "T", 10));
	kill(tp.pid, SIGCONT);
	tp_end_reading(&tp, "attrs personality=0 nnp=0 dumpable=1 mdwe=0");
}

/* ---- process groups: FreeBSD's best effort ---- */

/*
 * The caller without CAP_SYS_PTRACE (dropped with libcap where held), and
 * members without capabilities, so that only dumpable decides: a
 * non-dumpable member is one the caller may see but not debug.  (The
 * kernel also wants a target's capabilities to be a subset of the
 * caller's: a member keeping all of root's would be forbidden too.)
 */
struct group {
	pid_t mixed;            /* a permitted leader and a forbidden member */
	pid_t forbidden_only;
};

static void disable_tracing_of_the_groups(void *arg)
{
	const struct group *g = arg;
	tl_drop_effective_cap(CAP_SYS_PTRACE);
	int v = PROC_TRACE_CTL_DISABLE;
	/* One member could be changed: success; the other one is skipped. */
	CHECK_OK(P_PGID, (id_t)g->mixed, PROC_TRACE_CTL, &v);
	/* Nobody in the group may be debugged: nobody tried, ESRCH. */
	CHECK_FAILS(ESRCH, P_PGID, (id_t)g->forbidden_only, PROC_TRACE_CTL, &v);
}

static void a_group_skips_members_the_caller_may_not_debug(void **state)
{
	(void)state;
	struct target_process a, b, lone;
	TP_START(&a, "pgrp=0", "nocaps", "read");
	char pgrp[32];
	snprintf(pgrp, sizeof(pgrp), "pgrp=%d", (int)a.pid);
	const char *const b_args[] = { pgrp, "nocaps", "nondumpable", "read", NULL };
	const char *const lone_args[] = { "pgrp=0", "nocaps", "nondumpable", "read", NULL };
	if (!tp_start(&b, b_args)) {
		tp_kill(&a);
		tl_skip("the target could not be put in its state");
	}
	if (!tp_start(&lone, lone_args)) {
		tp_kill(&a);
		tp_kill(&b);
		tl_skip("the target could not be put in its state");
	}
	tp_wait_state(&a, "S");
	tp_wait_state(&b, "S");
	tp_wait_state(&lone, "S");
	/* The members hold no capability now: libcap's cap_get_pid says so. */
	const pid_t members[] = { a.pid, b.pid, lone.pid };
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		assert_false(tl_pid_has_cap(members[i], CAP_SYS_PTRACE));
		assert_false(tl_pid_has_cap(members[i], CAP_SYS_ADMIN));
	}
	struct group g = { .mixed = a.pid, .forbidden_only = lone.pid };
	run_in_child(disable_tracing_of_the_groups, &g);

	/* b and lone were not dumpable before; a is now, and all read on. */
	tp_end_reading(&a, "attrs personality=0 nnp=0 dumpable=0 mdwe=0");
	tp_end_reading(&b, "attrs personality=0 nnp=0 dumpable=0 mdwe=0");
	tp_end_reading(&lone, "attrs personality=0 nnp=0 dumpable=0 mdwe=0");
}

static void a_group_reports_the_first_error_when_nobody_succeeds(void **state)
{
	(void)state;
	struct target_process a, b;
	TP_START(&a, "pgrp=0", "read");
	char pgrp[32];
	snprintf(pgrp, sizeof(pgrp), "pgrp=%d", (int)a.pid);
	const char *const b_args[] = { pgrp, "read", NULL };
	if (!tp_start(&b, b_args)) {
		tp_kill(&a);
		tl_skip("the target could not be put in its state");
	}
	tp_wait_state(&a, "S");
	tp_wait_state(&b, "S");
	kill(a.pid, SIGSTOP);
	kill(b.pid, SIGSTOP);
	tp_wait_state(&a, "T");
	tp_wait_state(&b, "T");
	/* Both may be debugged, neither can be held: the handler's EBUSY. */
	int v = PROC_TRACE_CTL_DISABLE;
	assert_procctl_fails(EBUSY, P_PGID, (id_t)a.pid, PROC_TRACE_CTL, &v);
	kill(a.pid, SIGCONT);
	kill(b.pid, SIGCONT);
	tp_end_reading(&a, "attrs personality=0 nnp=0 dumpable=1 mdwe=0");
	tp_end_reading(&b, "attrs personality=0 nnp=0 dumpable=1 mdwe=0");
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * The engine waits out an uninterruptible sleep for 100 ms in all per
 * call, over a whole group too: once one member has used that time, the
 * others stuck in such a sleep are refused at once.  Each member waited
 * its own 100 ms before, so that a group of many such members could hold
 * the caller for as many tenths of a second; here that would be at least
 * MEMBERS * 100 ms.
 */
static void a_group_in_uninterruptible_sleep_is_waited_for_once(void **state)
{
	(void)state;
	enum { MEMBERS = 10, WAIT_MS = 100 };
	struct target_process tp[MEMBERS];
	pid_t child[MEMBERS];
	char pgrp[32] = "pgrp=0";
	for (int i = 0; i < MEMBERS; i++) {
		const char *const args[] = { pgrp, "vfork", NULL };
		if (!tp_start(&tp[i], args)) {
			for (int j = 0; j < i; j++) {
				kill(child[j], SIGKILL);
				tp_kill(&tp[j]);
			}
			tl_skip("the target could not be put in its state");
		}
		snprintf(pgrp, sizeof(pgrp), "pgrp=%d", (int)tp[0].pid);
		child[i] = tp_vfork_child(&tp[i]);
	}

	int v = PROC_TRACE_CTL_DISABLE;
	long long start = now_ms();
	assert_procctl_fails(EBUSY, P_PGID, (id_t)tp[0].pid, PROC_TRACE_CTL, &v);
	long long took = now_ms() - start;
	print_message("# the group took %lld ms\n", took);
	assert_in_range(took, 0, MEMBERS * WAIT_MS - 1);

	/* Our grandchildren (in groups of their own): ended, the targets wake unchanged. */
	for (int i = 0; i < MEMBERS; i++) {
		kill(child[i], SIGKILL);
		tp_expect_exactly(&tp[i], "vfork", "vfork done 1");
		tp_expect_exactly(&tp[i], "attrs", "attrs personality=0 nnp=0 dumpable=1 mdwe=0");
		tp_finish_cleanly(&tp[i]);
	}
}

int main(void)
{
	/* These tests stop and hold processes: keep them in a namespace of their own. */
	tl_contain_in_pid_namespace();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aslr_ctl_reaches_every_thread_of_another_process),
		cmocka_unit_test(aslr_noforce_clears_it_again),
		cmocka_unit_test(aslr_ctl_on_a_busy_process_keeps_its_registers),
		cmocka_unit_test(trace_disable_applies_to_another_process),
		cmocka_unit_test(trace_disable_on_a_vfork_child_reaches_its_parent),
		cmocka_unit_test(no_new_privs_reaches_every_thread_of_another_process),
		cmocka_unit_test(wxmap_disallow_exec_applies_to_another_process),
		cmocka_unit_test(hardening_controls_on_another_process_follow_linux),
		cmocka_unit_test(a_filtered_process_is_never_killed_by_a_command),
		cmocka_unit_test(a_stopped_process_is_ebusy_and_stays_stopped),
		cmocka_unit_test(a_group_skips_members_the_caller_may_not_debug),
		cmocka_unit_test(a_group_reports_the_first_error_when_nobody_succeeds),
		cmocka_unit_test(a_group_in_uninterruptible_sleep_is_waited_for_once),
	};
	return TL_RUN(tests);
}
