/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What each /proc read and each pin costs the kernel, per process, and the
 * least time a walk built from them can take: the floor under the reaper
 * commands, measured in one run against the raw walk (bench-reaper's
 * floor: the children files read and nothing checked).
 *
 * N pausing children (default 1000) are made; each primitive is timed over
 * all of them, in interleaved rounds, and its best round kept.  A design's
 * work is the sum of the primitives it needs for each process; the library
 * reads with at most two threads (the caller and one helper,
 * procfs_helper.h), so no walk of that design can take less than half its
 * work, however well the two share it.  That floor is set against the raw
 * walk, alone on one CPU, as bench-reaper's ratios are.
 *
 * The signals are SIGCONT, which a pausing process ignores.  Only the
 * children made here are signalled; they are killed and reaped at the end.
 *
 *     procfs-cost [children]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_CHILDREN 1000
#define MAX_CHILDREN 4000
#define ROUNDS 12
#define NOT_MEASURED 1e300      /* a primitive this machine refused */

static pid_t kids[MAX_CHILDREN];
static int dirs[MAX_CHILDREN];      /* each child's /proc/PID, held */
static int pidfds[MAX_CHILDREN];
static int count;
static char buf[4096];

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void read_file(int at, const char *path)
{
	int fd = openat(at, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!read(fd, buf, sizeof(buf));
		close(fd);
	}
}

static void children_by_path(int i)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", kids[i], kids[i]);
	read_file(AT_FDCWD, path);
}

static void kill_pid(int i)
{
	(void)kill(kids[i], SIGCONT);
}

static void stat_by_path(int i)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", kids[i]);
	read_file(AT_FDCWD, path);
}

static void dir_pin(int i)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", kids[i]);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
}

static void stat_in_dir(int i)
{
	read_file(dirs[i], "stat");
}

static void children_in_dir(int i)
{
	char path[64];
	snprintf(path, sizeof(path), "task/%d/children", kids[i]);
	read_file(dirs[i], path);
}

static void signal_dir(int i)
{
	(void)syscall(SYS_pidfd_send_signal, dirs[i], SIGCONT, NULL, 0);
}

static void pidfd_pin(int i)
{
	int fd = (int)syscall(SYS_pidfd_open, kids[i], 0);
	if (fd >= 0)
		close(fd);
}

static void threads_by_nlink(int i)
{
	char path[64];
	struct statx stx;
	snprintf(path, sizeof(path), "/proc/%d/task", kids[i]);
	(void)statx(AT_FDCWD, path, 0, STATX_NLINK, &stx);
}

static void pidfd_poll(int i)
{
	struct pollfd p = { .fd = pidfds[i], .events = POLLIN };
	(void)poll(&p, 1, 0);
}

static void pidfd_fstat(int i)
{
	struct stat st;
	(void)fstat(pidfds[i], &st);
}

static void signal_pidfd(int i)
{
	(void)syscall(SYS_pidfd_send_signal, pidfds[i], SIGCONT, NULL, 0);
}

enum prim {
	C_CHILDREN, C_KILL, C_STAT, C_DIR, C_STAT_DIR, C_CHILDREN_DIR, C_SIGNAL_DIR,
	C_PIDFD, C_NLINK, C_POLL, C_FSTAT, C_SIGNAL_PIDFD, C_COUNT
};

static const struct primitive {
	const char *what;
	void (*fn)(int);
	enum hold { HOLD_NONE, HOLD_DIRS, HOLD_PIDFDS } holds;  /* held while timed */
} prims[C_COUNT] = {
	[C_CHILDREN] = { "children file by path: open, read, close", children_by_path, HOLD_NONE },
	[C_KILL] = { "kill(2)", kill_pid, HOLD_NONE },
	[C_STAT] = { "stat by path: open, read, close", stat_by_path, HOLD_NONE },
	[C_DIR] = { "/proc/PID directory: open, close", dir_pin, HOLD_NONE },
	[C_STAT_DIR] = { "stat through the directory", stat_in_dir, HOLD_DIRS },
	[C_CHILDREN_DIR] = { "children file through the directory", children_in_dir, HOLD_DIRS },
	[C_SIGNAL_DIR] = { "pidfd_send_signal through the directory", signal_dir, HOLD_DIRS },
	[C_PIDFD] = { "pidfd_open, close", pidfd_pin, HOLD_NONE },
	[C_NLINK] = { "statx /proc/PID/task (its threads)", threads_by_nlink, HOLD_NONE },
	[C_POLL] = { "poll of a pidfd (has it exited?)", pidfd_poll, HOLD_PIDFDS },
	[C_FSTAT] = { "fstat of a pidfd (pidfs inode)", pidfd_fstat, HOLD_PIDFDS },
	[C_SIGNAL_PIDFD] = { "pidfd_send_signal through a pidfd", signal_pidfd, HOLD_PIDFDS },
};

