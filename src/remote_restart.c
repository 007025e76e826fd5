/* SPDX-License-Identifier: BSD-2-Clause */
/* Re-issuing the calls a stop would end with EINTR; see remote_restart.h. */
#include "remote_restart.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "procfs.h"

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

/* How far two CPUs' scheduler clocks may disagree: one tick at HZ=100. */
#define CLOCK_SKEW_NS 10000000

enum timeout_kind {
	TIMEOUT_NONE,
	TIMEOUT_MS,             /* int milliseconds by value, negative: none */
	TIMEOUT_TIMESPEC,       /* const struct timespec *, NULL: none */
};

struct unrestarted {
	long nr;
	enum timeout_kind kind;
	int arg;                /* which argument holds the timeout */
};

static const struct unrestarted calls[] = {
#if defined(__x86_64__)
	{ SYS_epoll_wait, TIMEOUT_MS, 3 },
	{ SYS_epoll_pwait, TIMEOUT_MS, 3 },
	{ SYS_epoll_pwait2, TIMEOUT_TIMESPEC, 3 },
	{ SYS_rt_sigtimedwait, TIMEOUT_TIMESPEC, 2 },
	{ SYS_semop, TIMEOUT_NONE, 0 },
	{ SYS_semtimedop, TIMEOUT_TIMESPEC, 3 },
	{ SYS_io_getevents, TIMEOUT_TIMESPEC, 4 },
	{ SYS_io_pgetevents, TIMEOUT_TIMESPEC, 4 },
	/* -EINTR from read() only comes from files that do not restart (inotify before 5.x). */
	{ SYS_read, TIMEOUT_NONE, 0 },
#endif
};

static const struct unrestarted *unrestarted_call(long nr)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (calls[i].nr == nr)
			return &calls[i];
	return NULL;
}

int64_t restart_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A number after "key" and its colon in /proc/TID/sched, as text, or NULL. */
static const char *sched_field(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	if (p == NULL || (p = strchr(p, ':')) == NULL)
		return NULL;
	return p + 1;
}

/*
 * se.exec_start, when the thread last ran (ns), is read off one CPU's task
 * clock, which leaves out the time the hypervisor stole from that CPU and
 * its interrupts: two CPUs' readings are not comparable (seen 3.4 s apart
 * after an hour on a 2-vCPU virtual machine), and between two readings of
 * one CPU it counts no more time than passed.  Two readings are of one CPU
 * when se.nr_migrations is the same in both.  A move sets se.exec_start to
 * 0 until the thread runs again (a sleeping thread is moved so when its
 * CPUs are changed while it is still queued, a delayed dequeue): 0 is no
 * reading at all.
 */
bool restart_parse_sched(const char *text, struct sched_reading *r)
{
	const char *p = sched_field(text, "se.exec_start");
	const char *m = sched_field(text, "se.nr_migrations");
	if (p == NULL || m == NULL)
		return false;
	char *end;
	long long ms = strtoll(p, &end, 10);
	if (end == p || ms < 0)
		return false;
	int64_t ns = (int64_t)ms * 1000000;
	if (*end == '.') {
		/* Six decimals: nanoseconds within the millisecond. */
		int64_t frac = 0;
		int digits = 0;
		for (const char *q = end + 1; *q >= '0' && *q <= '9' && digits < 6; q++, digits++)
			frac = frac * 10 + (*q - '0');
		for (; digits < 6; digits++)
			frac *= 10;
		ns += frac;
	}
	long long moves = strtoll(m, &end, 10);
	if (ns == 0 || end == m || moves < 0)
		return false;
	r->exec_start_ns = ns;
	r->migrations = moves;
	return true;
}

/* False without CONFIG_SCHED_DEBUG, or with no reading to trust. */
static bool read_sched(int procdir, pid_t tid, struct sched_reading *r)
{
	char path[PROCFS_PATH_MAX], buf[512];
	procfs_task_file(path, sizeof(path), tid, "sched");
	return procfs_read_small_at(procdir, path, buf, sizeof(buf)) >= 0 &&
	    restart_parse_sched(buf, r);
}

struct signal_masks {
	uint64_t thread_pending, shared_pending, blocked, ignored, caught;
	unsigned int found;
};

static int match_mask(const char *line, size_t len, void *ctx)
{
	(void)len;
	static const char *const keys[] = { "SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:" };
	struct signal_masks *m = ctx;
	uint64_t *fields[] = { &m->thread_pending, &m->shared_pending, &m->blocked,
	    &m->ignored, &m->caught };
	for (int i = 0; i < 5; i++) {
		size_t n = strlen(keys[i]);
		if (strncmp(line, keys[i], n) == 0) {
			*fields[i] = strtoull(line + n, NULL, 16);
			m->found |= 1U << i;
		}
	}
	return m->found == 0x1f;
}

#define BIT(sig) ((uint64_t)1 << ((sig) - 1))

/*
 * Whether a signal is pending that the thread will take when let go: not
 * blocked, not ignored, and caught or with a default action that acts
 * (not SIGCHLD, SIGURG, SIGWINCH, SIGCONT).  When in doubt, yes: the call
 * then keeps its -EINTR, as before.
 */
