/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A FreeBSD-style program, as a user of libprocctl-dev writes one: it
 * becomes a reaper, lets a middle process leave an orphan behind, finds the
 * orphan with PROC_REAP_STATUS, kills it with PROC_REAP_KILL and reaps it.
 * Exit status 0 and one line "ok ..." when every step did what FreeBSD's
 * procctl(2) says.
 */
#include <sys/types.h>
#include <sys/procctl.h>
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	struct procctl_reaper_status rs;
	struct procctl_reaper_kill rk;
	pid_t middle, orphan;
	int status;

	if (procctl(P_PID, getpid(), PROC_REAP_ACQUIRE, NULL) == -1)
		err(1, "PROC_REAP_ACQUIRE");

	middle = fork();
	if (middle == -1)
		err(1, "fork");
	if (middle == 0) {
		/* The middle process starts a sleeper and leaves it behind. */
		if (fork() == 0) {
			for (;;)
				pause();
		}
		_exit(0);
	}
	if (waitpid(middle, &status, 0) != middle || !WIFEXITED(status))
		errx(1, "the middle process did not exit");

	memset(&rs, 0, sizeof(rs));
	if (procctl(P_PID, getpid(), PROC_REAP_STATUS, &rs) == -1)
		err(1, "PROC_REAP_STATUS");
	if ((rs.rs_flags & REAPER_STATUS_OWNED) == 0 || rs.rs_children != 1 ||
	    rs.rs_descendants != 1 || rs.rs_pid <= 0)
		errx(1, "PROC_REAP_STATUS: flags %#x, %u children, %u descendants",
		    rs.rs_flags, rs.rs_children, rs.rs_descendants);
	orphan = rs.rs_pid;

	memset(&rk, 0, sizeof(rk));
	rk.rk_sig = SIGTERM;
	if (procctl(P_PID, getpid(), PROC_REAP_KILL, &rk) == -1)
		err(1, "PROC_REAP_KILL");
	if (rk.rk_killed != 1)
		errx(1, "PROC_REAP_KILL signalled %u processes", rk.rk_killed);
	if (waitpid(orphan, &status, 0) != orphan || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGTERM)
		errx(1, "the orphan %d was not reaped after SIGTERM", (int)orphan);

	if (procctl(P_PID, getpid(), PROC_REAP_RELEASE, NULL) == -1)
		err(1, "PROC_REAP_RELEASE");
	printf("ok: reaped orphan %d after PROC_REAP_KILL\n", (int)orphan);
	return (0);
}
