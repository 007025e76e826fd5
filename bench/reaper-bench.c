/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the reaper commands cost, against what a user would do instead,
 * measured in one run so that the ratios compare like with like (absolute
 * times on a virtual machine are 10-20x those on bare metal).
 *
 * A reaper process R holds trees of 10, 100 and 1000 pausing descendants
 * (ten children, each with its share of grandchildren).  Each tree is
 * measured with no unrelated processes, then with a crowd of several
 * thousand pausing processes elsewhere on the machine:
 *
 *   GETPIDS      procctl(PROC_REAP_GETPIDS) on R
 *   raw walk     the same tree read from the children files with no pidfd
 *                and no checks: the floor, and what race-safety costs
 *   psutil       python3-psutil Process(R).children(recursive=True),
 *                timed inside one Python process
 *   pgrep walk   pgrep -P, one level at a time, as a shell script does
 *   KILL         procctl(PROC_REAP_KILL, SIGKILL) against psutil's
 *                children(recursive=True) + kill() and the pgrep walk +
 *                kill -9, each on a freshly built tree
 *
 * Every figure is the best of several runs: on a shared machine the
 * fastest run is the one least disturbed, the closest to the call's own
 * cost.  Memory: the peak RSS of a process doing GETPIDS on the
 * 1000-process tree, against the same process before it.
 *
 * Then the walk itself, per descendant, against the raw walk: GETPIDS,
 * STATUS and the walk of REAP_KILL (with SIGCONT, which the pausing tree
 * ignores: the walk and a pidfd_send_signal per process, repeated until a
 * pass finds nothing new), each with the batching paths on and forced off.
 * KILL is also set against the raw walk that kill(2)s every pid it reads
 * (raw+kill): the unchecked kill, signals included on both sides.
 *
 *   auto         the engine the library chose by measure (procfs_batch.h),
 *                the registry asked once per call: what callers get
 *   io_uring     the ring forced (where the kernel allows it)
 *   threads      the system calls shared with a helper thread, forced
 *   syscalls     one system call per /proc file, in the caller alone
 *   unbatched    syscalls, and the registry asked by connect(2) for each
 *                descendant, as before the batching
 *
 * Those columns are measured in interleaved rounds (measure_walks), so
 * that the machine's load at any moment falls on all of them alike.
 *
 * The "passes" column: REAP_KILL's passes per call, on average (1: the
 * first pass stood alone; it needs a second when anything else was created
 * on the machine while it ran, or the tree moved).
 *
 *     bench-reaper [crowd size] [--walk-only]    (default 3000)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procctl.h>
#include <sys/resource.h>

