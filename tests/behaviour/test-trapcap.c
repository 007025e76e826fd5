/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_TRAPCAP_CTL and PROC_TRAPCAP_STATUS: the flag itself, and what it
 * does in capability mode: a denied call raises SIGTRAP (si_code TRAP_CAP,
 * si_errno ECAPMODE, si_syscall) before it returns -1/ECAPMODE.
 */
#include "testlib.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/capsicum.h>
#include <sys/syscall.h>
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

	CHECK_EQ(status_in_fork_child(PROC_TRAPCAP_STATUS), PROC_TRAPCAP_CTL_ENABLE);

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

/* ---- in capability mode ---- */

static volatile sig_atomic_t traps, trap_code, trap_errno, trap_syscall;

static void count_trap(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	traps++;
	trap_code = si->si_code;
	trap_errno = si->si_errno;
	trap_syscall = si->si_syscall;
}

static void catch_sigtrap(void)
{
	struct sigaction sa = { .sa_sigaction = count_trap, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGTRAP, &sa, NULL) == 0);
	traps = 0;
}

static void set_trapcap(int value)
{
	CHECK_OK(P_PID, 0, PROC_TRAPCAP_CTL, &value);
}

/* A denied call that FreeBSD's capability mode also refuses. */
static long denied_call(void)
{
	return syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY | O_CLOEXEC);
}

static void check_denied_call_traps(long *before_return)
{
	long traps_before = traps;
	errno = 0;
	long r = denied_call();
	*before_return = traps - traps_before;   /* delivered by the time it returned */
	CHECK_EQ(r, -1);
	CHECK_EQ(errno, ECAPMODE);
	CHECK_EQ(trap_code, TRAP_CAP);
	CHECK_EQ(trap_errno, ECAPMODE);
	CHECK_EQ(trap_syscall, SYS_openat);
}

static void trap_then_fail_quietly(void *arg)
{
	(void)arg;
	catch_sigtrap();
	long delivered;
	check_denied_call_traps(&delivered);
	CHECK_EQ(delivered, 1);
	CHECK_EQ(trapcap(), PROC_TRAPCAP_CTL_ENABLE);

	/* Turned off again: the call still fails, with no signal. */
	set_trapcap(PROC_TRAPCAP_CTL_DISABLE);
	long traps_before = traps;
	errno = 0;
	CHECK_EQ(denied_call(), -1);
	CHECK_EQ(errno, ECAPMODE);
	CHECK_EQ(traps, traps_before);

	/* And on once more. */
	set_trapcap(PROC_TRAPCAP_CTL_ENABLE);
	check_denied_call_traps(&delivered);
	CHECK_EQ(delivered, 1);
	/* Allowed calls never trap. */
	traps_before = traps;
	CHECK(getppid() > 0);
	CHECK_EQ(traps, traps_before);
}

static void a_denied_call_raises_sigtrap_before_it_returns(void **state)
{
	(void)state;
	tl_in_capmode_or_skip(NULL, trap_then_fail_quietly, NULL, true);
}

static void enable_inside(void *arg)
{
	(void)arg;
	catch_sigtrap();
	errno = 0;
	CHECK_EQ(denied_call(), -1);
	CHECK_EQ(errno, ECAPMODE);
	CHECK_EQ(traps, 0);
	set_trapcap(PROC_TRAPCAP_CTL_ENABLE);
	long delivered;
	check_denied_call_traps(&delivered);
	CHECK_EQ(delivered, 1);
}

static void enabling_it_inside_capability_mode_arms_the_trap(void **state)
{
	(void)state;
	tl_in_capmode_or_skip(NULL, enable_inside, NULL, false);
}

static void trap_in_a_fork_child(void *arg)
{
	(void)arg;
	catch_sigtrap();
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		long delivered;
		check_denied_call_traps(&delivered);
		_exit(delivered == 1 ? 0 : 1);
	}
	tl_child_waits_for_success(pid);
}

static void fork_children_inherit_the_trap(void **state)
{
	(void)state;
	tl_in_capmode_or_skip(NULL, trap_in_a_fork_child, NULL, true);
}

