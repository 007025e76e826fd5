/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_PDEATHSIG_CTL and _STATUS, after FreeBSD's tests/sys/kern/pdeathsig.c. */
#include "testlib.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int pdeathsig(void)
{
	int v = -1;
	CHECK_OK(P_PID, 0, PROC_PDEATHSIG_STATUS, &v);
	return v;
}

static void validate(void *arg)
{
	(void)arg;
	int before = pdeathsig();   /* the harness forks children with SIGKILL */
	int v = 8888;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_PDEATHSIG_CTL, &v);
	v = 65;     /* a FreeBSD signal number Linux does not have */
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_PDEATHSIG_CTL, &v);
	v = -1;
	CHECK_FAILS(EINVAL, P_PID, 0, PROC_PDEATHSIG_CTL, &v);
	v = SIGUSR1;
	CHECK_FAILS(EINVAL, (idtype_t)8888, 0, PROC_PDEATHSIG_CTL, &v);
	CHECK_FAILS(EINVAL, P_PGID, 0, PROC_PDEATHSIG_CTL, &v);
	CHECK_FAILS(EINVAL, P_PID, (id_t)tl_unused_pid(), PROC_PDEATHSIG_CTL, &v);
	CHECK_FAILS(EINVAL, P_PID, (id_t)getppid(), PROC_PDEATHSIG_CTL, &v);
	CHECK_FAILS(EINVAL, P_PID, (id_t)getppid(), PROC_PDEATHSIG_STATUS, &v);
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_PDEATHSIG_CTL, NULL);
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_PDEATHSIG_STATUS, NULL);
	CHECK_EQ(pdeathsig(), before);

	v = SIGUSR1;
	CHECK_OK(P_PID, 0, PROC_PDEATHSIG_CTL, &v);
	CHECK_EQ(pdeathsig(), SIGUSR1);
	v = 64;
	CHECK_OK(P_PID, (id_t)getpid(), PROC_PDEATHSIG_CTL, &v);
	CHECK_EQ(pdeathsig(), 64);
	v = 0;
	CHECK_OK(P_PID, 0, PROC_PDEATHSIG_CTL, &v);
	CHECK_EQ(pdeathsig(), 0);
}

static void arguments_are_validated_as_on_freebsd(void **state)
{
	(void)state;
	run_in_child(validate, NULL);
}

static void set_then_fork(void *arg)
{
	(void)arg;
	int v = SIGUSR1;   /* the child must see 0, not this nor the harness's */
	CHECK_OK(P_PID, 0, PROC_PDEATHSIG_CTL, &v);
	CHECK_EQ(status_in_fork_child(PROC_PDEATHSIG_STATUS), 0);
}

static void fork_children_do_not_inherit_it(void **state)
{
	(void)state;
	run_in_child(set_then_fork, NULL);
}

static void set_for_probe(void *arg)
{
	(void)arg;
	int v = SIGUSR2;
	if (procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &v) != 0)
		_exit(80);
}

static void a_plain_execve_keeps_it(void **state)
{
	(void)state;
	assert_int_equal(tl_probe_after_exec(set_for_probe, NULL, "pdeathsig"), SIGUSR2);
}

/* B forks C; C asks for SIGUSR1 when B dies; B exits; C must get it. */
static void grandchild_gets_the_signal(void *arg)
{
	(void)arg;
	int ready[2];
	CHECK(pipe(ready) == 0);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		int v = SIGUSR1;
		if (procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &v) != 0)
			_exit(80);
		if (write(ready[1], "x", 1) != 1)
			_exit(81);
		struct timespec limit = { 10, 0 };
		siginfo_t info;
		_exit(sigtimedwait(&set, &info, &limit) == SIGUSR1 ? 0 : 82);
	}
	char ch;
	CHECK_EQ(read(ready[0], &ch, 1), 1);
	/* B (this process) exits now; C is reparented and signalled. */
}

