/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What capability mode costs a system call, measured in one run so that
 * the ratios compare like with like (absolute times vary 10-20x between a
 * virtual machine and bare metal):
 *
 *   allowed call   getppid(): outside, then under the errno layer, then
 *                  also under the trap layer (which the filter lets through)
 *   denied call    faccessat(AT_FDCWD, "/"): outside it does a path lookup;
 *                  inside it fails with ECAPMODE from the errno layer, from
 *                  the trap layer's SIGSYS handler with TRAPCAP off, and
 *                  with TRAPCAP on, with a SIGTRAP handler that returns.
 *   lookup         openat(dirfd, "file") and close, beneath a directory
 *                  held at cap_enter: inside, Landlock checks where it leads.
 *
 * cap_enter is irreversible, so the measuring runs in a child.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capsicum.h>
#include <sys/procctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { FAST_CALLS = 200000, TRAPPED_CALLS = 20000 };

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void allowed_call(void)
{
	syscall(SYS_getppid);
}

static void denied_call(void)
{
	syscall(SYS_faccessat, AT_FDCWD, "/", F_OK);
}

/* A directory with one file in it, held across cap_enter. */
static char held_path[] = "/tmp/capmode-bench-XXXXXX";
static int held_dir = -1;

static void lookup_beneath(void)
{
	int fd = openat(held_dir, "file", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
}

static int make_held_dir(void)
{
	if (mkdtemp(held_path) == NULL)
		return -1;
	held_dir = open(held_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = held_dir < 0 ? -1 :
	    openat(held_dir, "file", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static void remove_held_dir(void)
{
	if (held_dir >= 0) {
		unlinkat(held_dir, "file", 0);
		close(held_dir);
	}
	rmdir(held_path);
}

/* Nanoseconds per call, the best of three rounds. */
static double ns_per_call(void (*call)(void), int n)
{
	double best = 0;
	for (int round = 0; round < 3; round++) {
		double start = now_ns();
		for (int i = 0; i < n; i++)
			call();
		double each = (now_ns() - start) / n;
		if (round == 0 || each < best)
			best = each;
	}
	return best;
}

static void report(const char *what, double ns, double baseline)
{
	printf("  %-44s %8.0f ns  %6.2fx\n", what, ns, ns / baseline);
}

static void ignore_trap(int sig)
{
	(void)sig;
}

static int set_trapcap(int value)
{
	return procctl(P_PID, 0, PROC_TRAPCAP_CTL, &value);
}

static int measure(void)
{
	double allowed_out = ns_per_call(allowed_call, FAST_CALLS);
	double denied_out = ns_per_call(denied_call, FAST_CALLS);
	double lookup_out = ns_per_call(lookup_beneath, TRAPPED_CALLS);
	if (cap_enter() != 0) {
		printf("cap_enter: %s: nothing to compare\n",
		    errno == ENOSYS ? "seccomp is unavailable here" : "failed");
		return errno == ENOSYS ? 0 : 1;
	}
	double allowed_errno_layer = ns_per_call(allowed_call, FAST_CALLS);
	double denied_errno_layer = ns_per_call(denied_call, FAST_CALLS);
	double lookup_in = ns_per_call(lookup_beneath, TRAPPED_CALLS);

	struct sigaction sa = { .sa_handler = ignore_trap };
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTRAP, &sa, NULL) != 0 || set_trapcap(PROC_TRAPCAP_CTL_ENABLE) != 0) {
		perror("arming the trap layer");
		return 1;
	}
	double allowed_trap_layer = ns_per_call(allowed_call, FAST_CALLS);
	double denied_trapcap_on = ns_per_call(denied_call, TRAPPED_CALLS);
	set_trapcap(PROC_TRAPCAP_CTL_DISABLE);
	double denied_trapcap_off = ns_per_call(denied_call, TRAPPED_CALLS);

	printf("allowed call, getppid() (ratio to outside capability mode)\n");
	report("outside", allowed_out, allowed_out);
	report("errno layer", allowed_errno_layer, allowed_out);
	report("errno + trap layers", allowed_trap_layer, allowed_out);
	printf("denied call, faccessat(AT_FDCWD, \"/\") (ratio to outside)\n");
	report("outside (a real path lookup)", denied_out, denied_out);
	report("errno layer: ECAPMODE", denied_errno_layer, denied_out);
	report("trap layer, TRAPCAP off: SIGSYS, ECAPMODE", denied_trapcap_off, denied_out);
	report("trap layer, TRAPCAP on: SIGSYS + SIGTRAP", denied_trapcap_on, denied_out);
	printf("lookup beneath a held directory, openat(dirfd, \"file\") + close\n");
	report("outside", lookup_out, lookup_out);
	report("errno layer, and Landlock where available", lookup_in, lookup_out);
	return 0;
}

static int measure_in_child(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		int r = measure();
		fflush(stdout);
		_exit(r);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("waitpid");
			return 1;
		}
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(void)
{
	if (make_held_dir() != 0) {
		perror(held_path);
		remove_held_dir();
		return 1;
	}
	int r = measure_in_child();
	remove_held_dir();
	return r;
}
