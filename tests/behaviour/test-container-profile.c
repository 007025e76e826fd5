/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The library under a container runtime's seccomp profile (Docker, Podman,
 * systemd-nspawn), reproduced on any machine with a filter like theirs
 * (tests/lib/runtime-profile.h).  Every check runs in a child that loads
 * the filter, since a filter cannot be taken off again.
 *
 * In a container every process carries the runtime's filter, the caller
 * included: it cannot read a target's filters, yet commands on its own
 * children must work, and still never kill a target.
 */
#include "testlib.h"
#include "runtime-profile.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capsicum.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define NO_SECCOMP_EXIT 77

/* Load the profile, or leave the child with NO_SECCOMP_EXIT. */
static void enter_profile(unsigned int flags)
{
	if (!tl_enter_runtime_profile(flags))
		_exit(NO_SECCOMP_EXIT);
}

struct scenario {
	unsigned int flags;
	void (*fn)(unsigned int flags);
};

static void scenario_main(void *arg)
{
	const struct scenario *s = arg;
	enter_profile(s->flags);
	s->fn(s->flags);
}

static void run_scenario(unsigned int flags, void (*fn)(unsigned int flags))
{
	struct scenario s = { .flags = flags, .fn = fn };
	pid_t pid = tl_fork();
	if (pid == 0) {
		scenario_main(&s);
		fflush(NULL);
		_exit(0);
	}
	int status = tl_wait(pid, TL_CHILD_TIMEOUT_MS);
	if (WIFEXITED(status) && WEXITSTATUS(status) == NO_SECCOMP_EXIT)
		tl_skip(TL_NO_SECCOMP_REASON);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child failed (status %#x)", status);
}

/* ---- a target: a child of the filtered caller, blocked in read() ---- */

struct kid {
	pid_t pid;
	int wake;       /* write a byte: it exits 0 */
};

/*
 * Fork the target; with `own_filter`, it loads a profile of its own on top
 * of what it inherited.  False (nothing left running) where it could not.
 */
static bool kid_start_filtered(struct kid *k, unsigned int own_filter)
{
	int ready[2], wake[2];
	CHECK(pipe(ready) == 0 && pipe(wake) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		close(wake[1]);
		if (own_filter != 0 && !tl_enter_runtime_profile(own_filter))
			_exit(NO_SECCOMP_EXIT);
		CHECK(write(ready[1], "r", 1) == 1);
		char c;
		_exit(read(wake[0], &c, 1) == 1 ? 0 : 3);
	}
	close(ready[1]);
	close(wake[0]);
	char c;
	bool started = read(ready[0], &c, 1) == 1;
	close(ready[0]);
	if (!started) {
		close(wake[1]);
		int status;
		CHECK(waitpid(pid, &status, 0) == pid);
		return false;
	}
	CHECK(tl_wait_state(pid, "S", 10000));
	*k = (struct kid){ .pid = pid, .wake = wake[1] };
	return true;
}

static struct kid kid_start(void)
{
	struct kid k;
	CHECK(kid_start_filtered(&k, 0));
	return k;
}

/* It must still be there, unharmed, and exit cleanly when woken. */
static void kid_finish(struct kid *k)
{
	CHECK(write(k->wake, "x", 1) == 1);
	close(k->wake);
	int status;
	CHECK(waitpid(k->pid, &status, 0) == k->pid);
	CHECK_EQ(status, 0);
}

static unsigned long personality_of(pid_t pid)
{
	char path[64], buf[32];
	snprintf(path, sizeof(path), "/proc/%d/personality", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	CHECK(n > 0);
	buf[n] = '\0';
	return strtoul(buf, NULL, 16);
}

/* ---- commands on another process ---- */

static void commands_on_a_child(unsigned int flags)
{
	struct kid k = kid_start();
	int v = PROC_NO_NEW_PRIVS_ENABLE;
	CHECK_OK(P_PID, (id_t)k.pid, PROC_NO_NEW_PRIVS_CTL, &v);
	CHECK_EQ(tl_status_field(k.pid, "NoNewPrivs"), 1);
	v = 0;
	CHECK_OK(P_PID, (id_t)k.pid, PROC_TRACE_STATUS, &v);
	CHECK_EQ(v, 0);

	v = PROC_ASLR_FORCE_DISABLE;
	/* Inside a real container its own profile may refuse it beneath ours. */
	if ((flags & (TL_PERSONALITY_EPERM | TL_PERSONALITY_ENOSYS)) || tl_aslr_refusal() != 0) {
		/* The profile refuses it, on the caller and on the child alike. */
		CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_ASLR_CTL, &v);
		CHECK_FAILS(ENOTSUP, P_PID, (id_t)k.pid, PROC_ASLR_CTL, &v);
		CHECK_EQ(personality_of(k.pid), 0);
	} else {
		CHECK_OK(P_PID, (id_t)k.pid, PROC_ASLR_CTL, &v);
		CHECK_EQ(personality_of(k.pid), ADDR_NO_RANDOMIZE);
	}
	/* Last: without CAP_SYS_PTRACE nobody may act on it afterwards. */
	v = PROC_TRACE_CTL_DISABLE;
	CHECK_OK(P_PID, (id_t)k.pid, PROC_TRACE_CTL, &v);
	kid_finish(&k);
}

static void commands_on_a_child_work_under_dockers_profile(void **state)
{
	(void)state;
	run_scenario(TL_REFUSE_PROCESS_VM | TL_PERSONALITY_EPERM, commands_on_a_child);
}

static void commands_on_a_child_work_under_podmans_profile(void **state)
{
	(void)state;
	run_scenario(TL_REFUSE_PROCESS_VM | TL_PERSONALITY_ENOSYS, commands_on_a_child);
}

static void commands_on_a_child_work_under_a_profile_that_allows_them(void **state)
{
	(void)state;
	run_scenario(TL_REFUSE_PROCESS_VM, commands_on_a_child);
}

/* The child that learns the answer dies for it; the target never does. */
static void a_killing_call_is_refused(unsigned int flags)
{
	(void)flags;
	struct kid k = kid_start();
	int v = PROC_ASLR_FORCE_DISABLE;
	CHECK_FAILS(EPERM, P_PID, (id_t)k.pid, PROC_ASLR_CTL, &v);
	CHECK_EQ(personality_of(k.pid), 0);
	/* What the profile allows still works. */
	v = PROC_TRACE_CTL_DISABLE;
	CHECK_OK(P_PID, (id_t)k.pid, PROC_TRACE_CTL, &v);
	kid_finish(&k);
}

static void a_call_the_profile_kills_for_is_never_injected(void **state)
{
	(void)state;
	run_scenario(TL_PERSONALITY_KILL, a_killing_call_is_refused);
}

/* A target that added a filter of its own is not judged by the caller's. */
static void a_target_with_one_more_filter_is_refused(unsigned int flags)
{
	(void)flags;
	struct kid k;
	CHECK(kid_start_filtered(&k, TL_PERSONALITY_KILL));
	int v = PROC_ASLR_FORCE_DISABLE;
	CHECK_FAILS(EPERM, P_PID, (id_t)k.pid, PROC_ASLR_CTL, &v);
	v = PROC_TRACE_CTL_DISABLE;
	CHECK_FAILS(EPERM, P_PID, (id_t)k.pid, PROC_TRACE_CTL, &v);
	CHECK_EQ(personality_of(k.pid), 0);
	kid_finish(&k);
}

static void a_target_with_a_filter_of_its_own_is_refused(void **state)
{
	(void)state;
	run_scenario(TL_REFUSE_PROCESS_VM, a_target_with_one_more_filter_is_refused);
}

/*
 * A process outside the caller's line of descent with as many filters as
 * the caller, but other ones: here a sibling whose filter kills for the
 * call.  The counts match; the family does not.
 */
static pid_t sibling;

static void a_stranger_is_refused(unsigned int flags)
{
	(void)flags;
	int v = PROC_ASLR_FORCE_DISABLE;
	CHECK_FAILS(EPERM, P_PID, (id_t)sibling, PROC_ASLR_CTL, &v);
	v = PROC_TRACE_CTL_DISABLE;
	CHECK_FAILS(EPERM, P_PID, (id_t)sibling, PROC_TRACE_CTL, &v);
}

static void a_process_with_as_many_other_filters_is_refused(void **state)
{
	(void)state;
	struct kid k;
	if (!kid_start_filtered(&k, TL_PERSONALITY_KILL))
		tl_skip(TL_NO_SECCOMP_REASON);
	sibling = k.pid;
	run_scenario(TL_REFUSE_PROCESS_VM, a_stranger_is_refused);
	assert_int_equal(personality_of(sibling), 0);
	kid_finish(&k);
}

/* ---- commands on the caller at the descriptor limit ---- */

static void at_the_descriptor_limit(unsigned int flags)
{
	(void)flags;
	struct rlimit rl = { .rlim_cur = 32, .rlim_max = 32 };
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 32;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	while (open("/dev/null", O_RDONLY | O_CLOEXEC) >= 0)
		;
	CHECK_EQ(errno, EMFILE);

	int sig = SIGUSR1;
	CHECK_OK(P_PID, 0, PROC_PDEATHSIG_CTL, &sig);
	sig = 0;
	CHECK_OK(P_PID, 0, PROC_PDEATHSIG_STATUS, &sig);
	CHECK_EQ(sig, SIGUSR1);
	u_int mode = 7;
	CHECK(cap_getmode(&mode) == 0);
	CHECK_EQ(mode, 0);
	/* Bad pointers are still EFAULT, and change nothing. */
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_PDEATHSIG_CTL, (void *)1);
	CHECK_FAILS(EFAULT, P_PID, 0, PROC_PDEATHSIG_STATUS, (void *)1);
	CHECK_ERRNO(EFAULT, cap_getmode((u_int *)1));
	sig = 0;
	CHECK_OK(P_PID, 0, PROC_PDEATHSIG_STATUS, &sig);
	CHECK_EQ(sig, SIGUSR1);
}