/* The switches that force the batching paths off (linked from the static library). */
#include "procfs_batch.h"
#include "reaper.h"
#include "reaper_registry.h"
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PYTHON "/usr/bin/python3"
#define GETPIDS_RUNS 21
#define KILL_RUNS 5

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double best(const double *v, int n)
{
	double m = v[0];
	for (int i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* ---- the reaper R, driven through a pair of pipes ---- */

static int to_reaper = -1, from_reaper = -1;
static pid_t reaper_pid;

static __attribute__((noreturn)) void pause_forever(void)
{
	for (;;)
		pause();
}

/* Ten children, each with (size / 10 - 1) children of its own. */
static void build_tree(int size)
{
	int fanout = size < 10 ? size : 10;
	int each = size / fanout - 1;
	int ready[2];
	if (pipe(ready) != 0)
		die("pipe");
	for (int i = 0; i < fanout; i++) {
		pid_t child = fork();
		if (child < 0)
			die("fork");
		if (child == 0) {
			close(ready[0]);
			for (int j = 0; j < each; j++) {
				pid_t g = fork();
				if (g < 0)
					_exit(1);
				if (g == 0)
					pause_forever();
			}
			(void)!write(ready[1], "x", 1);
			pause_forever();
		}
	}
	close(ready[1]);
	char c;
	for (int i = 0; i < fanout; i++)
		if (read(ready[0], &c, 1) != 1)
			die("tree");
	close(ready[0]);
}

static __attribute__((noreturn)) void reaper_main(int in, int out)
{
	if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0)
		die("PROC_REAP_ACQUIRE");
	int size;
	while (read(in, &size, sizeof(size)) == sizeof(size)) {
		if (size > 0) {
			build_tree(size);
		} else {
			/* Collect everything: the killed tree and its orphans. */
			while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
				;
		}
		(void)!write(out, "k", 1);
	}
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	(void)procctl(P_PID, 0, PROC_REAP_KILL, &rk);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	_exit(0);
}

static void reaper_do(int size)
{
	char c;
	if (write(to_reaper, &size, sizeof(size)) != sizeof(size) ||
	    read(from_reaper, &c, 1) != 1)
		die("reaper");
}

static void start_reaper(void)
{
	int down[2], up[2];
	if (pipe(down) != 0 || pipe(up) != 0)
		die("pipe");
	reaper_pid = fork();
	if (reaper_pid < 0)
		die("fork");
	if (reaper_pid == 0) {
		close(down[1]);
		close(up[0]);
		reaper_main(down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	to_reaper = down[1];
	from_reaper = up[0];
}

/* ---- the crowd: unrelated processes, not descendants of R ---- */

static pid_t start_crowd(int size)
{
	int ready[2];
	if (pipe(ready) != 0)
		die("pipe");
	pid_t crowd = fork();
	if (crowd < 0)
		die("fork");
	if (crowd == 0) {
		close(ready[0]);
		for (int i = 0; i < size; i++) {
			pid_t p = fork();
			if (p < 0)
				_exit(1);
			if (p == 0)
				pause_forever();
		}
		(void)!write(ready[1], "x", 1);
		/* SIGTERM kills the head; its pausers are then killed by pid below. */
		pause_forever();
	}
	close(ready[1]);
	char c;
	if (read(ready[0], &c, 1) != 1)
		die("crowd");
	close(ready[0]);
	return crowd;
}

static void stop_crowd(pid_t crowd)
{
	/* The crowd's members are its children: one REAP_KILL-free way is to
	 * signal them through their parent's children file. */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)crowd, (int)crowd);
	FILE *f = fopen(path, "re");
	if (f != NULL) {
		int pid;
		while (fscanf(f, "%d", &pid) == 1)
			kill(pid, SIGKILL);
		fclose(f);
	}
	kill(crowd, SIGKILL);
	waitpid(crowd, NULL, 0);
}

/* ---- the measurements ---- */

static unsigned int getpids_count(pid_t pid, struct procctl_reaper_pidinfo *info,
    unsigned int room)
{
	struct procctl_reaper_pids rp = { .rp_count = room, .rp_pids = info };
	if (procctl(P_PID, (id_t)pid, PROC_REAP_GETPIDS, &rp) != 0)
		die("PROC_REAP_GETPIDS");
	unsigned int n = 0;
	while (n < room && (info[n].pi_flags & REAPER_PIDINFO_VALID))
		n++;
	return n;
}

static double time_getpids(int expected, int runs)
{
	static struct procctl_reaper_pidinfo info[2048];
	double t[GETPIDS_RUNS];
	for (int i = 0; i < runs; i++) {
		memset(info, 0, sizeof(info));
		double start = now_ms();
		unsigned int n = getpids_count(reaper_pid, info, 2048);
		t[i] = now_ms() - start;
		if ((int)n != expected) {
			fprintf(stderr, "GETPIDS saw %u, expected %d\n", n, expected);
			exit(1);
		}
	}
	return best(t, runs);
}

/*
 * The floor: children files read breadth first, nothing checked.  sig:
 * also kill(2) each pid found with it (0: none), the unchecked kill.
 */
static int raw_walk(pid_t root, int sig)
{
	static pid_t queue[4096];
	int head = 0, len = 0, found = 0;
	queue[len++] = root;
	while (head < len) {
		pid_t p = queue[head++];
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)p, (int)p);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		char buf[16384];
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (char *s = buf, *end; *s; s = end) {
			long v = strtol(s, &end, 10);
			if (end == s)
				break;
			if (len < 4096)
				queue[len++] = (pid_t)v;
			if (sig != 0)
				(void)kill((pid_t)v, sig);
			found++;
		}
	}
	return found;
}

