/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proccontrol(1) for Linux, on libprocctl: FreeBSD's command line, output
 * and exit statuses.
 *
 *   proccontrol -m mode [-s enable|disable] -p pid    change a process
 *   proccontrol -m mode [-s enable|disable] command   change itself, then exec
 *   proccontrol -m mode -q [-p pid]                   print the status
 *
 * Every failure exits 1, as FreeBSD's does.  Where libprocctl answers that
 * Linux cannot do what was asked (ENOTSUP), the message says why.
 */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procctl.h>
#include <unistd.h>

#include "pid-arg.h"
#include "proccontrol-modes.h"

struct request {
	const struct mode *mode;
	enum mode_action action;
	bool have_pid;
	id_t pid;
	char **command;         /* NULL, or the command and its arguments */
};

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
	    "usage: proccontrol -m mode [-s enable|disable] -p pid\n"
	    "       proccontrol -m mode [-s enable|disable] command [argument ...]\n"
	    "       proccontrol -m mode -q [-p pid]\n"
	    "modes: ");
	mode_print_names(stderr, ", ");
	fputc('\n', stderr);
	exit(1);
}

static struct request parse_arguments(int argc, char **argv)
{
	struct request rq = { .action = ACTION_ENABLE };
	bool query = false;
	int ch;

	/* "+": stop at the command, whose own options are not ours. */
	while ((ch = getopt(argc, argv, "+m:qs:p:")) != -1) {
		switch (ch) {
		case 'm':
			if (rq.mode != NULL)
				usage();
			rq.mode = mode_find(optarg);
			if (rq.mode == NULL) {
				warnx("unknown mode: %s", optarg);
				usage();
			}
			break;
		case 'q':
			query = true;
			break;
		case 's':
			if (strcmp(optarg, "enable") == 0)
				rq.action = ACTION_ENABLE;
			else if (strcmp(optarg, "disable") == 0)
				rq.action = ACTION_DISABLE;
			else
				usage();
			break;
		case 'p':
			if (!parse_pid_arg(optarg, &rq.pid)) {
				warnx("invalid process id: %s", optarg);
				usage();
			}
			rq.have_pid = true;
			break;
		default:
			usage();
		}
	}
	if (rq.mode == NULL)
		usage();
	if (query)
		rq.action = ACTION_QUERY;

	if (optind < argc) {
		/* A command is run by proccontrol itself: no -p, no -q. */
		if (rq.have_pid || query)
			usage();
		rq.command = argv + optind;
	} else if (!rq.have_pid && !query) {
		/* Changing itself and then exiting would do nothing. */
		usage();
	}
	if (!rq.have_pid)
		rq.pid = (id_t)getpid();
	return rq;
}

static void __attribute__((noreturn)) refused(const struct request *rq,
    const char *what, int error)
{
	bool other = rq->pid != 0 && rq->pid != (id_t)getpid();
	const char *why = mode_refusal_reason(rq->mode, rq->action, error, other);
	if (why != NULL)
		errx(1, "%s: %s: %s", what, strerror(error), why);
	errno = error;
	err(1, "%s", what);
}

static void query(const struct request *rq)
{
	int status;
	if (procctl(P_PID, rq->pid, rq->mode->status_cmd, &status) != 0)
		refused(rq, "procctl status", errno);
	rq->mode->print_status(stdout, status);
	if (fflush(stdout) != 0)
		err(1, "stdout");
}

static void change(const struct request *rq)
{
	const struct mode *m = rq->mode;
	int value = rq->action == ACTION_ENABLE ? m->enable_value : m->disable_value;
	if (procctl(P_PID, rq->pid, m->ctl_cmd, &value) != 0)
		refused(rq, "procctl ctl", errno);
}

static void __attribute__((noreturn)) run(const struct request *rq)
{
	/*
	 * Where FreeBSD carries a setting into the command and Linux loses it
	 * at execve, say so rather than start the command without it.
	 */
	if (rq->action == ACTION_ENABLE && rq->mode->enable_lost_at_exec != NULL)
		errx(1, "%s: %s", rq->mode->name, rq->mode->enable_lost_at_exec);
	change(rq);
	execvp(rq->command[0], rq->command);
	err(1, "exec %s", rq->command[0]);
}

int main(int argc, char **argv)
{
	struct request rq = parse_arguments(argc, argv);
	if (rq.action == ACTION_QUERY)
		query(&rq);
	else if (rq.command != NULL)
		run(&rq);
	else
		change(&rq);
	return 0;
}
