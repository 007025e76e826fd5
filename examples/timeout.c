/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * timeout: run a command, and kill it and everything it started if it
 * outlives a time limit.  The shape of FreeBSD's timeout(1), which this
 * library lets build on Linux unchanged:
 *
 *     timeout [-s signal] [-k kill-after] duration command [argument ...]
 *
 * The supervisor becomes a reaper first, so that every process the command
 * starts stays its descendant even after its parent exits (a `sleep &` in a
 * shell script, a daemon that double-forks).  On expiry one PROC_REAP_KILL
 * reaches all of them, however they were reparented, and processes forked
 * while the kill runs do not escape it.  The supervisor then reaps until
 * PROC_REAP_STATUS says no child is left.
 *
 * Exit status: the command's, or 124 if it timed out, 125 for a usage
 * error, 126 if the command cannot run, 127 if it is not found.
 */
#include <sys/procctl.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_TIMEDOUT 124
#define EXIT_USAGE    125

static void usage(void)
{
	fprintf(stderr,
	    "usage: timeout [-s signal] [-k kill-after] duration command [argument ...]\n");
	exit(EXIT_USAGE);
}

static double parse_seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end != '\0' || v < 0)
		usage();
	return v;
}

static void arm_timer(double seconds)
{
	struct itimerval it = { 0 };
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)it.it_value.tv_sec) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	if (setitimer(ITIMER_REAL, &it, NULL) != 0)
		err(EXIT_USAGE, "setitimer");
}

/* Signal every descendant; 0 and ESRCH ("nobody left") are both fine. */
static void signal_tree(int sig)
{
	struct procctl_reaper_kill rk = { .rk_sig = sig };
	if (procctl(P_PID, 0, PROC_REAP_KILL, &rk) != 0 && errno != ESRCH) {
		warn("procctl(PROC_REAP_KILL)");
		if (rk.rk_fpid > 0)
			warnx("failed to signal some processes: first pid=%d", (int)rk.rk_fpid);
	}
	/* A stopped process cannot act on the signal until it runs again. */
	if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCONT) {
		struct procctl_reaper_kill cont = { .rk_sig = SIGCONT };
		(void)procctl(P_PID, 0, PROC_REAP_KILL, &cont);
	}
}

/* Whether the supervisor still has children (orphans it adopted count). */
static bool children_left(void)
{
	struct procctl_reaper_status rs;
	if (procctl(P_PID, 0, PROC_REAP_STATUS, &rs) != 0)
		return true;
	return rs.rs_children > 0;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM;
	double kill_after = -1;
	int opt;
	while ((opt = getopt(argc, argv, "+s:k:")) != -1) {
		switch (opt) {
		case 's':
			sig = atoi(optarg);
			if (sig <= 0 || sig >= NSIG)
				usage();
			break;
		case 'k':
			kill_after = parse_seconds(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	double duration = parse_seconds(argv[optind]);
	char **command = &argv[optind + 1];

	/* PID 1 of a container is a reaper already (EBUSY): that is fine. */
	bool acquired = procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) == 0;
	if (!acquired && errno != EBUSY)
		err(EXIT_USAGE, "procctl(PROC_REAP_ACQUIRE)");

	/* Every signal is taken synchronously, with sigwaitinfo(). */
	sigset_t watched, old;
	sigemptyset(&watched);
	sigaddset(&watched, SIGCHLD);
	sigaddset(&watched, SIGALRM);
	sigaddset(&watched, SIGINT);
	sigaddset(&watched, SIGTERM);
	sigaddset(&watched, SIGHUP);
	sigaddset(&watched, SIGQUIT);
	sigprocmask(SIG_BLOCK, &watched, &old);

	pid_t child = fork();
	if (child < 0)
		err(EXIT_USAGE, "fork");
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(command[0], command);
		int code = errno == ENOENT ? 127 : 126;
		warn("%s", command[0]);
		_exit(code);
	}

	arm_timer(duration);
	bool timed_out = false, child_done = false;
	int child_status = 0;
	for (;;) {
		siginfo_t si;
		int got = sigwaitinfo(&watched, &si);
		if (got < 0)
			continue;
		if (got == SIGCHLD) {
			/* The command, and any orphan of it that ended here. */
			pid_t pid;
			int status;
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
				if (pid == child) {
					child_status = status;
					child_done = true;
				}
			}
			if (child_done && !children_left())
				break;
		} else if (got == SIGALRM) {
			if (timed_out) {
				signal_tree(SIGKILL);   /* -k expired too */
			} else {
				timed_out = true;
				signal_tree(sig);
				if (kill_after >= 0)
					arm_timer(kill_after);
			}
		} else {
			/* Forward what the supervisor is asked to the whole tree. */
			signal_tree(got);
		}
	}

	if (acquired)
		(void)procctl(P_PID, 0, PROC_REAP_RELEASE, NULL);
	if (timed_out)
		return EXIT_TIMEDOUT;
	if (WIFSIGNALED(child_status))
		return 128 + WTERMSIG(child_status);
	return WEXITSTATUS(child_status);
}