static double time_raw_walk(int expected, int sig, int runs)
{
	double t[GETPIDS_RUNS];
	for (int i = 0; i < runs; i++) {
		double start = now_ms();
		int n = raw_walk(reaper_pid, sig);
		t[i] = now_ms() - start;
		if (n != expected) {
			fprintf(stderr, "raw walk saw %d, expected %d\n", n, expected);
			exit(1);
		}
	}
	return best(t, runs);
}

/* Run a command, return what it printed on its first line as a number. */
static double run_for_number(const char *const argv[])
{
	int p[2];
	if (pipe(p) != 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	/* To the end: an unbuffered writer may send the number in pieces. */
	char buf[256] = "";
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(buf) - 1 && (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(p[0]);
	int status;
	waitpid(pid, &status, 0);
	if (len == 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	buf[len] = '\0';
	return strtod(buf, NULL);
}

static bool have_psutil(void)
{
	const char *const argv[] = { PYTHON, "-c", "import psutil; print(1)", NULL };
	return access(PYTHON, X_OK) == 0 && run_for_number(argv) == 1;
}

/* psutil, timed inside Python: best ms of children(recursive=True). */
static double time_psutil_list(int expected)
{
	char script[512];
	snprintf(script, sizeof(script),
	    "import psutil, time\n"
	    "p = psutil.Process(%d)\n"
	    "t = []\n"
	    "for _ in range(%d):\n"
	    "    s = time.perf_counter(); n = len(p.children(recursive=True))\n"
	    "    t.append((time.perf_counter() - s) * 1e3)\n"
	    "    assert n == %d, n\n"
	    "print(min(t))\n",
	    (int)reaper_pid, GETPIDS_RUNS / 2 + 1, expected);
	const char *const argv[] = { PYTHON, "-c", script, NULL };
	return run_for_number(argv);
}

static double time_psutil_kill(void)
{
	char script[512];
	snprintf(script, sizeof(script),
	    "import psutil, time\n"
	    "p = psutil.Process(%d)\n"
	    "s = time.perf_counter()\n"
	    "for c in p.children(recursive=True):\n"
	    "    try: c.kill()\n"
	    "    except psutil.NoSuchProcess: pass\n"
	    "print((time.perf_counter() - s) * 1e3)\n", (int)reaper_pid);
	const char *const argv[] = { PYTHON, "-c", script, NULL };
	return run_for_number(argv);
}

/*
 * pgrep -P, one level at a time (each call scans all of /proc), timed
 * from inside the shell as a script would run it.
 */
static double time_pgrep(bool kill_them)
{
	char script[1024];
	snprintf(script, sizeof(script),
	    "s=$(date +%%s%%N); level=%d; all=\n"
	    "while [ -n \"$level\" ]; do\n"
	    "  level=$(pgrep -d, -P \"$level\"); [ -n \"$level\" ] && all=\"$all,$level\"\n"
	    "done\n"
	    "%s\n"
	    "e=$(date +%%s%%N); echo $(( (e - s) / 1000 ))\n",
	    (int)reaper_pid,
	    kill_them ? "[ -n \"$all\" ] && kill -9 $(echo \"${all#,}\" | tr , ' ') 2>/dev/null" : "");
	const char *const argv[] = { "/bin/sh", "-c", script, NULL };
	double us = run_for_number(argv);
	return us < 0 ? -1 : us / 1000.0;
}

static double time_reap_kill(int expected)
{
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	double start = now_ms();
	if (procctl(P_PID, (id_t)reaper_pid, PROC_REAP_KILL, &rk) != 0)
		die("PROC_REAP_KILL");
	double t = now_ms() - start;
	if ((int)rk.rk_killed != expected) {
		fprintf(stderr, "REAP_KILL signalled %u, expected %d\n", rk.rk_killed, expected);
		exit(1);
	}
	return t;
}

/* ---- the walk per descendant, each path on and forced off ---- */

enum walk_path { PATH_AUTO, PATH_IO_URING, PATH_THREADS, PATH_SYSCALLS, PATH_UNBATCHED,
	PATH_COUNT };
static const char *const path_names[PATH_COUNT] = { "auto", "io_uring", "threads", "syscalls",
	"unbatched" };

static void use_path(enum walk_path p)
{
	static const enum procfs_batch_engine engines[PATH_COUNT] = {
		[PATH_AUTO] = PROCFS_BATCH_AUTO, [PATH_IO_URING] = PROCFS_BATCH_IO_URING,
		[PATH_THREADS] = PROCFS_BATCH_THREADS, [PATH_SYSCALLS] = PROCFS_BATCH_SYSCALLS,
		[PATH_UNBATCHED] = PROCFS_BATCH_SYSCALLS,
	};
	procfs_batch_force_engine(engines[p]);
	registry_force_per_process(p == PATH_UNBATCHED);
}

static double time_status(int expected, int runs)
{
	double t[GETPIDS_RUNS];
	for (int i = 0; i < runs; i++) {
		struct procctl_reaper_status rs;
		double start = now_ms();
		if (procctl(P_PID, (id_t)reaper_pid, PROC_REAP_STATUS, &rs) != 0)
			die("PROC_REAP_STATUS");
		t[i] = now_ms() - start;
		if ((int)rs.rs_descendants != expected) {
			fprintf(stderr, "STATUS saw %u, expected %d\n", rs.rs_descendants, expected);
			exit(1);
		}
	}
	return best(t, runs);
}

/* REAP_KILL's walk: SIGCONT reaches every process and changes nothing. */
static double time_kill_walk(int expected, int runs)
{
	double t[GETPIDS_RUNS];
	for (int i = 0; i < runs; i++) {
		struct procctl_reaper_kill rk = { .rk_sig = SIGCONT };
		double start = now_ms();
		if (procctl(P_PID, (id_t)reaper_pid, PROC_REAP_KILL, &rk) != 0)
			die("PROC_REAP_KILL");
		t[i] = now_ms() - start;
		if ((int)rk.rk_killed != expected) {
			fprintf(stderr, "KILL walk reached %u, expected %d\n", rk.rk_killed, expected);
			exit(1);
		}
	}
	return best(t, runs);
}

struct walk_row {
	int tree, crowd;
	double raw, raw_kill;       /* the unchecked walk, without and with kill(2) */
	double getpids[PATH_COUNT], status[PATH_COUNT], kill[PATH_COUNT];
	double later[PATH_COUNT];   /* REAP_KILL's later passes per call */
};

static void keep_best(double *best_so_far, double v)
{
	if (*best_so_far == 0 || v < *best_so_far)
		*best_so_far = v;
}

/*
 * Every column is measured in each of WALK_ROUNDS rounds, WALK_CALLS calls
 * at a time, and keeps its best: what the shared machine does meanwhile
 * then falls on every column alike, where blocks of calls one after the
 * other gave each column a different moment of the machine's load.  A
 * path's first call of a round sets up what switching paths dropped (the
 * ring): it is made once untimed.
 */
#define WALK_ROUNDS 7
#define WALK_CALLS 3
_Static_assert(WALK_CALLS <= GETPIDS_RUNS, "the runs fit");

static void measure_walks(struct walk_row *w)
{
	reaper_do(w->tree);
	unsigned long later[PATH_COUNT] = { 0 };
	for (int round = 0; round < WALK_ROUNDS; round++) {
		keep_best(&w->raw, time_raw_walk(w->tree, 0, WALK_CALLS));
		keep_best(&w->raw_kill, time_raw_walk(w->tree, SIGCONT, WALK_CALLS));
		for (int p = 0; p < PATH_COUNT; p++) {
			use_path((enum walk_path)p);
			(void)time_getpids(w->tree, 1);
			keep_best(&w->getpids[p], time_getpids(w->tree, WALK_CALLS));
			keep_best(&w->status[p], time_status(w->tree, WALK_CALLS));
			unsigned long before = reaper_kill_later_passes();
			keep_best(&w->kill[p], time_kill_walk(w->tree, WALK_CALLS));
			later[p] += reaper_kill_later_passes() - before;
		}
	}
	use_path(PATH_AUTO);
	for (int p = 0; p < PATH_COUNT; p++)
		w->later[p] = (double)later[p] / (WALK_ROUNDS * WALK_CALLS);
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	(void)procctl(P_PID, (id_t)reaper_pid, PROC_REAP_KILL, &rk);
	reaper_do(0);
}

static void print_walks(const struct walk_row *rows, int n)
{
	printf("\nThe walk per descendant (best us per descendant, and x the raw walk;"
	    " KILL also x the raw walk with kill(2))\n");
	printf("%5s %6s %-10s %7s %8s %8s %6s %8s %6s %8s %6s %6s %6s\n", "tree", "crowd",
	    "path", "raw", "raw+kill", "GETPIDS", "ratio", "STATUS", "ratio", "KILL", "ratio",
	    "x+kill", "passes");
	for (int i = 0; i < n; i++) {
		const struct walk_row *w = &rows[i];
		double raw = w->raw * 1e3 / w->tree, raw_kill = w->raw_kill * 1e3 / w->tree;
		for (int p = 0; p < PATH_COUNT; p++) {
			double g = w->getpids[p] * 1e3 / w->tree, s = w->status[p] * 1e3 / w->tree;
			double k = w->kill[p] * 1e3 / w->tree;
			printf("%5d %6d %-10s %7.2f %8.2f %8.2f %5.2fx %8.2f %5.2fx %8.2f %5.2fx"
			    " %5.2fx %6.2f\n", w->tree, w->crowd, path_names[p], raw, raw_kill,
			    g, g / raw, s, s / raw, k, k / raw, k / raw_kill, 1 + w->later[p]);
		}
	}
}

struct row {
	int tree, crowd;
	double getpids, raw, psutil, pgrep;
	double kill, psutil_kill, pgrep_kill;
};

static double kill_best(int size, int method, bool psutil)
{
	double t[KILL_RUNS];
	int runs = 0;
	for (int i = 0; i < KILL_RUNS; i++) {
		reaper_do(size);
		double v = method == 0 ? time_reap_kill(size) :
		    method == 1 ? (psutil ? time_psutil_kill() : -1) : time_pgrep(true);
		/* Whatever a method missed must not leak into the next run. */
		struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
		(void)procctl(P_PID, (id_t)reaper_pid, PROC_REAP_KILL, &rk);
		reaper_do(0);
		if (v >= 0)
			t[runs++] = v;
	}
	return runs ? best(t, runs) : -1;
}

static void measure(struct row *r, bool psutil)
{
	reaper_do(r->tree);
	r->getpids = time_getpids(r->tree, GETPIDS_RUNS);
	r->raw = time_raw_walk(r->tree, 0, GETPIDS_RUNS);
	r->psutil = psutil ? time_psutil_list(r->tree) : -1;
	r->pgrep = time_pgrep(false);
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	(void)procctl(P_PID, (id_t)reaper_pid, PROC_REAP_KILL, &rk);
	reaper_do(0);
	r->kill = kill_best(r->tree, 0, psutil);
	r->psutil_kill = kill_best(r->tree, 1, psutil);
	r->pgrep_kill = kill_best(r->tree, 2, psutil);
}

static void print_ratio(double other, double ours)
{
	if (other < 0 || ours <= 0)
		printf(" %9s", "-");
	else
		printf(" %8.1fx", other / ours);
}

/* In a fresh child: how far GETPIDS on the tree raises the peak RSS. */
static void print_getpids_peak_rss(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		static struct procctl_reaper_pidinfo info[2048];
		memset(info, 0, sizeof(info));   /* touched before the baseline */
		struct rusage before, after;
		getrusage(RUSAGE_SELF, &before);
		(void)getpids_count(reaper_pid, info, 2048);
		getrusage(RUSAGE_SELF, &after);
		printf("%ld\n", after.ru_maxrss - before.ru_maxrss);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	int crowd_size = 3000;
	bool walk_only = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--walk-only") == 0)
			walk_only = true;
		else
			crowd_size = atoi(argv[i]);
	}
	bool psutil = !walk_only && have_psutil();
	struct walk_row walks[6];
	const int trees[] = { 10, 100, 1000 };
	struct row rows[6];
	int nrows = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("libprocctl reaper benchmark: trees of 10, 100, 1000 descendants; "
	    "crowd of %d unrelated processes%s\n", crowd_size,
	    psutil ? "" : " (python3-psutil not found: its columns are empty)");
	start_reaper();

	for (int with_crowd = 0; with_crowd < 2; with_crowd++) {
		pid_t crowd = with_crowd ? start_crowd(crowd_size) : 0;
		for (size_t i = 0; i < 3; i++) {
			struct walk_row *w = &walks[nrows];
			memset(w, 0, sizeof(*w));
			w->tree = trees[i];
			w->crowd = with_crowd ? crowd_size : 0;
			measure_walks(w);
			struct row *r = &rows[nrows++];
			memset(r, 0, sizeof(*r));
			r->tree = trees[i];
			r->crowd = with_crowd ? crowd_size : 0;
			if (!walk_only)
				measure(r, psutil);
		}
		if (with_crowd && !walk_only) {
			printf("peak RSS of a process doing GETPIDS on 1000 descendants "
			    "(KiB above its start): ");
			fflush(stdout);
			reaper_do(1000);
			print_getpids_peak_rss();
			struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
			(void)procctl(P_PID, (id_t)reaper_pid, PROC_REAP_KILL, &rk);
			reaper_do(0);
		}
		if (with_crowd)
			stop_crowd(crowd);
	}

	static const char *const engine_names[PROCFS_BATCH_ENGINES] = {
		[PROCFS_BATCH_IO_URING] = "io_uring", [PROCFS_BATCH_THREADS] = "threads",
		[PROCFS_BATCH_SYSCALLS] = "syscalls",
	};
	struct procfs_batch probe;
	if (procfs_batch_init(&probe, false) == 0) {
		procfs_batch_force_engine(PROCFS_BATCH_IO_URING);
		struct procfs_batch_item items[2] = { { .pid = getpid() }, { .pid = reaper_pid } };
		procfs_batch_read(&probe, items, 2);
		printf("io_uring here: %s\n", procfs_batch_engine(&probe) == PROCFS_BATCH_IO_URING ?
		    "yes" : "no (missing or refused: its rows are the syscalls engine's)");
		procfs_batch_fini(&probe);
		procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	}
	enum procfs_batch_engine chosen = procfs_batch_chosen_engine();
	printf("engine chosen by measure: %s\n", chosen == PROCFS_BATCH_AUTO ? "none yet" :
	    engine_names[chosen]);
	print_walks(walks, nrows);
	if (walk_only) {
		close(to_reaper);
		waitpid(reaper_pid, NULL, 0);
		return 0;
	}

	printf("\nListing (best ms per call, and how many times slower than GETPIDS)\n");
	printf("%5s %6s %9s %9s %9s %9s %10s %10s %10s\n", "tree", "crowd",
	    "GETPIDS", "raw walk", "psutil", "pgrep", "raw/ours", "psutil/ours", "pgrep/ours");
	for (int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		printf("%5d %6d %9.3f %9.3f %9.3f %9.3f", r->tree, r->crowd,
		    r->getpids, r->raw, r->psutil, r->pgrep);
		print_ratio(r->raw, r->getpids);
		print_ratio(r->psutil, r->getpids);
		print_ratio(r->pgrep, r->getpids);
		putchar('\n');
	}
	printf("\nKilling (best ms, SIGKILL to every descendant)\n");
	printf("%5s %6s %9s %12s %11s %12s %11s\n", "tree", "crowd",
	    "REAP_KILL", "psutil+kill", "pgrep+kill", "psutil/ours", "pgrep/ours");
	for (int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		printf("%5d %6d %9.3f %12.3f %11.3f", r->tree, r->crowd,
		    r->kill, r->psutil_kill, r->pgrep_kill);
		print_ratio(r->psutil_kill, r->kill);
		print_ratio(r->pgrep_kill, r->kill);
		putchar('\n');
	}
	printf("\nEffect of the crowd on GETPIDS (goal: under +20%%)\n");
	for (int i = 0; i < 3; i++)
		printf("  tree %4d: %+.1f%%\n", rows[i].tree,
		    (rows[i + 3].getpids / rows[i].getpids - 1) * 100);

	close(to_reaper);
	waitpid(reaper_pid, NULL, 0);
	return 0;
}
