/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The remote engine on a real target (tests/helpers/remote-target) in each
 * state it must handle: the call runs, and the target goes on exactly as
 * before; or the engine refuses, and the target is left as it was.
 */
#include "testlib.h"
#include "exiting-process.h"
#include "target-process.h"

#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif

#include "pidref.h"
#include "remote.h"
#include "remote_session.h"

static int inject(pid_t pid, unsigned int flags, long nr, long arg0, long *result)
{
	struct target t;
	int r = target_open(&t, pid, ACCESS_SEE);
	if (r < 0)
		return r;
	const long args[6] = { arg0 };
	r = remote_syscall(&t, flags, nr, args, result);
	target_close(&t);
	return r;
}

static void a_busy_target_keeps_every_register(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "busy");
	tp_wait_state(&tp, "R");
	for (int i = 0; i < 3; i++) {
		long result = 0;
		assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), 0);
		assert_int_equal(result, tp.pid);
	}
	kill(tp.pid, SIGUSR1);
	tp_expect_exactly(&tp, "busy", "busy regs=ok");
	tp_finish_cleanly(&tp);
}

static void a_read_resumes_with_its_data(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "read");
	tp_wait_state(&tp, "S");
	long result;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), 0);
	assert_int_equal(result, tp.pid);
	tp_send(&tp, "hello\n");
	tp_expect_exactly(&tp, "read", "read n=6 data=hello");
	tp_finish_cleanly(&tp);
}

static void pause_still_ends_with_eintr_on_the_next_signal(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "pause");
	tp_wait_state(&tp, "S");
	long result;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), 0);
	assert_true(tl_wait_state(tp.pid, "S", 5000));
	kill(tp.pid, SIGUSR1);
	tp_expect_exactly(&tp, "pause", "pause rc=-1 errno=4");
	char want[128];
	snprintf(want, sizeof(want), "signal sig=%d code=0 pid=%d value=0", SIGUSR1, (int)getpid());
	tp_expect_exactly(&tp, "signal", want);
	tp_finish_cleanly(&tp);
}

/*
 * Long enough for three injections under valgrind, each of which may fork
 * the peer judge's child there: the target must still be asleep for all.
 */
#define NANOSLEEP_MS 3000  /* the target's argument below */

static void a_nanosleep_still_ends_on_time(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "sleep=3000");
	tp_wait_state(&tp, "S");
	long result;
	for (int i = 0; i < 3; i++)
		assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), 0);
	char line[128];
	tp_expect(&tp, "sleep", line, sizeof(line));
	int rc = -2, ms = 0;
	assert_int_equal(sscanf(line, "sleep rc=%d ms=%d", &rc, &ms), 2);
	assert_int_equal(rc, 0);
	/* Restarted with the time left, not from the start, and not cut short. */
	assert_true(ms >= NANOSLEEP_MS);
	assert_true(ms < NANOSLEEP_MS + 5000);
	tp_finish_cleanly(&tp);
}

/* Sent from the helper while it holds the target: the worst moment. */
static void queue_sigusr1(pid_t tgid)
{
	union sigval value = { .sival_int = 4242 };
	sigqueue(tgid, SIGUSR1, value);
}

static void kill_sigusr1(pid_t tgid)
{
	kill(tgid, SIGUSR1);
}

static void check_signal_given_back(const char *state, void (*send)(pid_t), int code, int value)
{
	struct target_process tp;
	TP_START(&tp, state);
	tp_wait_state(&tp, strcmp(state, "busy") == 0 ? "R" : "S");
	long result;
	remote_session_held_hook = send;
	int r = inject(tp.pid, 0, SYS_getpid, 0, &result);
	remote_session_held_hook = NULL;
	assert_int_equal(r, 0);
	assert_int_equal(result, tp.pid);

	char line[256];
	if (strcmp(state, "busy") == 0)
		tp_expect_exactly(&tp, "busy", "busy regs=ok");
	tp_expect(&tp, "signal", line, sizeof(line));
	int sig = 0, got_code = 99, pid = 0, got_value = 0;
	assert_int_equal(sscanf(line, "signal sig=%d code=%d pid=%d value=%d",
	    &sig, &got_code, &pid, &got_value), 4);
	assert_int_equal(sig, SIGUSR1);
	/* The sender's code and value, not the engine's: given back intact. */
	assert_int_equal(got_code, code);
	assert_int_equal(got_value, value);
	assert_true(pid != tp.pid);
	tp_finish_cleanly(&tp);
}