static void block_sigtrap(void *arg)
{
	(void)arg;
	sigset_t trap;
	sigemptyset(&trap);
	sigaddset(&trap, SIGTRAP);
	CHECK(sigprocmask(SIG_BLOCK, &trap, NULL) == 0);
}

static void call_with_sigtrap_blocked(void *arg)
{
	(void)arg;
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		denied_call();
		_exit(0);      /* FreeBSD would not get here */
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGTRAP);
}

static void a_blocked_sigtrap_still_stops_the_program(void **state)
{
	(void)state;
	tl_in_capmode_or_skip(block_sigtrap, call_with_sigtrap_blocked, NULL, true);
}

static volatile sig_atomic_t own_sigsys;

static void note_own_sigsys(int sig)
{
	(void)sig;
	own_sigsys++;
}

static void install_own_sigsys(void *arg)
{
	(void)arg;
	struct sigaction sa = { .sa_handler = note_own_sigsys };
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGSYS, &sa, NULL) == 0);
}

static void raise_sigsys(void *arg)
{
	(void)arg;
	catch_sigtrap();
	CHECK(raise(SIGSYS) == 0);
	CHECK_EQ(own_sigsys, 1);
	CHECK_EQ(traps, 0);
}

static void the_applications_own_sigsys_handler_still_runs(void **state)
{
	(void)state;
	tl_in_capmode_or_skip(install_own_sigsys, raise_sigsys, NULL, true);
}

struct exec_probe {
	int fd;
};

static void open_probe(void *arg)
{
	struct exec_probe *e = arg;
	const char *path = getenv("LPC_CAPMODE_EXEC_PROBE");
	CHECK(path != NULL);
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(e->fd >= 0);
}

static void fexecve_is_refused(void *arg)
{
	const struct exec_probe *e = arg;
	catch_sigtrap();
	char *argv[] = { "capmode-exec-probe", NULL };
	char *envp[] = { NULL };
	errno = 0;
	CHECK_EQ(fexecve(e->fd, argv, envp), -1);
	CHECK_EQ(errno, ECAPMODE);
	CHECK_EQ(traps, 1);
}

static void with_the_trap_armed_execve_fails_instead_of_killing(void **state)
{
	(void)state;
	struct exec_probe e = { .fd = -1 };
	tl_in_capmode_or_skip(open_probe, fexecve_is_refused, &e, true);
}

/*
 * A lookup the Landlock confinement refuses has run: seccomp decides before
 * a call and never sees its result, so it fails with EACCES, not
 * ENOTCAPABLE, and raises no SIGTRAP.
 */
static void hold_tmp(void *arg)
{
	int *dir = arg;
	*dir = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(*dir >= 0);
}

static void lead_out_of_tmp(void *arg)
{
	const int *dir = arg;
	catch_sigtrap();
	CHECK_ERRNO(EACCES, openat(*dir, "../etc/passwd", O_RDONLY | O_CLOEXEC));
	CHECK_EQ(traps, 0);
	long delivered;
	check_denied_call_traps(&delivered);
	CHECK_EQ(delivered, 1);
}

static void a_confined_lookup_fails_with_eacces_and_no_trap(void **state)
{
	(void)state;
	tl_landlock_or_skip();
	int dir = -1;
	tl_in_capmode_or_skip(hold_tmp, lead_out_of_tmp, &dir, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_flag_is_set_cleared_and_inherited),
		cmocka_unit_test(invalid_values_are_einval),
		cmocka_unit_test(a_process_group_including_the_caller),
		cmocka_unit_test(a_denied_call_raises_sigtrap_before_it_returns),
		cmocka_unit_test(enabling_it_inside_capability_mode_arms_the_trap),
		cmocka_unit_test(fork_children_inherit_the_trap),
		cmocka_unit_test(a_blocked_sigtrap_still_stops_the_program),
		cmocka_unit_test(the_applications_own_sigsys_handler_still_runs),
		cmocka_unit_test(with_the_trap_armed_execve_fails_instead_of_killing),
		cmocka_unit_test(a_confined_lookup_fails_with_eacces_and_no_trap),
	};
	return TL_RUN(tests);
}
