/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the reaper tests' bodies share.  A body runs as PID 2 of its own
 * user+pid namespace (where namespaces are refused, below a test subreaper) and
 * becomes the reaper there, so its descendants are its own and whatever it
 * leaves behind dies with the namespace.  Bodies run in a child: CHECK only.
 */
#ifndef LIBPROCCTL_TESTS_REAPER_BODY_H
#define LIBPROCCTL_TESTS_REAPER_BODY_H

#include "testlib.h"

#include <stdio.h>
#include <unistd.h>

static inline void acquire(void)
{
	if (getpid() != 1)
		CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
}

/*
 * fork().  No PR_SET_PDEATHSIG here: it would kill a grandchild the moment
 * its parent dies, which is the very reparenting these tests look at.
 */
static inline pid_t spawn(void)
{
	fflush(NULL);
	pid_t pid = fork();
	CHECK(pid >= 0);
	return pid;
}

static inline void run_body(void (*body)(void *), void *arg)
{
	if (!tl_run_in_pid_namespace(body, arg, false))
		tl_run_below_subreaper(body, arg);
}

static inline __attribute__((noreturn)) void pause_forever(void)
{
	for (;;)
		pause();
}

#endif