static void a_signal_queued_while_held_is_delivered_with_its_siginfo(void **state)
{
	(void)state;
	check_signal_given_back("pause", queue_sigusr1, SI_QUEUE, 4242);
	check_signal_given_back("busy", queue_sigusr1, SI_QUEUE, 4242);
}

static void a_signal_killed_while_held_keeps_its_sender(void **state)
{
	(void)state;
	check_signal_given_back("pause", kill_sigusr1, SI_USER, 0);
}

static void a_stopped_target_is_refused_and_stays_stopped(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "read");
	tp_wait_state(&tp, "S");
	kill(tp.pid, SIGSTOP);
	tp_wait_state(&tp, "T");
	long result;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), -EBUSY);
	usleep(50000);
	assert_true(tl_wait_state(tp.pid, "T", 10));
	assert_int_equal(tl_status_field(tp.pid, "TracerPid"), 0);
	kill(tp.pid, SIGCONT);
	tp_end_reading(&tp, NULL);
}

static void a_traced_target_is_refused(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "read");
	tp_wait_state(&tp, "S");
	if (ptrace(PTRACE_SEIZE, tp.pid, 0, 0) != 0) {
		tp_kill(&tp);
		tl_skip("this test may not trace its own child: %s", strerror(errno));
	}
	long result;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), -EBUSY);
	/* Let it go again: a seized tracee must be stopped to be detached. */
	assert_int_equal(ptrace(PTRACE_INTERRUPT, tp.pid, 0, 0), 0);
	int status;
	assert_int_equal(waitpid(tp.pid, &status, __WALL), tp.pid);
	assert_int_equal(ptrace(PTRACE_DETACH, tp.pid, 0, 0), 0);
	tp_end_reading(&tp, NULL);
}

static void a_target_in_uninterruptible_sleep_is_refused(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "vfork");
	pid_t child = tp_vfork_child(&tp);
	long result;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), -EBUSY);
	assert_int_equal(tl_status_field(tp.pid, "TracerPid"), 0);
	/* Our grandchild: end it, and the target wakes and goes on. */
	kill(child, SIGKILL);
	tp_expect_exactly(&tp, "vfork", "vfork done 1");
	tp_finish_cleanly(&tp);
}

/*
 * A short uninterruptible sleep (here a vfork child that exits after
 * 50 ms; in life a page read in, a posix_spawn) is waited out, not
 * refused: the engine's EBUSY is for sleeps that last.
 */
static void a_short_uninterruptible_sleep_is_waited_out(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "vfork=50");
	(void)tp_vfork_child(&tp);
	long result = 0;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), 0);
	assert_int_equal(result, tp.pid);
	tp_expect_exactly(&tp, "vfork", "vfork done 1");
	tp_send(&tp, "go\n");
	tp_finish_cleanly(&tp);
}

/*
 * The wait for uninterruptible sleeps is one budget per scope (procctl()
 * opens one per call): a sleep that lasts uses all of it, and the answer
 * carries what was waited back from the helper (through its pipe: under
 * valgrind the helper is a fork and shares no memory).  A scope opened
 * inside another, as by a call from a signal handler, has its own, and
 * closing it gives the outer one back as it was.
 */
static void one_scope_shares_one_wait_for_uninterruptible_sleeps(void **state)
{
	(void)state;
	struct remote_patience outside = remote_patience_begin();
	assert_false(outside.open);

	struct target_process tp;
	TP_START(&tp, "vfork");
	pid_t child = tp_vfork_child(&tp);
	long result;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), -EBUSY);

	/* What the scope has left: nothing. */
	struct remote_patience spent = remote_patience_begin();
	assert_true(spent.open);
	assert_int_equal(spent.left_ms, 0);
	/* A scope of its own inside it has the whole wait. */
	struct remote_patience inner = remote_patience_begin();
	assert_true(inner.open);
	assert_int_equal(inner.left_ms, UNINTERRUPTIBLE_WAIT_MS);
	remote_patience_end(inner);
	remote_patience_end(spent);

	/* Nothing left: refused at once, and the outer scope comes back spent. */
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), -EBUSY);
	struct remote_patience again = remote_patience_begin();
	assert_int_equal(again.left_ms, 0);
	remote_patience_end(again);
	remote_patience_end(outside);
	again = remote_patience_begin();
	assert_false(again.open);
	remote_patience_end(again);

	assert_int_equal(tl_status_field(tp.pid, "TracerPid"), 0);
	kill(child, SIGKILL);
	tp_expect_exactly(&tp, "vfork", "vfork done 1");
	tp_finish_cleanly(&tp);
}

