/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What acting on another process costs, measured in one run against the
 * same work done by a process on itself:
 *
 *   bench-remote [ROUNDS]
 *
 * Rows, each the median over ROUNDS batches of calls:
 *   self change      procctl(PROC_ASLR_CTL) on the caller (personality())
 *   remote change    the same on another process: the remote engine, in
 *                    a single-threaded target and in one with 8 threads
 *                    (the change reaches every thread)
 *   remote status    PROC_WXMAP_STATUS (MDWE, asked inside the target)
 *   /proc status     PROC_NO_NEW_PRIVS_STATUS (read from /proc, no engine)
 * and each one's ratio to the self change.  Timings on a loaded or virtual
 * machine move; compare rows of the same run only.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/procctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH_SELF   2000
#define BATCH_REMOTE 20

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* A child that sleeps in pause(), with threads more threads; killed by us. */
static pid_t spawn_target(int threads)
{
	int ready[2];
	if (pipe(ready) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		for (int i = 0; i < threads; i++) {
			pthread_t t;
			if (pthread_create(&t, NULL, idle_thread, NULL) != 0)
				_exit(1);
		}
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	char c;
	close(ready[1]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return pid;
}

static void end_target(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

struct row {
	const char *name;
	pid_t target;           /* 0: the caller */
	int cmd;
	bool ctl;               /* alternate two values, as a change */
	int batch;
	double ns;              /* median per call */
};

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int measure(struct row *r, int rounds)
{
	double *per_call = calloc((size_t)rounds, sizeof(*per_call));
	if (per_call == NULL)
		return -1;
	for (int round = 0; round < rounds; round++) {
		double start = now_ns();
		for (int i = 0; i < r->batch; i++) {
			int v = r->ctl ? (i % 2 ? PROC_ASLR_NOFORCE : PROC_ASLR_FORCE_DISABLE) : 0;
			if (procctl(P_PID, (id_t)r->target, r->cmd, &v) != 0) {
				fprintf(stderr, "%s: %s\n", r->name, strerror(errno));
				free(per_call);
				return -1;
			}
		}
		per_call[round] = (now_ns() - start) / r->batch;
	}
	qsort(per_call, (size_t)rounds, sizeof(*per_call), compare_double);
	r->ns = per_call[rounds / 2];
	free(per_call);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 15;
	if (rounds < 1)
		rounds = 1;
	pid_t single = spawn_target(0), threaded = spawn_target(8);
	if (single < 0 || threaded < 0) {
		fprintf(stderr, "bench-remote: cannot start the targets\n");
		return 1;
	}

	struct row rows[] = {
		{ "self change (ASLR_CTL on the caller)", 0, PROC_ASLR_CTL, true, BATCH_SELF, 0 },
		{ "remote change, 1 thread", single, PROC_ASLR_CTL, true, BATCH_REMOTE, 0 },
		{ "remote change, 9 threads", threaded, PROC_ASLR_CTL, true, BATCH_REMOTE, 0 },
		{ "remote status (WXMAP_STATUS, engine)", single, PROC_WXMAP_STATUS, false, BATCH_REMOTE, 0 },
		{ "/proc status (NO_NEW_PRIVS_STATUS)", single, PROC_NO_NEW_PRIVS_STATUS, false, BATCH_SELF / 10, 0 },
	};
	size_t n = sizeof(rows) / sizeof(rows[0]);
	int failed = 0;
	for (size_t i = 0; i < n && !failed; i++)
		failed = measure(&rows[i], rounds) != 0;
	end_target(single);
	end_target(threaded);
	if (failed)
		return 1;

	printf("%-40s %12s %10s\n", "per target", "us/call", "x self");
	for (size_t i = 0; i < n; i++)
		printf("%-40s %12.2f %10.1f\n", rows[i].name, rows[i].ns / 1000.0,
		    rows[i].ns / rows[0].ns);
	printf("per extra thread of a remote change: %.2f us\n",
	    (rows[2].ns - rows[1].ns) / 8 / 1000.0);
	return 0;
}
