/* SPDX-License-Identifier: BSD-2-Clause */
#include "remote_threads.h"

#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linux_compat.h"
#include "procfs.h"
#include "remote_restart.h"

/*
 * Letting go needs only threads that were about to stop anyway; one that
 * does not stop this quickly is left to the kernel, which detaches it when
 * the helper exits.
 */
#define RELEASE_TIMEOUT_MS 200

void (*remote_threads_interrupt_hook)(pid_t tid);

struct remote_thread *threads_find(struct thread_set *ts, pid_t tid)
{
	for (size_t i = 0; i < ts->count; i++)
		if (ts->v[i].tid == tid)
			return &ts->v[i];
	return NULL;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void record_stop(struct remote_thread *th, int status)
{
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		th->state = THREAD_GONE;
		return;
	}
	int sig = WSTOPSIG(status);
	th->state = THREAD_STOPPED;
	th->signal = 0;
	if ((status >> 16) == PTRACE_EVENT_STOP) {
		/* A seized thread reports a group stop as an event stop too. */
		th->stop = sig == SIGTRAP ? STOP_INTERRUPT : STOP_GROUP;
		if (th->stop == STOP_GROUP)
			th->signal = sig;
		/* Seen later than it happened: a re-issued call ends late, never early. */
		else if (th->stop_seen_ns == 0)
			th->stop_seen_ns = restart_clock_ns();
	} else if (sig == (SIGTRAP | 0x80)) {
		th->stop = STOP_SYSCALL;    /* PTRACE_O_TRACESYSGOOD marks these */
	} else {
		th->stop = STOP_SIGNAL;
		th->signal = sig;
	}
}

/*
 * Collect every ptrace event already waiting, then sleep on SIGCHLD (kept
 * blocked in the helper, so it stays pending rather than running any
 * handler) until the next one or the deadline.
 */
