/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A stand-in for procctl(), preloaded (LD_PRELOAD) into proccontrol(1) and
 * protect(1) by the tool tests.  It shows which calls a tool makes, and
 * lets a test answer with any status or errno, including ones this Linux
 * never gives (a LA57 image, a forced ASLR choice), so that every word the
 * tools can print is checked.
 *
 * Each call is written to standard error as
 *     procctl(P_PID, self, 13, 2)      a command that takes a value
 *     procctl(P_PID, 1234, 14)         one that reports a status
 * where "self" is the pid of the calling process.  Then:
 *     LPC_FAKE_ERRNO=n     fail with errno n
 *     LPC_FAKE_STATUS=v    otherwise store v for a status command
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/procctl.h>
#include <unistd.h>

/*
 * FreeBSD numbers each setting's CTL before its STATUS: odd numbers from
 * PROC_SPROTECT on, even offsets from PROC_PROCCTL_MD_MIN.
 */
static bool takes_value(int cmd)
{
	if (cmd >= PROC_PROCCTL_MD_MIN)
		return (cmd - PROC_PROCCTL_MD_MIN) % 2 == 0;
	return cmd % 2 == 1;
}

static long env_number(const char *name, long fallback)
{
	const char *text = getenv(name);
	return text != NULL ? strtol(text, NULL, 0) : fallback;
}

__attribute__((visibility("default")))
int procctl(idtype_t idtype, id_t id, int cmd, void *data)
{
	char who[16];
	if (id == (id_t)getpid())
		snprintf(who, sizeof(who), "self");
	else
		snprintf(who, sizeof(who), "%u", (unsigned int)id);
	const char *type = idtype == P_PID ? "P_PID" : idtype == P_PGID ? "P_PGID" : "?";

	if (takes_value(cmd) && data != NULL)
		fprintf(stderr, "procctl(%s, %s, %d, %d)\n", type, who, cmd, *(int *)data);
	else
		fprintf(stderr, "procctl(%s, %s, %d)\n", type, who, cmd);

	int err = (int)env_number("LPC_FAKE_ERRNO", 0);
	if (err != 0) {
		errno = err;
		return -1;
	}
	if (!takes_value(cmd) && data != NULL)
		*(int *)data = (int)env_number("LPC_FAKE_STATUS", 0);
	return 0;
}