static void every_thread_runs_a_call_meant_for_all(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "threads=4", "read");
	tp_wait_all_asleep(&tp);
	long result = -1;
	int refusal = tl_aslr_refusal();
	assert_int_equal(inject(tp.pid, REMOTE_ALL_THREADS, SYS_personality,
	    ADDR_NO_RANDOMIZE, &result), 0);
	if (refusal != 0) {
		/* A container's profile fails it in the first thread; no thread changes. */
		assert_int_equal(result, -refusal);
		tp_end_reading(&tp, "attrs personality=0,0,0,0,0 nnp=0,0,0,0,0 dumpable=1 mdwe=0");
		return;
	}
	assert_int_equal(result, 0);     /* personality() returns the old value */
	tp_end_reading(&tp, "attrs personality=40000,40000,40000,40000,40000 "
	    "nnp=0,0,0,0,0 dumpable=1 mdwe=0");
}

static void a_single_call_runs_in_the_leader_only(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "threads=2", "read");
	tp_wait_all_asleep(&tp);
	long result = -1;
	int refusal = tl_aslr_refusal();
	assert_int_equal(inject(tp.pid, 0, SYS_personality, ADDR_NO_RANDOMIZE, &result), 0);
	assert_int_equal(result, -refusal);
	tp_end_reading(&tp, refusal != 0 ? "attrs personality=0,0,0 nnp=0,0,0 dumpable=1 mdwe=0" :
	    "attrs personality=40000,0,0 nnp=0,0,0 dumpable=1 mdwe=0");
}

static void threads_appearing_meanwhile_are_held_or_refused(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "churn");
	tp_wait_state(&tp, "RS");
	int done = 0, busy = 0;
	for (int i = 0; i < 10; i++) {
		long result = 0;
		int r = inject(tp.pid, REMOTE_ALL_THREADS, SYS_getpid, 0, &result);
		if (r == 0 && result == tp.pid)
			done++;
		else if (r == -EBUSY)
			busy++;
		else
			fail_msg("engine on a thread-creating target: %d (result %ld)", r, result);
	}
	print_message("# %d held, %d refused as busy\n", done, busy);
	kill(tp.pid, SIGUSR1);
	char line[128];
	tp_expect(&tp, "churn", line, sizeof(line));
	assert_true(atol(line + strlen("churn n=")) > 0);
	tp_finish_cleanly(&tp);
}

static void a_killing_filter_is_never_triggered(void **state)
{
	(void)state;
	const char *filters[] = { "seccomp=kill:getsid", "seccomp=trap:getsid" };
	for (size_t i = 0; i < 2; i++) {
		struct target_process tp;
		TP_START(&tp, filters[i], "read");
		tp_wait_state(&tp, "S");
		long result;
		assert_int_equal(inject(tp.pid, 0, SYS_getsid, 0, &result), -EPERM);
		tp_end_reading(&tp, NULL);
	}
}

/*
 * getsid() under a filter the target allows or fails: with the right to
 * read filters, the engine answers what the target would; without, it
 * refuses the filtered target before stopping it.
 */
static void check_judged_call(const char *filter, long answer)
{
	struct target_process tp;
	TP_START(&tp, filter, "read");
	tp_wait_state(&tp, "S");
	long result = 0;
	int r = inject(tp.pid, 0, SYS_getsid, 0, &result);
	if (tp_can_judge_filters()) {
		assert_int_equal(r, 0);
		assert_int_equal(result, answer);
	} else {
		assert_int_equal(r, -EPERM);
	}
	tp_end_reading(&tp, NULL);
}

static void a_failing_filter_answers_for_the_call(void **state)
{
	(void)state;
	check_judged_call("seccomp=errno:getsid", -EPERM);
}

/*
 * Two filters with the same action: the kernel takes the newest one's data
 * (test-remote-seccomp.c asks the kernel itself), so the judge must too.
 */
static void the_newest_of_two_equal_actions_gives_the_errno(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "seccomp=enoent:getsid", "seccomp=eacces:getsid", "read");
	tp_wait_state(&tp, "S");
	long result = 0;
	int r = inject(tp.pid, 0, SYS_getsid, 0, &result);
	if (tp_can_judge_filters()) {
		assert_int_equal(r, 0);
		assert_int_equal(result, -EACCES);
	} else {
		assert_int_equal(r, -EPERM);
	}
	tp_end_reading(&tp, NULL);
}