static int collect_events(struct thread_set *ts, int64_t deadline, bool *progress)
{
	int status;
	pid_t tid;
	while ((tid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
		struct remote_thread *th = threads_find(ts, tid);
		if (th != NULL && th->state == THREAD_FOREIGN) {
			/* Not ours: let it go at once, with the signal it stopped for. */
			bool delivery = WIFSTOPPED(status) && (status >> 16) == 0;
			if (WIFSTOPPED(status))
				(void)ptrace(PTRACE_DETACH, tid, NULL,
				    (void *)(long)(delivery ? WSTOPSIG(status) : 0));
			continue;
		}
		if (th != NULL)
			record_stop(th, status);
		*progress = true;
	}
	if (tid < 0 && errno != ECHILD && errno != EINTR)
		return -errno;
	if (tid < 0 && errno == ECHILD) {
		/* No tracee left at all: every thread has been reaped from us. */
		for (size_t i = 0; i < ts->count; i++)
			ts->v[i].state = THREAD_GONE;
		*progress = true;
	}
	if (*progress)
		return 0;

	int64_t left = deadline - now_ms();
	if (left <= 0)
		return -ETIMEDOUT;
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	struct timespec wait = { .tv_sec = left / 1000, .tv_nsec = (left % 1000) * 1000000 };
	if (sigtimedwait(&chld, NULL, &wait) < 0 && errno == EAGAIN)
		return -ETIMEDOUT;
	return 0;
}

int threads_wait(struct thread_set *ts, struct remote_thread *th, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	while (th->state == THREAD_RUNNING) {
		bool progress = false;
		int r = collect_events(ts, deadline, &progress);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool any_running(const struct thread_set *ts)
{
	for (size_t i = 0; i < ts->count; i++)
		if (ts->v[i].state == THREAD_RUNNING)
			return true;
	return false;
}

static int wait_all(struct thread_set *ts, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	while (any_running(ts)) {
		bool progress = false;
		int r = collect_events(ts, deadline, &progress);
		if (r < 0)
			return r;
	}
	return 0;
}

int threads_resume(struct remote_thread *th, int request)
{
	if (ptrace((enum __ptrace_request)request, th->tid, NULL, NULL) != 0)
		return errno == ESRCH ? -ESRCH : -errno;
	th->state = THREAD_RUNNING;
	return 0;
}

/*
 * A thread that has exited or is exiting (PF_EXITING: it may sleep
 * uninterruptibly while its memory goes, and once exited the kernel
 * refuses to attach to it) never runs the process's code again: there is
 * nothing to freeze.
 */
static bool thread_is_leaving(const struct proc_stat *st)
{
	return st->state == 'Z' || st->state == 'X' || (st->flags & LPC_PF_EXITING) != 0;
}

/* Why the kernel refused to let us seize tid. */
static int seize_refusal(struct thread_set *ts, pid_t tid)
{
	struct proc_stat st;
	if (procfs_read_task_stat_at(ts->procdir, tid, &st) < 0 || thread_is_leaving(&st))
		return 0;       /* it exited meanwhile: nothing to freeze */
	long tracer;
	if (procfs_task_status_number_at(ts->procdir, tid, "TracerPid", &tracer) == 0 && tracer != 0)
		return -EBUSY;
	return -EPERM;
}

/*
 * A thread in a state the engine must not disturb, or 0.  (One in
 * uninterruptible sleep, which would stop only when it wakes, is waited
 * for first: wait_while_uninterruptible().)
 */
static int refuse_state(char state)
{
	switch (state) {
	case 'T':       /* stopped by a signal */
	case 't':       /* stopped by another tracer */
		return -EBUSY;
	default:
		return 0;
	}
}

struct seize_pass {
	struct thread_set *ts;
	size_t added;
	struct sleep_patience *patience;
};

/*
 * Most uninterruptible sleeps are short: a page read in, a vfork child
 * that execs or exits at once, a thread freeing memory.  Such a thread is
 * waited for, as long as the call's patience lasts (all its waits count
 * against UNINTERRUPTIBLE_WAIT_MS), and refused (EBUSY) only if it is
 * still asleep then: a stuck NFS read, a vfork child that never goes.
 * Returns 0 when *st shows it awake, 1 when it has gone or is leaving, or
 * -EBUSY.
 */
static int wait_while_uninterruptible(struct seize_pass *pass, pid_t tid, struct proc_stat *st)
{
	if (st->state != 'D')
		return 0;
	struct sleep_patience *p = pass->patience;
	int64_t start = now_ms();
	int r = 0;
	for (;;) {
		if (p->waited_ms + (now_ms() - start) >= p->allowed_ms) {
			r = -EBUSY;
			break;
		}
		struct timespec ms = { .tv_nsec = 1000000 };
		(void)nanosleep(&ms, NULL);
		if (procfs_read_task_stat_at(pass->ts->procdir, tid, st) < 0 || thread_is_leaving(st)) {
			r = 1;
			break;
		}
		if (st->state != 'D')
			break;
	}
	p->waited_ms += now_ms() - start;
	return r;
}

static int seize_one(pid_t tid, void *ctx)
{
	struct seize_pass *pass = ctx;
	struct thread_set *ts = pass->ts;
	if (threads_find(ts, tid) != NULL)
		return 0;

	struct proc_stat st;
	if (procfs_read_task_stat_at(ts->procdir, tid, &st) < 0 || thread_is_leaving(&st))
		return 0;
	int r = wait_while_uninterruptible(pass, tid, &st);
	if (r != 0)
		return r < 0 ? r : 0;
	r = refuse_state(st.state);
	if (r < 0)
		return r;
	/* More threads than the caller sized for: a thread storm. */
	if (ts->count == ts->capacity)
		return -EBUSY;

	struct remote_thread *th = &ts->v[ts->count];
	*th = (struct remote_thread){ .tid = tid, .state = THREAD_GONE };
	ts->count++;
	pass->added++;

	if (ptrace(PTRACE_SEIZE, tid, NULL, (void *)(long)PTRACE_O_TRACESYSGOOD) != 0) {
		if (errno == ESRCH)
			return 0;
		return errno == EPERM ? seize_refusal(ts, tid) : -errno;
	}
	/*
	 * Seized by number: stop it only if, now that we hold it, it is still
	 * one of the pinned process's threads.  If it is, the number named it
	 * when we seized (a traced thread's number is not reused), and it is
	 * ours; if not, another process got the number, and stays untouched.
	 */
	char task[PROCFS_PATH_MAX];
	procfs_task_file(task, sizeof(task), tid, NULL);
	if (faccessat(ts->procdir, task, F_OK, 0) != 0) {
		th->state = THREAD_FOREIGN;
		return 0;
	}
	th->state = THREAD_RUNNING;
	restart_before_interrupt(ts->procdir, th);
	if (remote_threads_interrupt_hook != NULL)
		remote_threads_interrupt_hook(tid);
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) != 0 && errno != ESRCH)
		return -errno;
	return 0;
}

static int check_group_stop(const struct thread_set *ts)
{
	size_t live = 0;
	for (size_t i = 0; i < ts->count; i++) {
		const struct remote_thread *th = &ts->v[i];
		if (th->state != THREAD_STOPPED)
			continue;
		live++;
		/* It was stopped, or a SIGSTOP came first: leave it stopped. */
		if (th->stop == STOP_GROUP)
			return -EBUSY;
		if (th->stop == STOP_SYSCALL)
			return -EBUSY;
	}
	return live > 0 ? 0 : -ESRCH;
}

int threads_freeze(struct thread_set *ts, struct sleep_patience *patience)
{
	for (int round = 0; round < FREEZE_ROUNDS; round++) {
		struct seize_pass pass = { .ts = ts, .patience = patience };
		int r = procfs_for_each_task_at(ts->procdir, "task", seize_one, &pass);
		if (r < 0)
			return r == -ENOENT ? -ESRCH : r;
		if (round > 0 && pass.added == 0)
			return check_group_stop(ts);
		r = wait_all(ts, STOP_TIMEOUT_MS);
		if (r == -ETIMEDOUT)
			return -EBUSY;
		if (r < 0)
			return r;
		r = check_group_stop(ts);
		if (r < 0)
			return r;
	}
	return -EBUSY;
}

void threads_release(struct thread_set *ts)
{
	for (size_t i = 0; i < ts->count; i++) {
		struct remote_thread *th = &ts->v[i];
		if (th->state == THREAD_RUNNING && ptrace(PTRACE_INTERRUPT, th->tid, NULL, NULL) != 0)
			th->state = THREAD_GONE;
	}
	(void)wait_all(ts, RELEASE_TIMEOUT_MS);

	for (size_t i = 0; i < ts->count; i++) {
		struct remote_thread *th = &ts->v[i];
		if (th->state != THREAD_STOPPED)
			continue;
		int sig = th->stop == STOP_SIGNAL ? th->signal : 0;
		(void)ptrace(PTRACE_DETACH, th->tid, NULL, (void *)(long)sig);
		th->state = THREAD_GONE;
	}
}
