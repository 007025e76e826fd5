/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_NO_NEW_PRIVS_CTL and PROC_NO_NEW_PRIVS_STATUS on PR_SET_NO_NEW_PRIVS:
 * one-way, inherited by fork, kept across execve, set-id bits ignored, as on
 * FreeBSD.
 *
 * Linux keeps the flag per thread, and a protection that holds in one thread
 * only is not in force: another thread could still execve a set-uid program.
 * In a multi-threaded caller the flag is spread to every thread with
 * seccomp(SECCOMP_FILTER_FLAG_TSYNC), which gives each thread the caller's
 * no_new_privs along with a filter that allows everything.  That filter is
 * the one trace left (/proc/self/status shows "Seccomp: 2"); docs/COMPAT.md
 * says so.  A single-threaded caller gets the plain prctl.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/procctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "errors.h"
#include "handlers.h"
#include "remote.h"

struct thread_survey {
	pid_t pid;             /* 0: the caller */
	long filters;          /* Seccomp_filters of the first thread seen */
	bool seen_one;
	bool filters_differ;
	bool all_nnp;
};

static int survey_thread(pid_t tid, void *ctx)
{
	struct thread_survey *s = ctx;
	long nnp, filters;
	int r = procfs_task_status_number(s->pid, tid, "NoNewPrivs", &nnp);
	if (r < 0)
		return r == -ENOENT || r == -ESRCH ? 0 : r;   /* the thread exited */
	/* Kernels before 5.9 do not count filters; then there is one count. */
	if (procfs_task_status_number(s->pid, tid, "Seccomp_filters", &filters) < 0)
		filters = 0;

	if (!s->seen_one)
		s->filters = filters;
	else if (filters != s->filters)
		s->filters_differ = true;
	s->seen_one = true;
	if (nnp != 1)
		s->all_nnp = false;
	return 0;
}

/* Every thread of pid (0: the caller), as /proc lists them now. */
static int survey_threads(pid_t pid, struct thread_survey *s)
{
	*s = (struct thread_survey){ .pid = pid, .all_nnp = true };
	int r = procfs_for_each_task(pid, survey_thread, s);
	if (r == -ENOENT)
		return pid == 0 ? -ENOTSUP : -ESRCH;
	if (r == 0 && !s->seen_one)
		return -ESRCH;
	return r;
}

/*
 * Whether seccomp(2) answers at all (CONFIG_SECCOMP, a seccomp profile,
 * valgrind): asked before the flag is set, so that a refusal changes nothing.
 */
static bool seccomp_available(void)
{
	uint32_t action = SECCOMP_RET_ALLOW;
	return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

/* Give every thread the caller's no_new_privs, atomically with clone(). */
static int spread_to_all_threads(void)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { .len = 1, .filter = allow };
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_TSYNC, &prog);
	if (r == 0)
		return 0;
	return r > 0 ? -ENOTSUP : unavailable(errno);
}

static int enable_self(void)
{
	struct proc_stat st;
	int r = procfs_read_stat(0, &st);
	bool threaded = r < 0 || st.num_threads > 1;

	if (!threaded) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			return unavailable(errno);
		return 0;
	}

	struct thread_survey s;
	r = survey_threads(0, &s);
	if (r < 0)
		return r;
	if (s.all_nnp)
		return 0;
	/*
	 * TSYNC fails when threads hold different filters.  Refuse before
	 * setting anything, rather than leave the flag in one thread only.
	 */
	if (s.filters_differ || !seccomp_available())
		return -ENOTSUP;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return unavailable(errno);
	return spread_to_all_threads();
}

int nnp_ctl(struct target *t, union procctl_data *d)
{
	if (d->value != PROC_NO_NEW_PRIVS_ENABLE)
		return -EINVAL;
	if (t->self)
		return enable_self();

	long result;
	int r = remote_prctl(t, REMOTE_ALL_THREADS, PR_SET_NO_NEW_PRIVS, 1, &result);
	if (r < 0)
		return r;
	return result < 0 ? unavailable((int)-result) : 0;
}

int nnp_status(struct target *t, union procctl_data *d)
{
	long nnp;
	if (t->self) {
		nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
		if (nnp < 0)
			return unavailable(errno);
	} else {
		/* In force only if no thread is left that could exec without it. */
		struct thread_survey s;
		int r = survey_threads(t->ref.pid, &s);
		if (r == 0)
			r = pidref_verify(&t->ref);
		if (r < 0)
			return r;
		nnp = s.all_nnp ? 1 : 0;
	}
	d->value = nnp == 1 ? PROC_NO_NEW_PRIVS_ENABLE : PROC_NO_NEW_PRIVS_DISABLE;
	return 0;
}