static void an_allowing_filter_needs_the_right_to_read_it(void **state)
{
	(void)state;
	check_judged_call("seccomp=allow:getsid", getsid(0));
}

static void a_strict_mode_target_is_refused(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "strict", "read");
	tp_wait_state(&tp, "S");
	long result;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), -EPERM);
	tp_end_reading(&tp, NULL);
}

static void a_thread_running_32_bit_code_is_refused(void **state)
{
	(void)state;
#if defined(__x86_64__)
	struct target_process tp;
	TP_START(&tp, "compat");
	char line[64];
	tp_expect(&tp, "compat", line, sizeof(line));
	if (strcmp(line, "compat refused") == 0) {
		tp_finish(&tp);
		tl_skip("this machine gives processes no 32-bit code segment "
		    "(a far return to selector 0x23 faults; some hypervisors do this)");
	}
	long result;
	assert_int_equal(inject(tp.pid, 0, SYS_getpid, 0, &result), -ENOTSUP);
	assert_true(tl_wait_state(tp.pid, "R", 5000));
	assert_int_equal(tl_status_field(tp.pid, "TracerPid"), 0);
	tp_kill(&tp);
#else
	tl_skip("only x86_64 runs 32-bit code in a 64-bit process this way");
#endif
}

static void a_non_dumpable_target_needs_cap_sys_ptrace(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "nondumpable", "read");
	tp_wait_state(&tp, "S");
	long result = 0;
	int r = inject(tp.pid, 0, SYS_getpid, 0, &result);
	if (tl_has_cap(CAP_SYS_PTRACE))
		assert_int_equal(r, 0);
	else
		assert_int_equal(r, -EPERM);
	tp_end_reading(&tp, NULL);
}

static void another_users_target_needs_cap_sys_ptrace(void **state)
{
	(void)state;
	if (geteuid() != 0 || !tl_in_initial_userns())
		tl_skip("only root outside a user namespace can start a process of another uid");
	struct target_process tp;
	TP_START(&tp, "setuid", "read");
	tp_wait_state(&tp, "S");
	long result = 0;
	int r = inject(tp.pid, 0, SYS_getpid, 0, &result);
	assert_int_equal(r, tl_has_cap(CAP_SYS_PTRACE) ? 0 : -EPERM);
	tp_end_reading(&tp, NULL);
}

static void the_engine_never_traces_the_caller(void **state)
{
	(void)state;
	struct target t;
	target_self(&t);
	long result;
	const long args[6] = { 0 };
	assert_int_equal(remote_syscall(&t, 0, SYS_getpid, args, &result), -EINVAL);
}

static void a_target_that_exited_is_esrch(void **state)
{
	(void)state;
	pid_t pid = tl_spawn_pause();
	struct target t;
	assert_int_equal(target_open(&t, pid, ACCESS_SEE), 0);
	tl_kill_and_reap(pid);
	long result;
	const long args[6] = { 0 };
	assert_int_equal(remote_syscall(&t, 0, SYS_getpid, args, &result), -ESRCH);
	target_close(&t);
}

/*
 * Checked alive, and exiting by the time the engine stops it: the kernel
 * refuses to attach to an exiting thread (EPERM), and its memory, maps
 * and auxv are gone or going.  It is gone, not forbidden.  The hook may
 * run in a forked helper (under valgrind): what it saw comes back through
 * shared memory.
 */
static const struct tl_exiting *exiting_target;
static bool *caught_exiting;

static void make_the_target_exit_at_check(int step)
{
	if (step == 0)
		*caught_exiting = tl_exiting_enter(exiting_target);
}