static void delivered(void *arg)
{
	(void)arg;
	/* Be the reaper of C, so that its exit status comes back here. */
	if (getpid() != 1)
		CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	pid_t b = fork();
	CHECK(b >= 0);
	if (b == 0) {
		grandchild_gets_the_signal(NULL);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(b, &status, 0), b);
	pid_t c = waitpid(-1, &status, 0);
	CHECK(c > 0);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}

static void the_signal_is_delivered_when_the_parent_exits(void **state)
{
	(void)state;
	run_in_child(delivered, NULL);
}

/*
 * FreeBSD's signal_delivered_ptrace: C is traced by its sibling D when B,
 * their parent, exits; D sees C stop for the signal, passes it on, and C
 * gets it.  (Linux stops a tracee only for a signal it delivers, so C
 * waits with a handler rather than in sigwait.)
 */
static volatile sig_atomic_t got_signal;

static void on_usr1(int sig)
{
	(void)sig;
	got_signal = 1;
}

static void traced_child(int ready_fd)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	int v = SIGUSR1;
	if (procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &v) != 0)
		_exit(80);
	if (write(ready_fd, "c", 1) != 1)
		_exit(81);
	for (int i = 0; i < 1000 && !got_signal; i++)
		usleep(10000);
	_exit(got_signal ? 0 : 82);
}

static void tracing_sibling(pid_t c, int ready_fd)
{
	int status;
	if (ptrace(PTRACE_ATTACH, c, NULL, NULL) != 0)
		_exit(70);
	if (waitpid(c, &status, __WALL) != c || !WIFSTOPPED(status))
		_exit(71);
	if (ptrace(PTRACE_CONT, c, NULL, NULL) != 0)
		_exit(72);
	if (write(ready_fd, "d", 1) != 1)
		_exit(73);
	/* B exits now: C stops for its death signal. */
	for (;;) {
		if (waitpid(c, &status, __WALL) != c)
			_exit(74);
		if (WIFSTOPPED(status) && WSTOPSIG(status) == SIGUSR1)
			break;
		if (!WIFSTOPPED(status))
			_exit(75);
		/* Another stop (a stray SIGSTOP): let it go on. */
		if (ptrace(PTRACE_CONT, c, NULL, NULL) != 0)
			_exit(76);
	}
	if (ptrace(PTRACE_CONT, c, NULL, (void *)(long)SIGUSR1) != 0)
		_exit(77);
	if (waitpid(c, &status, __WALL) != c)
		_exit(78);
	_exit(WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 79);
}

static void delivered_while_traced(void *arg)
{
	(void)arg;
	if (getpid() != 1)
		CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	pid_t b = fork();
	CHECK(b >= 0);
	if (b == 0) {
		int ready[2];
		if (pipe(ready) != 0)
			_exit(60);
		pid_t c = fork();
		if (c == 0)
			traced_child(ready[1]);
		char ch;
		if (c < 0 || read(ready[0], &ch, 1) != 1)
			_exit(61);
		pid_t d = fork();
		if (d == 0)
			tracing_sibling(c, ready[1]);
		if (d < 0 || read(ready[0], &ch, 1) != 1)
			_exit(62);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(b, &status, 0), b);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* C and D, now ours: both must end well. */
	for (int i = 0; i < 2; i++) {
		pid_t got = waitpid(-1, &status, 0);
		CHECK(got > 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			child_fail(__FILE__, __LINE__, "pid %d ended with status %#x", (int)got, status);
	}
}

static void the_signal_is_delivered_through_a_tracer(void **state)
{
	(void)state;
	run_in_child(delivered_while_traced, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arguments_are_validated_as_on_freebsd),
		cmocka_unit_test(fork_children_do_not_inherit_it),
		cmocka_unit_test(a_plain_execve_keeps_it),
		cmocka_unit_test(the_signal_is_delivered_when_the_parent_exits),
		cmocka_unit_test(the_signal_is_delivered_through_a_tracer),
	};
	return TL_RUN(tests);
}
