/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reapwait: run a command as its reaper; once the command exits, signal
 * whatever it left running, collect it, and exit with the command's status.
 *
 *	reapwait [-v] [-s signal] command [argument ...]
 *
 * Written for libprocctl's porting guide in the way FreeBSD utilities are
 * written, with their idioms (__FBSDID, err(3), strtonum(3), sys_signame,
 * getprogname(3), sysexits), so that docs/PORTING.md's recipe is tested on
 * it.  It is not FreeBSD code.
 */
#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include <sys/types.h>
#include <sys/procctl.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-v] [-s signal] command [argument ...]\n",
	    getprogname());
	exit(EX_USAGE);
}

/* A number or a name, with or without "SIG", in any case. */
static int
parse_signal(const char *arg)
{
	const char *errstr, *name;
	int sig;

	sig = (int)strtonum(arg, 1, sys_nsig - 1, &errstr);
	if (errstr == NULL)
		return (sig);
	name = arg;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (sig = 1; sig < sys_nsig; sig++) {
		if (sys_signame[sig][0] != '\0' &&
		    strcasecmp(name, sys_signame[sig]) == 0)
			return (sig);
	}
	errx(EX_USAGE, "%s: unknown signal", arg);
}

int
main(int argc, char **argv)
{
	struct procctl_reaper_status rs;
	struct procctl_reaper_kill rk;
	pid_t child;
	int ch, sig, status;
	bool verbose;

	sig = SIGTERM;
	verbose = false;
	/* "+": stop at the command, whose options are its own. */
	while ((ch = getopt(argc, argv, "+s:v")) != -1) {
		switch (ch) {
		case 's':
			sig = parse_signal(optarg);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();

	if (procctl(P_PID, getpid(), PROC_REAP_ACQUIRE, NULL) == -1)
		err(EX_OSERR, "procctl(PROC_REAP_ACQUIRE)");

	child = fork();
	if (child == -1)
		err(EX_OSERR, "fork");
	if (child == 0) {
		execvp(argv[0], argv);
		err(errno == ENOENT ? 127 : 126, "%s", argv[0]);
	}
	while (waitpid(child, &status, 0) == -1) {
		if (errno != EINTR)
			err(EX_OSERR, "waitpid");
	}

	memset(&rs, 0, sizeof(rs));
	if (procctl(P_PID, getpid(), PROC_REAP_STATUS, &rs) == -1)
		err(EX_OSERR, "procctl(PROC_REAP_STATUS)");
	if (rs.rs_descendants > 0) {
		memset(&rk, 0, sizeof(rk));
		rk.rk_sig = sig;
		if (procctl(P_PID, getpid(), PROC_REAP_KILL, &rk) == -1 &&
		    errno != ESRCH)
			warn("procctl(PROC_REAP_KILL)");
		if (verbose)
			warnx("sent SIG%s to %u left behind", sys_signame[sig],
			    rk.rk_killed);
		/* Everything left is ours to wait for now. */
		while (wait(NULL) != -1 || errno == EINTR)
			continue;
	}
	(void)procctl(P_PID, getpid(), PROC_REAP_RELEASE, NULL);

	if (WIFSIGNALED(status))
		return (128 + WTERMSIG(status));
	return (WEXITSTATUS(status));
}