static void a_target_exiting_as_it_is_stopped_is_esrch(void **state)
{
	(void)state;
	caught_exiting = mmap(NULL, sizeof(*caught_exiting), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(caught_exiting != MAP_FAILED);
	/* The exit takes milliseconds; the engine attaches within them, or tries again. */
	bool caught = false;
	for (int attempt = 0; attempt < 5 && !caught; attempt++) {
		struct tl_exiting e;
		tl_exiting_start(&e);
		struct target t;
		assert_int_equal(target_open(&t, e.pid, ACCESS_SEE), 0);
		exiting_target = &e;
		*caught_exiting = false;
		remote_session_step_hook = make_the_target_exit_at_check;
		long result;
		const long args[6] = { 0 };
		int r = remote_syscall(&t, 0, SYS_getpid, args, &result);
		remote_session_step_hook = NULL;
		caught = *caught_exiting;
		target_close(&t);
		tl_exiting_end(&e);
		assert_int_equal(r, -ESRCH);
	}
	munmap(caught_exiting, sizeof(*caught_exiting));
	if (!caught)
		fail_msg("the target was a zombie before the engine came, five times");
}

/* Held, and killed before the call: gone too, and nothing is left waiting. */
static void kill_the_target(pid_t tgid)
{
	kill(tgid, SIGKILL);
}

static void a_target_killed_while_held_is_esrch(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "busy");
	remote_session_held_hook = kill_the_target;
	int r = inject(tp.pid, 0, SYS_getpid, 0, &(long){ 0 });
	remote_session_held_hook = NULL;
	assert_int_equal(r, -ESRCH);
	int status = tp_finish(&tp);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/*
 * Without PIDFD_GET_INFO (Linux < 6.13) a root-owned target's dumpable flag
 * shows nowhere in /proc: TRACE_STATUS asks inside it.
 */
static void trace_status_asks_inside_when_proc_cannot_tell(void **state)
{
	(void)state;
	pidref_set_mode(PIDREF_MODE_FDINFO);
	struct target_process plain, closed;
	const char *const plain_args[] = { "read", NULL };
	const char *const closed_args[] = { "nondumpable", "read", NULL };
	if (!tp_start(&plain, plain_args) || !tp_start(&closed, closed_args)) {
		pidref_set_mode(PIDREF_MODE_AUTO);
		tl_skip("the targets could not be started");
	}
	tp_wait_state(&plain, "S");
	tp_wait_state(&closed, "S");
	int v = 0x5555;
	assert_procctl_ok(P_PID, (id_t)plain.pid, PROC_TRACE_STATUS, &v);
	assert_int_equal(v, 0);
	/*
	 * Root's own process: its /proc files are root's either way.  The
	 * engine tells, given CAP_SYS_PTRACE; without it, the kernel's read
	 * check does (a container's root).
	 */
	int r = procctl(P_PID, (id_t)closed.pid, PROC_TRACE_STATUS, &v);
	pidref_set_mode(PIDREF_MODE_AUTO);
	assert_int_equal(r, 0);
	assert_int_equal(v, -1);
	tp_end_reading(&plain, NULL);
	tp_end_reading(&closed, NULL);
}

/*
 * A container's root: uid 0 without CAP_SYS_PTRACE, among root's own
 * processes, whose /proc files are root's whatever their dumpable flag,
 * without PIDFD_GET_INFO (Linux before 6.13, or under valgrind).  The
 * engine may not debug a closed one; the kernel's read check still tells.
 */
struct status_pair {
	pid_t open, closed, mightier;
};

static void trace_status_without_cap_sys_ptrace(void *arg)
{
	const struct status_pair *p = arg;
	tl_drop_effective_cap(CAP_SYS_PTRACE);
	int v = 0x5555;
	CHECK_EQ(procctl(P_PID, (id_t)p->open, PROC_TRACE_STATUS, &v), 0);
	CHECK_EQ(v, 0);
	v = 0x5555;
	CHECK_EQ(procctl(P_PID, (id_t)p->closed, PROC_TRACE_STATUS, &v), 0);
	CHECK_EQ(v, -1);
	/*
	 * Refused for the capabilities it holds and the caller lacks: that
	 * says nothing of its flag.  Never -1 for an open process.
	 */
	v = 0x5555;
	errno = 0;
	int r = procctl(P_PID, (id_t)p->mightier, PROC_TRACE_STATUS, &v);
	CHECK(r == 0 ? v == 0 : errno == EPERM);
}

static void trace_status_of_roots_processes_needs_no_cap_sys_ptrace(void **state)
{
	(void)state;
	if (geteuid() != 0 || !tl_has_cap(CAP_SYS_PTRACE))
		tl_skip("needs uid 0 with CAP_SYS_PTRACE, to drop it as a container's root lacks it");
	struct target_process open, closed, mightier;
	/* Two with no capabilities, so the caller holds all theirs; one with all. */
	const char *const open_args[] = { "nocaps", "read", NULL };
	const char *const closed_args[] = { "nocaps", "nondumpable", "read", NULL };
	const char *const mightier_args[] = { "read", NULL };
	if (!tp_start(&open, open_args))
		tl_skip("the targets could not be started");
	if (!tp_start(&closed, closed_args)) {
		tp_kill(&open);
		tl_skip("the targets could not be started");
	}
	if (!tp_start(&mightier, mightier_args)) {
		tp_kill(&open);
		tp_kill(&closed);
		tl_skip("the targets could not be started");
	}
	tp_wait_state(&open, "S");
	tp_wait_state(&closed, "S");
	tp_wait_state(&mightier, "S");
	pidref_set_mode(PIDREF_MODE_FDINFO);
	struct status_pair p = { .open = open.pid, .closed = closed.pid, .mightier = mightier.pid };
	run_in_child(trace_status_without_cap_sys_ptrace, &p);
	pidref_set_mode(PIDREF_MODE_AUTO);
	tp_end_reading(&open, NULL);
	tp_end_reading(&closed, NULL);
	tp_end_reading(&mightier, NULL);
}

/*
 * Without PIDFD_GET_INFO: a non-dumpable process that is its own user
 * namespace's root by its uid outside (unshare -r, then exec) has its /proc
 * files owned by that root, i.e. by its own euid and egid, as if it were
 * dumpable.  The owner cannot tell; the answer must still be -1.
 */
static void trace_status_of_a_namespace_root_is_exact(void **state)
{
	(void)state;
	struct target_process tp;
	const char *const as_root[] = { "setuid", "userns", "nondumpable", "read", NULL };
	const char *const as_user[] = { "userns", "nondumpable", "read", NULL };
	/* Root in a namespace of its own has no other uid to become: its root is 0 as well. */
	bool real_root = geteuid() == 0 && tl_in_initial_userns();
	if (!tp_start(&tp, real_root ? as_root : as_user))
		tl_skip("no user namespace could be made here (user namespaces disabled)");
	tp_wait_state(&tp, "S");
	pidref_set_mode(PIDREF_MODE_FDINFO);
	int v = 0x5555;
	int r = procctl(P_PID, (id_t)tp.pid, PROC_TRACE_STATUS, &v);
	pidref_set_mode(PIDREF_MODE_AUTO);
	/*
	 * The caller owns the namespace, or is root: it may debug the target,
	 * but root only with CAP_SYS_PTRACE (a container's root has none, and
	 * the engine is then refused: EPERM, as FreeBSD's p_candebug would).
	 */
	if (r != 0) {
		assert_int_equal(errno, EPERM);
		assert_true(real_root);
		assert_false(tl_has_cap(CAP_SYS_PTRACE));
	} else {
		assert_int_equal(v, -1);
		assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_TRACE_STATUS, &v);
		assert_int_equal(v, -1);
	}
	tp_end_reading(&tp, NULL);
}

