/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * oom-protect: keep this process (a database, a supervisor) from being
 * chosen by the out-of-memory killer.
 *
 * PROC_SPROTECT takes an operation (PPROT_SET or PPROT_CLEAR) and flags:
 * PPROT_INHERIT protects the children created later too, PPROT_DESCEND
 * acts on the existing descendants.  On Linux it sets oom_score_adj to
 * -1000, which needs CAP_SYS_RESOURCE in the initial user namespace: root
 * inside a container usually lacks it, and the call then fails with EPERM.
 * A program should treat that as "running unprotected", not as fatal.
 */
#include <sys/procctl.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>

int main(void)
{
	int request = PPROT_SET | PPROT_INHERIT;
	if (procctl(P_PID, 0, PROC_SPROTECT, &request) != 0) {
		if (errno != EPERM)
			err(1, "procctl(PROC_SPROTECT)");
		printf("not protected from the OOM killer: no privilege to change it\n");
		return 0;
	}
	printf("protected from the OOM killer, and so are my future children\n");

	/* ... the work that must survive memory pressure ... */

	request = PPROT_CLEAR;
	if (procctl(P_PID, 0, PROC_SPROTECT, &request) != 0)
		err(1, "procctl(PROC_SPROTECT, PPROT_CLEAR)");
	printf("protection removed\n");
	return 0;
}
