/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * aslr-exec: run a command with address space randomization turned off,
 * so that a crash or a debugging session sees the same addresses every
 * run (what "proccontrol -m aslr -s disable command" does).
 *
 *     aslr-exec command [argument ...]
 *
 * PROC_ASLR_CTL changes nothing in the running program: it chooses for the
 * programs executed afterwards, by this process and by its fork children.
 * PROC_ASLR_STATUS reports the choice, plus PROC_ASLR_ACTIVE when the
 * running program is randomized.  On Linux this is personality(2)'s
 * ADDR_NO_RANDOMIZE, which a container's seccomp profile may forbid
 * (ENOTSUP).
 */
#include <sys/procctl.h>

#include <err.h>
#include <stdio.h>
#include <unistd.h>

static const char *choice_name(int status)
{
	switch (status & ~(int)PROC_ASLR_ACTIVE) {
	case PROC_ASLR_FORCE_ENABLE:
		return "force enabled";
	case PROC_ASLR_FORCE_DISABLE:
		return "force disabled";
	default:
		return "not forced";
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: aslr-exec command [argument ...]\n");
		return 2;
	}

	int request = PROC_ASLR_FORCE_DISABLE;
	if (procctl(P_PID, 0, PROC_ASLR_CTL, &request) != 0)
		err(1, "procctl(PROC_ASLR_CTL)");

	int status;
	if (procctl(P_PID, 0, PROC_ASLR_STATUS, &status) != 0)
		err(1, "procctl(PROC_ASLR_STATUS)");
	fprintf(stderr, "aslr-exec: %s; this program stays %s until it executes %s\n",
	    choice_name(status),
	    (status & (int)PROC_ASLR_ACTIVE) ? "randomized" : "unrandomized", argv[1]);

	execvp(argv[1], argv + 1);
	err(127, "%s", argv[1]);
}