/*
 * A pid recycled between the lookup and the command.  In a private pid
 * namespace, PID 1 writes ns_last_pid so that its next fork takes the
 * pid the target had; that stranger waits in epoll_wait.  Nothing may
 * reach it: no ptrace stop (its epoll_wait would end with EINTR, the
 * call Linux does not restart), no /proc open for the debug check or
 * for PROC_SPROTECT's write.
 */
static void run_recycled(void *arg)
{
	(void)arg;
	CHECK_EQ(getpid(), 1);
	pid_t victim = tl_spawn_pause();
	struct target t;
	CHECK_EQ(target_open(&t, victim, ACCESS_SEE), 0);
	kill(victim, SIGKILL);
	CHECK_EQ(waitpid(victim, NULL, 0), victim);

	int wake[2], report[2];
	CHECK(pipe(wake) == 0 && pipe(report) == 0);
	pid_t stranger = tl_fork_as(victim);
	if (stranger == 0) {
		int ep = epoll_create1(0);
		struct epoll_event ev = { .events = EPOLLIN };
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, wake[0], &ev) != 0)
			_exit(2);
		/* Ready to be looked at only once it is inside the call. */
		int answer[2] = { (int)syscall(SYS_epoll_wait, ep, &ev, 1, -1), errno };
		_exit(write(report[1], answer, sizeof(answer)) == sizeof(answer) ? 0 : 3);
	}
	CHECK(tl_wait_state(stranger, "S", 5000));

	long result = 0;
	const long args[6] = { 0 };
	CHECK_EQ(remote_syscall(&t, 0, SYS_getpid, args, &result), -ESRCH);
	CHECK_EQ(target_check_access(&t, ACCESS_DEBUG), -ESRCH);
	CHECK_EQ(pidref_procdir(&t.ref), -ESRCH);
	CHECK_EQ(tl_status_field(stranger, "TracerPid"), 0);
	target_close(&t);

	CHECK_EQ(write(wake[1], "x", 1), 1);
	int answer[2] = { -2, 0 };
	CHECK_EQ(read(report[0], answer, sizeof(answer)), (ssize_t)sizeof(answer));
	/* Woken by its own pipe, never interrupted by us. */
	CHECK_EQ(answer[0], 1);
	int status = 0;
	CHECK_EQ(waitpid(stranger, &status, 0), stranger);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void a_recycled_pid_is_never_touched(void **state)
{
	(void)state;
	if (!tl_run_in_pid_namespace(run_recycled, NULL, true))
		tl_skip("this kernel or sandbox refuses new user+pid namespaces");
}

