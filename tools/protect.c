/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * protect(1) for Linux, on libprocctl: FreeBSD's command line, errors and
 * exit statuses.  Protects processes from the OOM killer (PROC_SPROTECT,
 * which libprocctl carries out with oom_score_adj = -1000).
 *
 *   protect [-i] command      protect itself, then exec the command
 *   protect [-cdi] -p pid     protect (-c: unprotect) one process
 *   protect [-cdi] -g pgrp    ... every process of a group
 *
 * -d also covers every descendant; -i also covers children created later.
 * A refused procctl() exits 1; a command that cannot be run exits 127 when
 * it is not found and 126 otherwise.
 */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procctl.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pid-arg.h"

struct request {
	idtype_t idtype;
	id_t id;
	bool have_id;
	int op;                 /* PPROT_SET or PPROT_CLEAR */
	int flags;              /* PPROT_DESCEND, PPROT_INHERIT */
	char **command;         /* NULL, or the command and its arguments */
};

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
	    "usage: protect [-i] command [argument ...]\n"
	    "       protect [-cdi] -g pgrp | -p pid\n");
	exit(1);
}

static void set_target(struct request *rq, idtype_t idtype, const char *text)
{
	if (rq->have_id) {
		warnx("only one -g or -p option may be given");
		usage();
	}
	if (!parse_pid_arg(text, &rq->id)) {
		warnx("invalid %s id: %s", idtype == P_PGID ? "process group" : "process", text);
		usage();
	}
	rq->idtype = idtype;
	rq->have_id = true;
}

static struct request parse_arguments(int argc, char **argv)
{
	struct request rq = { .idtype = P_PID, .op = PPROT_SET };
	int ch;

	/* "+": stop at the command, whose own options are not ours. */
	while ((ch = getopt(argc, argv, "+cdig:p:")) != -1) {
		switch (ch) {
		case 'c':
			rq.op = PPROT_CLEAR;
			break;
		case 'd':
			rq.flags |= PPROT_DESCEND;
			break;
		case 'i':
			rq.flags |= PPROT_INHERIT;
			break;
		case 'g':
			set_target(&rq, P_PGID, optarg);
			break;
		case 'p':
			set_target(&rq, P_PID, optarg);
			break;
		default:
			usage();
		}
	}
	bool have_command = optind < argc;
	/* Either processes to act on or a command to run, never both. */
	if (rq.have_id == have_command)
		usage();
	/* A command has no descendants yet for -d to reach. */
	if ((rq.flags & PPROT_DESCEND) && have_command)
		usage();
	if (have_command) {
		rq.id = (id_t)getpid();
		rq.command = argv + optind;
	}
	return rq;
}

/* The kernel gives the initial user namespace this fixed inode number. */
#define INITIAL_USER_NS_INO 0xEFFFFFFDU

/*
 * Lowering oom_score_adj needs CAP_SYS_RESOURCE, and Linux counts it only
 * in the initial user namespace: a container's root holds the bit in vain.
 */
static bool may_lower_oom_score(void)
{
	cap_t caps = cap_get_proc();
	if (caps == NULL)
		return true;    /* cannot tell: blame nothing */
	cap_flag_value_t resource = CAP_CLEAR;
	int r = cap_get_flag(caps, CAP_SYS_RESOURCE, CAP_EFFECTIVE, &resource);
	cap_free(caps);
	if (r != 0)
		return true;
	if (resource != CAP_SET)
		return false;
	struct stat ns;
	return stat("/proc/self/ns/user", &ns) != 0 || ns.st_ino == INITIAL_USER_NS_INO;
}

static void __attribute__((noreturn)) refused(int error)
{
	if (error == EPERM && !may_lower_oom_score())
		errx(1, "procctl: %s: OOM protection can only be changed with "
		    "CAP_SYS_RESOURCE in the initial user namespace, which protect lacks",
		    strerror(error));
	if (error == ENOTSUP)
		errx(1, "procctl: %s: Linux cannot do this here; see procctl(3)",
		    strerror(error));
	errno = error;
	err(1, "procctl");
}

int main(int argc, char **argv)
{
	struct request rq = parse_arguments(argc, argv);

	int data = rq.op | rq.flags;
	if (procctl(rq.idtype, rq.id, PROC_SPROTECT, &data) != 0)
		refused(errno);
	if (rq.command != NULL) {
		execvp(rq.command[0], rq.command);
		err(errno == ENOENT ? 127 : 126, "%s", rq.command[0]);
	}
	return 0;
}
