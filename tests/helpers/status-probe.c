/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Prints one attribute of this process as a number, for tests that check
 * what survives execve:  status-probe WHAT
 *
 * procctl STATUS commands by name (trace, aslr, ...), and the raw Linux
 * attributes beneath them (dumpable, personality, subreaper, mdwe, ...).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/procctl.h>
#include <unistd.h>

static const struct { const char *name; int cmd; } statuses[] = {
	{ "trace", PROC_TRACE_STATUS },
	{ "trapcap", PROC_TRAPCAP_STATUS },
	{ "pdeathsig", PROC_PDEATHSIG_STATUS },
	{ "aslr", PROC_ASLR_STATUS },
	{ "protmax", PROC_PROTMAX_STATUS },
	{ "stackgap", PROC_STACKGAP_STATUS },
	{ "nnp", PROC_NO_NEW_PRIVS_STATUS },
	{ "wxmap", PROC_WXMAP_STATUS },
	{ "logsigexit", PROC_LOGSIGEXIT_STATUS },
#ifdef PROC_LA_STATUS
	{ "la", PROC_LA_STATUS },
	{ "kpti", PROC_KPTI_STATUS },
#endif
};

static long raw(const char *what)
{
	int v = 0;
	if (strcmp(what, "dumpable") == 0)
		return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	if (strcmp(what, "personality") == 0)
		return personality(0xffffffff);
	if (strcmp(what, "subreaper") == 0)
		return prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0) == 0 ? v : -1;
	if (strcmp(what, "mdwe") == 0)
		return prctl(66 /* PR_GET_MDWE */, 0, 0, 0, 0);
	if (strcmp(what, "mmap_rwx_errno") == 0) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return p == MAP_FAILED ? errno : 0;
	}
	if (strcmp(what, "aslr_refusal") == 0) {
		/* The errno with which personality(ADDR_NO_RANDOMIZE) is refused here, or 0. */
		int persona = personality(0xffffffff);
		return persona >= 0 && personality((unsigned long)persona | ADDR_NO_RANDOMIZE) >= 0 ?
		    0 : errno;
	}
	if (strcmp(what, "stack_address") == 0)
		return (long)(unsigned long)&v;
	if (strcmp(what, "hold") == 0) {
		/* Stay alive (as this image) until stdin closes. */
		printf("ready\n");
		fflush(stdout);
		char c;
		while (read(STDIN_FILENO, &c, 1) > 0)
			;
		return 0;
	}
	fprintf(stderr, "status-probe: unknown attribute %s\n", what);
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: status-probe WHAT\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		if (strcmp(argv[1], statuses[i].name) == 0) {
			int v;
			if (procctl(P_PID, 0, statuses[i].cmd, &v) != 0) {
				printf("error %s\n", strerror(errno));
				return 1;
			}
			printf("%d\n", v);
			return 0;
		}
	}
	printf("%ld\n", raw(argv[1]));
	return 0;
}