static void stop_the_helper(pid_t tgid)
{
	(void)tgid;
	/* In the helper, whose signals are all blocked: SIGSTOP still stops it. */
	syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
}

/*
 * A helper stopped while it holds the target (SIGSTOP from anyone with the
 * caller's uid, or a REAP_KILL that reaches the caller): the caller does
 * not wait for ever; it kills its helper, the kernel detaches the target,
 * which goes on as it was.
 */
static void a_stopped_helper_is_killed_and_the_target_let_go(void **state)
{
	(void)state;
#if __has_include(<valgrind/valgrind.h>)
	if (RUNNING_ON_VALGRIND)
		tl_skip("valgrind supports no CLONE_VM child but a vfork, whose wait a stopped "
		    "helper holds (docs/COMPAT.md)");
#endif
	struct target_process tp;
	TP_START(&tp, "read");
	tp_wait_state(&tp, "S");
	long result = 0;
	remote_session_held_hook = stop_the_helper;
	int r = inject(tp.pid, 0, SYS_getpid, 0, &result);
	remote_session_held_hook = NULL;
	assert_int_equal(r, -EIO);
	assert_true(tl_wait_state(tp.pid, "S", 5000));
	assert_int_equal(tl_status_field(tp.pid, "TracerPid"), 0);
	tp_end_reading(&tp, NULL);
}

static int kill_at_step;

static void kill_the_helper_at(int step)
{
	if (step == kill_at_step)
		syscall(SYS_kill, syscall(SYS_getpid), SIGKILL);
}

/*
 * The helper killed while the target runs an injected call (SIGKILL from
 * anyone, or the caller's answer to a stopped helper): the target finishes
 * the call on its own and comes back to every register it had, and to the
 * call it was blocked in.
 */
static void check_helper_killed(const char *setup, const char *state, int step)
{
	struct target_process tp;
	if (setup != NULL)
		TP_START(&tp, setup, state);
	else
		TP_START(&tp, state);
	tp_wait_state(&tp, strcmp(state, "busy") == 0 ? "R" : "S");
	/* A thread still starting may be in uninterruptible sleep, which the engine refuses. */
	for (int i = 0; setup != NULL && i < 500 && !tp_all_threads_asleep(tp.pid); i++)
		usleep(10000);
	long result = 0;
	kill_at_step = step;
	remote_session_step_hook = kill_the_helper_at;
	int r = inject(tp.pid, 0, SYS_getpid, 0, &result);
	remote_session_step_hook = NULL;
	assert_int_equal(r, -EIO);
	if (strcmp(state, "busy") == 0) {
		kill(tp.pid, SIGUSR1);
		tp_expect_exactly(&tp, "busy", "busy regs=ok");
		tp_finish_cleanly(&tp);
	} else if (strcmp(state, "wait=epoll_wait") == 0) {
		/* Back in its call, not ended with EINTR. */
		tp_send(&tp, "go\n");
		char line[128];
		tp_expect(&tp, "wait", line, sizeof(line));
		assert_true(strncmp(line, "wait call=epoll_wait rc=1 ", 26) == 0);
		tp_finish_cleanly(&tp);
	} else {
		tp_end_reading(&tp, NULL);
	}
}