/* A walk's reads per process, by primitive. */
static const struct design {
	const char *what;
	enum prim uses[7];
	int n;
	bool one_cpu;           /* the raw walks: one thread, as bench-reaper runs them */
} designs[] = {
	{ "raw walk (the floor bench-reaper sets)", { C_CHILDREN }, 1, true },
	{ "raw walk + kill(2)", { C_CHILDREN, C_KILL }, 2, true },
	{ "GETPIDS, STATUS: stat and children by path", { C_STAT, C_CHILDREN }, 2, false },
	{ "REAP_KILL: pinned by its directory", { C_DIR, C_STAT_DIR, C_CHILDREN_DIR, C_SIGNAL_DIR },
	    4, false },
	{ "REAP_KILL without stat (not built: no 'exiting')",
	    { C_PIDFD, C_CHILDREN, C_NLINK, C_POLL, C_FSTAT, C_SIGNAL_PIDFD }, 6, false },
};

static int make_children(int n)
{
	for (count = 0; count < n; count++) {
		dirs[count] = pidfds[count] = -1;
		pid_t pid = fork();
		if (pid < 0)
			return -errno;
		if (pid == 0) {
			for (;;)
				pause();
		}
		kids[count] = pid;
	}
	return 0;
}

static void end_children(void)
{
	for (int i = 0; i < count; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < count; i++)
		while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
			;
}

/*
 * Descriptors held only while the primitives that use them are timed: a
 * held pidfd keeps the pid's pidfs dentry, which would make pidfd_open
 * cheaper than a walk, holding none, finds it.
 */
static bool hold(enum hold what)
{
	for (int i = 0; i < count; i++) {
		if (what == HOLD_DIRS) {
			char path[64];
			snprintf(path, sizeof(path), "/proc/%d", kids[i]);
			dirs[i] = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (dirs[i] < 0)
				return false;
		} else if (what == HOLD_PIDFDS) {
			pidfds[i] = (int)syscall(SYS_pidfd_open, kids[i], 0);
			if (pidfds[i] < 0)
				return false;
		}
	}
	return true;
}

static void let_go(void)
{
	for (int i = 0; i < count; i++) {
		if (dirs[i] >= 0)
			close(dirs[i]);
		if (pidfds[i] >= 0)
			close(pidfds[i]);
		dirs[i] = pidfds[i] = -1;
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : DEFAULT_CHILDREN;
	if (n < 1 || n > MAX_CHILDREN) {
		fprintf(stderr, "procfs-cost: children: 1 to %d\n", MAX_CHILDREN);
		return 2;
	}
	/* A descriptor per child is held, of one kind at a time. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)(n + 64)) {
		n = (int)(rl.rlim_cur - 64);
		fprintf(stderr, "procfs-cost: RLIMIT_NOFILE allows %d children\n", n);
	}
	int r = make_children(n);
	if (r < 0) {
		fprintf(stderr, "procfs-cost: making children: %s\n", strerror(-r));
		end_children();
		return 1;
	}
	int probe = (int)syscall(SYS_pidfd_open, getpid(), 0);
	bool have_pidfd = probe >= 0;
	if (probe >= 0)
		close(probe);

	double best[C_COUNT];
	for (int p = 0; p < C_COUNT; p++)
		best[p] = NOT_MEASURED;
	for (int round = 0; round < ROUNDS; round++) {
		for (enum hold h = HOLD_NONE; h <= HOLD_PIDFDS; h++) {
			if ((h == HOLD_PIDFDS && !have_pidfd) || !hold(h)) {
				let_go();
				continue;
			}
			for (int p = 0; p < C_COUNT; p++) {
				if (prims[p].holds != h)
					continue;
				double start = now_us();
				for (int i = 0; i < count; i++)
					prims[p].fn(i);
				double per = (now_us() - start) / count;
				if (per < best[p])
					best[p] = per;
			}
			let_go();
		}
	}
	end_children();

	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	printf("libprocctl /proc costs: %d pausing children, best of %d rounds, %ld CPUs\n\n",
	    count, ROUNDS, cpus);
	printf("Per process (us)\n");
	for (int p = 0; p < C_COUNT; p++) {
		if (best[p] == NOT_MEASURED)
			printf("  %-46s    n/a (refused here)\n", prims[p].what);
		else
			printf("  %-46s %6.2f\n", prims[p].what, best[p]);
	}

	double raw = best[C_CHILDREN], raw_kill = best[C_CHILDREN] + best[C_KILL];
	printf("\nWalks: work per process (us), and the least a walk of two threads can take,\n"
	    "half of it, against the raw walk on one CPU (with kill(2): raw walk + kill)\n");
	printf("  %-50s %6s %6s %6s %7s\n", "design", "work", "floor", "x raw", "x +kill");
	for (size_t d = 0; d < sizeof(designs) / sizeof(designs[0]); d++) {
		double work = 0;
		bool known = true;
		for (int k = 0; k < designs[d].n; k++) {
			enum prim p = designs[d].uses[k];
			known = known && best[p] != NOT_MEASURED;
			work += best[p];
		}
		if (!known) {
			printf("  %-50s    n/a\n", designs[d].what);
			continue;
		}
		double floor = designs[d].one_cpu ? work : work / 2;
		printf("  %-50s %6.2f %6.2f %5.2fx %6.2fx\n", designs[d].what, work, floor,
		    floor / raw, floor / raw_kill);
	}
	return 0;
}
