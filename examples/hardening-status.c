/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hardening-status: report this process's hardening settings, as a
 * security self-check at start-up might.
 *
 * Every *_STATUS command reads what the kernel enforces now, not what was
 * asked for earlier.  Some settings Linux cannot change per process
 * (PROTMAX never applies, stack gaps are always on, KPTI is decided at
 * boot); procctl(3) says which, and their *_CTL fails with ENOTSUP when
 * asked for anything else.
 */
#include <sys/procctl.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The setting is in force when (status & mask) == want. */
struct check {
	const char *name;
	int cmd;
	int mask;
	int want;
};

static const struct check checks[] = {
	{ "randomized image", PROC_ASLR_STATUS,
	  (int)PROC_ASLR_ACTIVE, (int)PROC_ASLR_ACTIVE },
	{ "W^X enforced", PROC_WXMAP_STATUS,
	  (int)PROC_WXORX_ENFORCE, (int)PROC_WXORX_ENFORCE },
	{ "stack guard gaps", PROC_STACKGAP_STATUS,
	  PROC_STACKGAP_ENABLE, PROC_STACKGAP_ENABLE },
	{ "implicit PROT_MAX", PROC_PROTMAX_STATUS,
	  (int)PROC_PROTMAX_ACTIVE, (int)PROC_PROTMAX_ACTIVE },
	/* These two report a value, not a flag. */
	{ "no new privileges", PROC_NO_NEW_PRIVS_STATUS, -1, PROC_NO_NEW_PRIVS_ENABLE },
	{ "tracing disabled", PROC_TRACE_STATUS, -1, -1 },
#if defined(PROC_KPTI_STATUS)
	{ "KPTI", PROC_KPTI_STATUS,
	  (int)PROC_KPTI_STATUS_ACTIVE, (int)PROC_KPTI_STATUS_ACTIVE },
#endif
};

int main(void)
{
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		const struct check *c = &checks[i];
		int status;
		if (procctl(P_PID, 0, c->cmd, &status) != 0)
			printf("%-18s unknown: %s\n", c->name, strerror(errno));
		else
			printf("%-18s %-3s (status %#x)\n", c->name,
			    (status & c->mask) == c->want ? "yes" : "no",
			    (unsigned int)status);
	}
	return 0;
}
