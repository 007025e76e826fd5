/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_PDEATHSIG_CTL and _STATUS, after FreeBSD's tests/sys/kern/pdeathsig.c. */
#include "testlib.h"

#include <signal.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arguments_are_validated_as_on_freebsd),
		cmocka_unit_test(fork_children_do_not_inherit_it),
		cmocka_unit_test(a_plain_execve_keeps_it),
		cmocka_unit_test(the_signal_is_delivered_when_the_parent_exits),
	};
	return TL_RUN(tests);
}