static void commands_on_the_caller_need_no_new_descriptor(void **state)
{
	(void)state;
	run_scenario(TL_REFUSE_PROCESS_VM, at_the_descriptor_limit);
}

/* ---- the demo says what happened ---- */

static void enter_dockers_profile(void *arg)
{
	(void)arg;
	enter_profile(TL_REFUSE_PROCESS_VM | TL_PERSONALITY_EPERM);
}

static void the_demo_reports_the_refusal_it_got(void **state)
{
	(void)state;
	if (getenv("LPC_PROCCTL_DEMO") == NULL)
		tl_skip("the examples are not built (-Dexamples=false)");
	struct tl_output o;
	tl_run_program(&o, enter_dockers_profile, NULL, "LPC_PROCCTL_DEMO", (char *)NULL);
	if (WIFEXITED(o.status) && WEXITSTATUS(o.status) == NO_SECCOMP_EXIT)
		tl_skip(TL_NO_SECCOMP_REASON);
	if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0)
		fail_msg("the demo ended with status %#x:\n%s\n%s", o.status, o.out, o.err);
	if (strstr(o.out, "PROC_ASLR_CTL(FORCE_DISABLE): Operation not supported\n") == NULL ||
	    strstr(o.out, "force disabled") != NULL)
		fail_msg("the demo claims what did not happen:\n%s", o.out);
	/* After execve the status is read again, and says what it is. */
	const char *after = strstr(o.out, "after execve:\n");
	assert_non_null(after);
	assert_non_null(strstr(after, "PROC_ASLR_STATUS"));
	if (strstr(after, "(not forced, ") == NULL)
		fail_msg("after execve, the demo says:\n%s", after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commands_on_a_child_work_under_dockers_profile),
		cmocka_unit_test(commands_on_a_child_work_under_podmans_profile),
		cmocka_unit_test(commands_on_a_child_work_under_a_profile_that_allows_them),
		cmocka_unit_test(a_call_the_profile_kills_for_is_never_injected),
		cmocka_unit_test(a_target_with_a_filter_of_its_own_is_refused),
		cmocka_unit_test(a_process_with_as_many_other_filters_is_refused),
		cmocka_unit_test(commands_on_the_caller_need_no_new_descriptor),
		cmocka_unit_test(the_demo_reports_the_refusal_it_got),
	};
	return TL_RUN(tests);
}