static void a_killed_helper_leaves_the_target_as_it_was(void **state)
{
	(void)state;
#if defined(__x86_64__)
	for (int step = 1; step <= 2; step++) {
		check_helper_killed(NULL, "busy", step);
		check_helper_killed(NULL, "read", step);
		check_helper_killed(NULL, "wait=epoll_wait", step);
		/* The leader runs the call; the thread in epoll_wait is only held. */
		check_helper_killed("inthread", "wait=epoll_wait", step);
	}
#else
	tl_skip("self-restoring calls are written for x86_64");
#endif
}

/* A flag Linux keeps per thread counts only when every thread has it. */
static void no_new_privs_status_needs_every_thread(void **state)
{
	(void)state;
	struct target_process tp;
	TP_START(&tp, "threads=2", "read");
	tp_wait_all_asleep(&tp);
	struct target t;
	assert_int_equal(target_open(&t, tp.pid, ACCESS_DEBUG), 0);
	long result = -1;
	assert_int_equal(remote_prctl(&t, 0, PR_SET_NO_NEW_PRIVS, 1, &result), 0);
	assert_int_equal(result, 0);
	int v = 0;
	assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_NO_NEW_PRIVS_STATUS, &v);
	assert_int_equal(v, PROC_NO_NEW_PRIVS_DISABLE);
	assert_int_equal(remote_prctl(&t, REMOTE_ALL_THREADS, PR_SET_NO_NEW_PRIVS, 1, &result), 0);
	assert_procctl_ok(P_PID, (id_t)tp.pid, PROC_NO_NEW_PRIVS_STATUS, &v);
	assert_int_equal(v, PROC_NO_NEW_PRIVS_ENABLE);
	target_close(&t);
	tp_end_reading(&tp, NULL);
}

int main(void)
{
	/* These tests stop and hold processes: keep them in a namespace of their own. */
	tl_contain_in_pid_namespace();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_busy_target_keeps_every_register),
		cmocka_unit_test(a_read_resumes_with_its_data),
		cmocka_unit_test(pause_still_ends_with_eintr_on_the_next_signal),
		cmocka_unit_test(a_nanosleep_still_ends_on_time),
		cmocka_unit_test(a_signal_queued_while_held_is_delivered_with_its_siginfo),
		cmocka_unit_test(a_signal_killed_while_held_keeps_its_sender),
		cmocka_unit_test(a_stopped_target_is_refused_and_stays_stopped),
		cmocka_unit_test(a_traced_target_is_refused),
		cmocka_unit_test(a_target_in_uninterruptible_sleep_is_refused),
		cmocka_unit_test(a_short_uninterruptible_sleep_is_waited_out),
		cmocka_unit_test(one_scope_shares_one_wait_for_uninterruptible_sleeps),
		cmocka_unit_test(every_thread_runs_a_call_meant_for_all),
		cmocka_unit_test(a_single_call_runs_in_the_leader_only),
		cmocka_unit_test(threads_appearing_meanwhile_are_held_or_refused),
		cmocka_unit_test(a_killing_filter_is_never_triggered),
		cmocka_unit_test(a_failing_filter_answers_for_the_call),
		cmocka_unit_test(the_newest_of_two_equal_actions_gives_the_errno),
		cmocka_unit_test(an_allowing_filter_needs_the_right_to_read_it),
		cmocka_unit_test(a_strict_mode_target_is_refused),
		cmocka_unit_test(a_thread_running_32_bit_code_is_refused),
		cmocka_unit_test(a_non_dumpable_target_needs_cap_sys_ptrace),
		cmocka_unit_test(another_users_target_needs_cap_sys_ptrace),
		cmocka_unit_test(the_engine_never_traces_the_caller),
		cmocka_unit_test(a_target_that_exited_is_esrch),
		cmocka_unit_test(a_target_exiting_as_it_is_stopped_is_esrch),
		cmocka_unit_test(a_target_killed_while_held_is_esrch),
		cmocka_unit_test(a_recycled_pid_is_never_touched),
		cmocka_unit_test(a_stopped_helper_is_killed_and_the_target_let_go),
		cmocka_unit_test(a_killed_helper_leaves_the_target_as_it_was),
		cmocka_unit_test(trace_status_asks_inside_when_proc_cannot_tell),
		cmocka_unit_test(trace_status_of_roots_processes_needs_no_cap_sys_ptrace),
		cmocka_unit_test(trace_status_of_a_namespace_root_is_exact),
		cmocka_unit_test(no_new_privs_status_needs_every_thread),
	};
	return TL_RUN(tests);
}
