/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reaper-supervisor: run a command and wait for everything it started,
 * including the processes it left behind when it exited.
 *
 *     reaper-supervisor command [argument ...]
 *
 * A supervisor that only waits for its child misses the grandchildren a
 * daemonizing command leaves behind: they are reparented to init.  After
 * PROC_REAP_ACQUIRE they are reparented to the supervisor instead, and
 * waitpid(-1) collects them.  (Listing and signalling them is
 * PROC_REAP_GETPIDS and PROC_REAP_KILL.)
 *
 * On Linux a new reaper also adopts orphans of processes forked before the
 * call; FreeBSD adopts only those forked after it.  Acquire before forking
 * and the two agree.
 */
#include <sys/procctl.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: reaper-supervisor command [argument ...]\n");
		return 2;
	}

	/* EBUSY: already a reaper (PID 1 of a container always is). */
	if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0 && errno != EBUSY)
		err(1, "procctl(PROC_REAP_ACQUIRE)");

	pid_t child = fork();
	if (child < 0)
		err(1, "fork");
	if (child == 0) {
		execvp(argv[1], argv + 1);
		err(127, "%s", argv[1]);
	}

	/* Collect the child and every orphan handed to us, until none is left. */
	int child_status = 0;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			err(1, "waitpid");
		}
		if (pid == child)
			child_status = status;
		else
			printf("reaped orphan %d\n", (int)pid);
	}

	if (procctl(P_PID, 0, PROC_REAP_RELEASE, NULL) != 0 && errno != EINVAL)
		err(1, "procctl(PROC_REAP_RELEASE)");

	if (WIFSIGNALED(child_status))
		return 128 + WTERMSIG(child_status);
	return WEXITSTATUS(child_status);
}
