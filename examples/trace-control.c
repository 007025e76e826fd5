/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace-control: keep debuggers and core dumps away from a process that
 * holds secrets, as ssh-agent and OpenSSH do.
 *
 * PROC_TRACE_CTL_DISABLE lasts until the process executes another program;
 * fork children inherit it.  On Linux it clears the dumpable flag, which
 * also makes /proc/PID files root-owned.  PROC_TRACE_CTL_DISABLE_EXEC (keep
 * it after execve) cannot be had on Linux and fails with ENOTSUP.  None of
 * this stops root or the kernel.
 */
#include <sys/procctl.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>

static void show(const char *when)
{
	int status;
	if (procctl(P_PID, 0, PROC_TRACE_STATUS, &status) != 0)
		err(1, "procctl(PROC_TRACE_STATUS)");
	/* -1: tracing disabled; 0: enabled, no debugger; else the debugger's pid. */
	if (status == -1)
		printf("%s: tracing disabled\n", when);
	else if (status == 0)
		printf("%s: tracing enabled, no debugger attached\n", when);
	else
		printf("%s: traced by process %d\n", when, status);
}

int main(void)
{
	show("at start");

	int request = PROC_TRACE_CTL_DISABLE;
	if (procctl(P_PID, 0, PROC_TRACE_CTL, &request) != 0) {
		/* EBUSY: a debugger is attached already. */
		err(1, "procctl(PROC_TRACE_CTL_DISABLE)");
	}
	show("holding the secret");

	/* ... load the key, use it, wipe it ... */

	request = PROC_TRACE_CTL_ENABLE;      /* only a process itself may */
	if (procctl(P_PID, 0, PROC_TRACE_CTL, &request) != 0)
		err(1, "procctl(PROC_TRACE_CTL_ENABLE)");
	show("secret gone");

	request = PROC_TRACE_CTL_DISABLE_EXEC;
	if (procctl(P_PID, 0, PROC_TRACE_CTL, &request) == 0)
		show("for this and every later program");
	else if (errno == ENOTSUP)
		printf("DISABLE_EXEC: not available on Linux, which re-enables "
		    "tracing at execve\n");
	else
		err(1, "procctl(PROC_TRACE_CTL_DISABLE_EXEC)");
	return 0;
}
