/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * no-new-privs: run a command that can never gain privileges through a
 * set-user-ID or set-group-ID program, nor can anything it starts.
 *
 *     no-new-privs command [argument ...]
 *
 * PROC_NO_NEW_PRIVS_CTL accepts only PROC_NO_NEW_PRIVS_ENABLE, and cannot
 * be undone.  It is Linux's PR_SET_NO_NEW_PRIVS, which the kernel keeps
 * per thread; libprocctl sets it in every thread of the caller.
 */
#include <sys/procctl.h>

#include <err.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: no-new-privs command [argument ...]\n");
		return 2;
	}

	int request = PROC_NO_NEW_PRIVS_ENABLE;
	if (procctl(P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &request) != 0)
		err(1, "procctl(PROC_NO_NEW_PRIVS_CTL)");

	int status;
	if (procctl(P_PID, 0, PROC_NO_NEW_PRIVS_STATUS, &status) != 0)
		err(1, "procctl(PROC_NO_NEW_PRIVS_STATUS)");
	if (status != PROC_NO_NEW_PRIVS_ENABLE)
		errx(1, "no_new_privs did not take");

	execvp(argv[1], argv + 1);
	err(127, "%s", argv[1]);
}
