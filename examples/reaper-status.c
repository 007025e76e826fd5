/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reaper-status: print the reaper of a process and the table of its
 * descendants, from PROC_REAP_STATUS and PROC_REAP_GETPIDS.
 *
 *     reaper-status [pid]
 *
 * PROC_REAP_GETPIDS fills at most rp_count entries and cannot say how many
 * there were.  The pattern: ask PROC_REAP_STATUS for rs_descendants, make
 * room for some more (the tree can grow in between), and ask again with a
 * bigger array while the answer fills every slot.
 */
#include <sys/procctl.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_flags(unsigned int flags)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ REAPER_PIDINFO_CHILD, "child" },
		{ REAPER_PIDINFO_REAPER, "reaper" },
		{ REAPER_PIDINFO_ZOMBIE, "zombie" },
		{ REAPER_PIDINFO_STOPPED, "stopped" },
		{ REAPER_PIDINFO_EXITING, "exiting" },
	};
	const char *sep = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = ",";
		}
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: reaper-status [pid]\n");
		return 2;
	}
	id_t pid = argc == 2 ? (id_t)strtoul(argv[1], NULL, 10) : 0;

	struct procctl_reaper_status rs;
	if (procctl(P_PID, pid, PROC_REAP_STATUS, &rs) != 0)
		err(1, "procctl(PROC_REAP_STATUS)");
	printf("reaper %d%s%s: %u children, %u descendants",
	    (int)rs.rs_reaper,
	    (rs.rs_flags & REAPER_STATUS_OWNED) ? " (the process itself)" : "",
	    (rs.rs_flags & REAPER_STATUS_REALINIT) ? " (init)" : "",
	    rs.rs_children, rs.rs_descendants);
	if (rs.rs_pid != -1)
		printf(", newest %d", (int)rs.rs_pid);
	putchar('\n');

	unsigned int room = rs.rs_descendants + 16;
	struct procctl_reaper_pidinfo *info = NULL;
	unsigned int n;
	for (;;) {
		free(info);
		info = calloc(room, sizeof(*info));
		if (info == NULL)
			err(1, "calloc");
		struct procctl_reaper_pids rp = { .rp_count = room, .rp_pids = info };
		if (procctl(P_PID, pid, PROC_REAP_GETPIDS, &rp) != 0)
			err(1, "procctl(PROC_REAP_GETPIDS)");
		for (n = 0; n < room && (info[n].pi_flags & REAPER_PIDINFO_VALID); n++)
			;
		if (n < room)
			break;
		room *= 2;   /* every slot used: there may be more */
	}

	printf("%8s %8s  %s\n", "PID", "SUBTREE", "FLAGS");
	for (unsigned int i = 0; i < n; i++) {
		printf("%8d %8d  ", (int)info[i].pi_pid, (int)info[i].pi_subtree);
		print_flags(info[i].pi_flags);
	}
	free(info);
	return 0;
}