static bool signal_due(int procdir, pid_t tid)
{
	char path[PROCFS_PATH_MAX];
	struct signal_masks m = { 0 };
	procfs_task_file(path, sizeof(path), tid, "status");
	if (procfs_for_each_line_at(procdir, path, match_mask, &m) < 0 || m.found != 0x1f)
		return true;
	const uint64_t harmless = BIT(SIGCHLD) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGCONT);
	uint64_t due = (m.thread_pending | m.shared_pending) & ~m.blocked & ~m.ignored;
	return (due & (m.caught | ~harmless)) != 0;
}

void restart_before_interrupt(int procdir, struct remote_thread *th)
{
	th->slept_known = read_sched(procdir, th->tid, &th->slept);
	th->stop_seen_ns = 0;
}

void restart_judge(int procdir, struct remote_thread *th)
{
	th->reissue = false;
	if (th->state != THREAD_STOPPED || th->stop != STOP_INTERRUPT)
		return;
	struct arch_regs regs;
	if (arch_get_regs(th->tid, &regs) < 0)
		return;
	if (unrestarted_call(arch_interrupted_syscall(&regs)) == NULL ||
	    arch_syscall_result(&regs) != -EINTR || signal_due(procdir, th->tid))
		return;
	th->reissue = true;
	/*
	 * It ran last to reach the stop: from its sleep to its stop, as one
	 * CPU's clock measured it.  Moved to another CPU meanwhile (woken there,
	 * say), the two readings cannot be compared, and nothing it waited is
	 * counted: the call then gets its whole time again and ends late, never
	 * early.  A tick less is counted either way, for the reading's own
	 * granularity.
	 */
	struct sched_reading stopped;
	bool one_clock = th->slept_known && read_sched(procdir, th->tid, &stopped) &&
	    stopped.migrations == th->slept.migrations;
	int64_t waited = one_clock ? stopped.exec_start_ns - th->slept.exec_start_ns : 0;
	th->waited_ns = waited > CLOCK_SKEW_NS ? waited - CLOCK_SKEW_NS : 0;
}

static int64_t timespec_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* What is left of a timeout of total_ns after elapsed_ns; never below zero. */
static int64_t left_ns(int64_t total_ns, int64_t elapsed_ns)
{
	return total_ns > elapsed_ns ? total_ns - elapsed_ns : 0;
}

static bool shorten_timeout(struct remote_job *job, const struct unrestarted *c,
    struct arch_regs *regs, int64_t elapsed_ns)
{
	long arg = arch_syscall_arg(regs, c->arg);
	switch (c->kind) {
	case TIMEOUT_NONE:
		return true;
	case TIMEOUT_MS:
		if ((int)arg >= 0) {
			/* Rounded down: the call may end a little late, never early. */
			int64_t left = left_ns((int64_t)(int)arg * 1000000, elapsed_ns);
			arch_set_syscall_arg(regs, c->arg, (long)((left + 999999) / 1000000));
		}
		return true;
	case TIMEOUT_TIMESPEC:
		break;
	}
	if (arg == 0)
		return true;
	struct timespec ts;
	if (remote_mem_access(job, (uintptr_t)arg, &ts, sizeof(ts), false) < 0 ||
	    ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return false;       /* the kernel would refuse it: let -EINTR stand */
	int64_t left = left_ns(timespec_ns(&ts), elapsed_ns);
	struct timespec shorter = { .tv_sec = left / 1000000000, .tv_nsec = left % 1000000000 };
	/* Below the red zone, where the thread's own code keeps nothing. */
	uintptr_t at = (arch_stack_pointer(regs) - ARCH_RED_ZONE - sizeof(shorter)) &
	    ~(uintptr_t)15;
	if (remote_mem_access(job, at, &shorter, sizeof(shorter), true) < 0)
		return false;
	arch_set_syscall_arg(regs, c->arg, (long)at);
	return true;
}

bool restart_prepare(struct remote_job *job, struct remote_thread *th, struct arch_regs *regs)
{
	if (!th->reissue)
		return false;
	/* A signal that came meanwhile would have ended the call: it keeps -EINTR. */
	if (signal_due(job->procdir, th->tid))
		return false;
	const struct unrestarted *c = unrestarted_call(arch_interrupted_syscall(regs));
	if (c == NULL || arch_syscall_result(regs) != -EINTR)
		return false;
	struct arch_regs again = *regs;
	/*
	 * Its own clock counted up to its stop, which may come well after our
	 * interrupt on a busy machine (it waits to be run); ours counts from
	 * when we saw the stop, which is later still.  Counted from the
	 * interrupt, that wait was counted twice, and the call was seen to end
	 * 12 ms early under load.
	 */
	int64_t elapsed = th->waited_ns + (restart_clock_ns() - th->stop_seen_ns);
	if (!shorten_timeout(job, c, &again, elapsed))
		return false;
	arch_reissue(&again);
	*regs = again;
	return true;
}
