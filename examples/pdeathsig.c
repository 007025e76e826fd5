/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pdeathsig: a helper process that must not outlive the process that
 * started it.
 *
 * PROC_PDEATHSIG_CTL asks for a signal when the parent exits; 0 cancels.
 * Only the caller may ask (id 0 or its own pid).  It is cleared in fork
 * children and by set-id programs, and kept across any other execve.
 *
 * Two things to get right, on every system:
 *   - the parent may die before the request is made, so compare getppid()
 *     with the parent's pid saved before fork() (not with 1: a reaper may
 *     adopt the orphan), and act if it already changed;
 *   - on Linux the signal comes when the parent *thread* that forked exits,
 *     so fork from the main thread, and make the request from the child's
 *     main thread.
 */
#include <sys/procctl.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void helper(pid_t parent)
{
	int sig = SIGTERM;
	if (procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &sig) != 0)
		err(1, "procctl(PROC_PDEATHSIG_CTL)");
	if (getppid() != parent)
		raise(SIGTERM);         /* the parent died before we asked */

	if (procctl(P_PID, 0, PROC_PDEATHSIG_STATUS, &sig) != 0)
		err(1, "procctl(PROC_PDEATHSIG_STATUS)");
	printf("helper %d: signal %d comes when %d exits\n", (int)getpid(), sig, (int)parent);
	fflush(stdout);

	for (;;)
		pause();                /* the helper's work; SIGTERM ends it */
}

int main(void)
{
	/*
	 * To watch the helper die, a middle process plays its parent and
	 * exits.  Being a reaper brings the orphaned helper back to us, so
	 * that we can wait for it and see which signal ended it.
	 */
	if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0 && errno != EBUSY)
		err(1, "procctl(PROC_REAP_ACQUIRE)");
	pid_t middle = fork();
	if (middle < 0)
		err(1, "fork");
	if (middle == 0) {
		pid_t parent = getpid();
		pid_t child = fork();
		if (child < 0)
			err(1, "fork");
		if (child == 0)
			helper(parent);
		sleep(1);               /* let the helper ask, then die */
		_exit(0);
	}

	int status;
	pid_t pid;
	while ((pid = wait(&status)) > 0) {
		if (pid != middle && WIFSIGNALED(status))
			printf("the parent exited, and the helper got signal %d\n",
			    WTERMSIG(status));
	}
	return 0;
}
