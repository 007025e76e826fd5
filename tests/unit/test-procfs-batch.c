/* SPDX-License-Identifier: BSD-2-Clause */
/* The batched /proc reader: both engines read what /proc shows, item by item. */
#include "testlib.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procfs_batch.h"

static bool lists(const char *children, pid_t pid)
{
	char want[16];
	snprintf(want, sizeof(want), "%d", (int)pid);
	for (const char *p = children; (p = strstr(p, want)) != NULL; p++) {
		bool starts = p == children || p[-1] == ' ';
		char end = p[strlen(want)];
		if (starts && (end == ' ' || end == '\0'))
			return true;
	}
	return false;
}

struct family {
	pid_t parent, kids[TL_FAMILY_MAX], zombie;
	int n;
};

/* A family, and the caller's zombie child, read in one batch by engine. */
static void read_family(enum procfs_batch_engine engine, bool dirs)
{
	bool syscalls = engine != PROCFS_BATCH_IO_URING && engine != PROCFS_BATCH_AUTO;
	struct family f = { .n = 3 };
	f.parent = tl_spawn_family(f.n, f.kids);
	f.zombie = fork();
	CHECK(f.zombie >= 0);
	if (f.zombie == 0)
		_exit(0);
	CHECK(tl_wait_state(f.zombie, "Z", 5000));
	pid_t unused = tl_unused_pid();

	procfs_batch_force_engine(engine);
	struct procfs_batch b;
	CHECK_EQ(procfs_batch_init(&b, dirs), 0);
	struct procfs_batch_item it[4 + TL_FAMILY_MAX];
	size_t n = 0;
	it[n++].pid = getpid();
	it[n++].pid = f.parent;
	it[n++].pid = f.zombie;
	it[n++].pid = unused;
	for (int i = 0; i < f.n; i++)
		it[n++].pid = f.kids[i];
	procfs_batch_read(&b, it, n);
	if (syscalls)
		CHECK_EQ(procfs_batch_engine(&b), engine);

	CHECK_EQ(it[0].result, 0);
	CHECK(lists(it[0].children, f.parent) && lists(it[0].children, f.zombie));
	CHECK_EQ(it[1].result, 0);
	CHECK_EQ(it[1].stat.ppid, getpid());
	for (int i = 0; i < f.n; i++) {
		CHECK(lists(it[1].children, f.kids[i]));
		CHECK_EQ(it[4 + i].result, 0);
		CHECK_EQ(it[4 + i].stat.ppid, f.parent);
		CHECK_EQ(it[4 + i].children[0], '\0');
		struct proc_stat st;
		CHECK_EQ(procfs_read_stat(f.kids[i], &st), 0);
		CHECK_EQ(st.starttime, it[4 + i].stat.starttime);
	}
	CHECK_EQ(it[2].result, 0);
	CHECK(proc_stat_is_zombie(&it[2].stat));
	CHECK_EQ(it[3].result, -ESRCH);
	CHECK_EQ(it[3].dirfd, -1);

	for (size_t i = 0; i < n; i++) {
		CHECK(!it[i].children_truncated);
		if (!dirs || it[i].result < 0) {
			CHECK_EQ(it[i].dirfd, -1);
			continue;
		}
		/* The directory held is the process's own. */
		struct proc_stat st;
		CHECK_EQ(procfs_read_stat_at(it[i].dirfd, &st), 0);
		CHECK_EQ(st.pid, it[i].pid);
		CHECK_EQ(st.starttime, it[i].stat.starttime);
		close(it[i].dirfd);
	}

	/* Children only (a later look): the same lists, and the thread counts. */
	for (size_t i = 0; i < n; i++)
		it[i].stat.num_threads = -1;
	/*
	 * The caller's own count moves while the ring reads: its io-wq
	 * workers are threads of the caller, started and ended by the kernel.
	 */
	long threads_before = tl_status_field(getpid(), "Threads");
	procfs_batch_read_children(&b, it, n);
	long threads_after = tl_status_field(getpid(), "Threads");
	if (syscalls)
		CHECK_EQ(procfs_batch_engine(&b), engine);
	CHECK_EQ(it[0].result, 0);
	CHECK(lists(it[0].children, f.parent) && lists(it[0].children, f.zombie));
	if (engine == PROCFS_BATCH_SYSCALLS || threads_before == threads_after)
		CHECK_EQ(it[0].stat.num_threads, threads_after);
	else
		CHECK(it[0].stat.num_threads >= 1 && it[0].stat.num_threads >= threads_before - 1 &&
		    it[0].stat.num_threads <= threads_after + 1);
	CHECK_EQ(it[1].result, 0);
	CHECK_EQ(it[1].stat.num_threads, 1);
	for (int i = 0; i < f.n; i++) {
		CHECK(lists(it[1].children, f.kids[i]));
		CHECK_EQ(it[4 + i].result, 0);
		CHECK_EQ(it[4 + i].children[0], '\0');
		CHECK_EQ(it[4 + i].stat.num_threads, 1);
	}
	CHECK_EQ(it[3].result, -ESRCH);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(it[i].dirfd, -1);

	procfs_batch_fini(&b);
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	tl_end_family(f.parent);
	CHECK_EQ(waitpid(f.zombie, NULL, 0), f.zombie);
}

static void batch_with(void *arg)
{
	enum procfs_batch_engine engine = *(enum procfs_batch_engine *)arg;
	read_family(engine, false);
	read_family(engine, true);
}

static void the_syscalls_engine_reads_every_item(void **state)
{
	(void)state;
	enum procfs_batch_engine e = PROCFS_BATCH_SYSCALLS;
	run_in_child(batch_with, &e);
}

/* Whether engine e, forced, reads a small batch here (or gives way to system calls). */
static bool engine_runs_here(enum procfs_batch_engine e)
{
	struct procfs_batch b;
	procfs_batch_force_engine(e);
	assert_int_equal(procfs_batch_init(&b, false), 0);
	struct procfs_batch_item it[4];
	for (int i = 0; i < 4; i++)
		it[i].pid = i % 2 ? getppid() : getpid();
	procfs_batch_read(&b, it, 4);
	bool runs = procfs_batch_engine(&b) == e;
	procfs_batch_fini(&b);
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	return runs;
}

/*
 * In a child of its own, where no kept ring's io-wq workers are counted:
 * the helper is gone when the reads are done.
 */
static void threads_leave_no_thread(void *arg)
{
	(void)arg;
	long before = tl_status_field(getpid(), "Threads");
	enum procfs_batch_engine e = PROCFS_BATCH_THREADS;
	batch_with(&e);
	CHECK_EQ(tl_status_field(getpid(), "Threads"), before);
}

/* Shared with a helper thread: the same, and no thread left behind. */
static void the_threads_engine_reads_what_the_syscalls_read(void **state)
{
	(void)state;
	if (!engine_runs_here(PROCFS_BATCH_THREADS))
		tl_skip("no helper thread can run here (one CPU, or no thread can start)");
	run_in_child(threads_leave_no_thread, NULL);
}

/*
 * The measure: each engine that runs here reads its turns, then one is
 * kept; every batch, measured or not, reads what the syscalls engine reads.
 */
static void measure_and_compare(void *arg)
{
	(void)arg;
	bool runs[PROCFS_BATCH_ENGINES];
	for (int e = 0; e < PROCFS_BATCH_ENGINES; e++)
		runs[e] = engine_runs_here((enum procfs_batch_engine)e);
	/* More than a tried engine reads of a batch: the rest goes to another. */
	enum { N = 100 };
	static pid_t kids[N];
	pid_t parent = tl_spawn_family(N, kids);
	static struct procfs_batch_item want[N], got[N];
	for (int i = 0; i < N; i++)
		want[i].pid = got[i].pid = kids[i];
	struct procfs_batch b;
	procfs_batch_force_engine(PROCFS_BATCH_SYSCALLS);
	CHECK_EQ(procfs_batch_init(&b, false), 0);
	procfs_batch_read(&b, want, N);
	procfs_batch_fini(&b);
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	CHECK_EQ(procfs_batch_chosen_engine(), PROCFS_BATCH_AUTO);
	for (int k = 0; k < 3 * PROCFS_BATCH_ENGINES + 2; k++) {
		CHECK_EQ(procfs_batch_init(&b, false), 0);
		procfs_batch_read(&b, got, N);
		for (int i = 0; i < N; i++) {
			CHECK_EQ(got[i].result, 0);
			CHECK_EQ(got[i].stat.pid, want[i].stat.pid);
			CHECK_EQ(got[i].stat.ppid, want[i].stat.ppid);
			CHECK_EQ(got[i].stat.starttime, want[i].stat.starttime);
		}
		procfs_batch_fini(&b);
	}
	enum procfs_batch_engine chosen = procfs_batch_chosen_engine();
	CHECK(chosen >= 0 && chosen < PROCFS_BATCH_ENGINES);
	/*
	 * It read batches of its own.  (Which engine read a batch last says
	 * nothing now: a batch may end with a part too small to be measured.)
	 */
	CHECK(procfs_batch_samples(chosen) >= 4);
	/* Every engine that runs here was tried (the syscalls engine always runs). */
	CHECK(runs[PROCFS_BATCH_SYSCALLS]);
	for (int e = 0; e < PROCFS_BATCH_ENGINES; e++)
		CHECK(!runs[e] || procfs_batch_samples((enum procfs_batch_engine)e) >= 4);
	tl_end_family(parent);
	read_family(PROCFS_BATCH_AUTO, true);
}

static void the_engine_chosen_by_measure_reads_alike(void **state)
{
	(void)state;
	run_in_child(measure_and_compare, NULL);
}

static void the_ring_reads_what_the_syscalls_read(void **state)
{
	(void)state;
	if (!engine_runs_here(PROCFS_BATCH_IO_URING))
		tl_skip("io_uring is missing or refused here: the syscalls engine stands in");
	enum procfs_batch_engine e = PROCFS_BATCH_IO_URING;
	run_in_child(batch_with, &e);
}

/* A children file that fits its buffer is read whole, in one piece. */
static void many_children(void *arg)
{
	bool syscalls = *(bool *)arg;
	enum { N = 12 };
	pid_t kids[N], me = getpid();
	for (int i = 0; i < N; i++) {
		kids[i] = fork();
		CHECK(kids[i] >= 0);
		if (kids[i] == 0) {
			/* Gone with this child if a check fails before the end. */
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			if (getppid() == me)
				pause();
			_exit(0);
		}
	}
	procfs_batch_force_syscalls(syscalls);
	struct procfs_batch b;
	CHECK_EQ(procfs_batch_init(&b, false), 0);
	struct procfs_batch_item it[2] = { { .pid = getpid() }, { .pid = kids[0] } };
	procfs_batch_read(&b, it, 2);
	CHECK_EQ(it[0].result, 0);
	/* Twelve pids fit: the file is whole, and lists them all. */
	CHECK(!it[0].children_truncated);
	for (int i = 0; i < N; i++)
		CHECK(lists(it[0].children, kids[i]));
	procfs_batch_fini(&b);
	procfs_batch_force_syscalls(false);
	for (int i = 0; i < N; i++)
		tl_kill_and_reap(kids[i]);
}

static void a_whole_children_file_is_read_in_one_piece(void **state)
{
	(void)state;
	bool syscalls = true;
	run_in_child(many_children, &syscalls);
	syscalls = false;
	run_in_child(many_children, &syscalls);
}

/*
 * A full batch, wider than a chunk of the ring, and a children file longer
 * than its buffer.  Enough children that even three-digit pids (a new pid
 * namespace) overflow it: the start is kept, and flagged truncated.
 */
enum { WIDE = 300 };

static void check_wide_batch(enum procfs_batch_engine engine, bool dirs, pid_t parent,
    const pid_t *kids)
{
	bool runs = engine != PROCFS_BATCH_AUTO && engine_runs_here(engine);
	procfs_batch_force_engine(engine);
	struct procfs_batch b;
	CHECK_EQ(procfs_batch_init(&b, dirs), 0);
	/* The parent last: read by the last chunk, it must be reported as its own. */
	enum { LAST = PROCFS_BATCH_MAX - 1 };
	static struct procfs_batch_item it[PROCFS_BATCH_MAX];
	for (size_t i = 0; i < LAST; i++)
		it[i].pid = kids[i];
	it[LAST].pid = parent;
	procfs_batch_read(&b, it, PROCFS_BATCH_MAX);
	if (runs)
		CHECK_EQ(procfs_batch_engine(&b), engine);

	CHECK_EQ(it[LAST].result, 0);
	CHECK(it[LAST].children_truncated);
	CHECK(strlen(it[LAST].children) < PROCFS_BATCH_CHILDREN_MAX);
	/* What it holds is the start of the list. */
	int listed = 0;
	for (const char *p = it[LAST].children; *p != '\0';) {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		/* The last number may be cut short. */
		if (*end == ' ') {
			bool known = false;
			for (int k = 0; k < WIDE && !known; k++)
				known = kids[k] == pid;
			CHECK(known);
			listed++;
		}
		p = *end == ' ' ? end + 1 : end;
	}
	CHECK(listed > 100 && listed < WIDE);
	for (size_t i = 0; i < PROCFS_BATCH_MAX; i++) {
		CHECK_EQ(it[i].result, 0);
		CHECK_EQ(it[i].stat.pid, it[i].pid);
		if (i < LAST) {
			/* Each item's own files, wherever in the batch it was read. */
			CHECK_EQ(it[i].stat.ppid, parent);
			CHECK_EQ(it[i].children[0], '\0');
			CHECK(!it[i].children_truncated);
		}
		if (dirs) {
			struct proc_stat st;
			CHECK_EQ(procfs_read_stat_at(it[i].dirfd, &st), 0);
			CHECK_EQ(st.pid, it[i].pid);
			close(it[i].dirfd);
		} else {
			CHECK_EQ(it[i].dirfd, -1);
		}
	}

	/* Children only: the same, by the children-only reads. */
	procfs_batch_read_children(&b, it, PROCFS_BATCH_MAX);
	CHECK_EQ(it[LAST].result, 0);
	CHECK(it[LAST].children_truncated);
	CHECK(strlen(it[LAST].children) > 100);
	for (size_t i = 0; i < LAST; i++) {
		CHECK_EQ(it[i].result, 0);
		CHECK_EQ(it[i].children[0], '\0');
		CHECK_EQ(it[i].stat.num_threads, 1);
	}
	procfs_batch_fini(&b);
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
}

static void wide_family(void *arg)
{
	(void)arg;
	static pid_t kids[WIDE];
	pid_t parent = tl_spawn_family(WIDE, kids);
	static const enum procfs_batch_engine engines[] = {
		PROCFS_BATCH_IO_URING, PROCFS_BATCH_THREADS, PROCFS_BATCH_SYSCALLS, PROCFS_BATCH_AUTO,
	};
	for (size_t e = 0; e < sizeof(engines) / sizeof(engines[0]); e++) {
		check_wide_batch(engines[e], false, parent, kids);
		check_wide_batch(engines[e], true, parent, kids);
	}
	tl_end_family(parent);
}

static void a_full_batch_and_a_long_children_file_are_read_right(void **state)
{
	(void)state;
	run_in_child(wide_family, NULL);
}

/*
 * A batch read ahead by the helper while the caller goes on: waited for,
 * it holds what a plain read would; dropped, it leaves no directory open.
 */
static int count_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	int n = 0;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void ahead_family(void *arg)
{
	(void)arg;
	enum { N = 40 };
	static pid_t kids[N];
	pid_t parent = tl_spawn_family(N, kids);
	static struct procfs_batch_item it[N];
	int fds = count_open_fds();
	procfs_batch_force_engine(PROCFS_BATCH_THREADS);
	for (int dirs = 0; dirs < 2; dirs++) {
		struct procfs_batch b;
		CHECK_EQ(procfs_batch_init(&b, dirs), 0);
		for (int i = 0; i < N; i++)
			it[i].pid = kids[i];
		CHECK(procfs_batch_read_ahead(&b, it, N));
		CHECK_EQ(procfs_batch_pending(&b), N);
		usleep(1000);   /* the caller's own work meanwhile */
		procfs_batch_wait(&b);
		CHECK_EQ(procfs_batch_pending(&b), 0);
		for (int i = 0; i < N; i++) {
			CHECK_EQ(it[i].result, 0);
			CHECK_EQ(it[i].stat.pid, kids[i]);
			CHECK_EQ(it[i].stat.ppid, parent);
			CHECK_EQ(it[i].children[0], '\0');
			CHECK_EQ(it[i].dirfd >= 0, dirs);
			if (it[i].dirfd >= 0)
				close(it[i].dirfd);
		}
		/* Dropped at once, and dropped once read: nothing is left open. */
		CHECK(procfs_batch_read_ahead(&b, it, N));
		procfs_batch_drop(&b);
		CHECK(procfs_batch_read_ahead(&b, it, N));
		usleep(20 * 1000);
		procfs_batch_drop(&b);
		/* A read started meanwhile drops it first. */
		CHECK(procfs_batch_read_ahead(&b, it, N));
		static struct procfs_batch_item other[2];
		other[0].pid = getpid();
		other[1].pid = parent;
		procfs_batch_read(&b, other, 2);
		CHECK_EQ(procfs_batch_pending(&b), 0);
		CHECK_EQ(other[1].stat.pid, parent);
		if (other[0].dirfd >= 0)
			close(other[0].dirfd);
		if (other[1].dirfd >= 0)
			close(other[1].dirfd);
		/* And the end of the batch drops what is left. */
		CHECK(procfs_batch_read_ahead(&b, it, N));
		procfs_batch_fini(&b);
		CHECK_EQ(count_open_fds(), fds);
	}
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	tl_end_family(parent);
}

static void a_batch_read_ahead_reads_alike_and_drops_cleanly(void **state)
{
	(void)state;
	if (!engine_runs_here(PROCFS_BATCH_THREADS))
		tl_skip("no helper thread can run here (one CPU, or no thread can start)");
	run_in_child(ahead_family, NULL);
}

/* The ring a thread keeps between calls is its own: a fork child makes its own. */
static void read_one(const char *who)
{
	struct procfs_batch b;
	CHECK_EQ(procfs_batch_init(&b, false), 0);
	struct procfs_batch_item it[2] = { { .pid = getpid() }, { .pid = getppid() } };
	procfs_batch_read(&b, it, 2);
	if (it[0].result != 0 || it[0].stat.pid != getpid() || it[1].result != 0)
		child_fail(__FILE__, __LINE__, "%s: the batch read wrong", who);
	procfs_batch_fini(&b);
}

static void *read_in_thread(void *arg)
{
	(void)arg;
	read_one("thread");
	read_one("thread again");
	return NULL;
}

static void kept_across_fork(void *arg)
{
	(void)arg;
	/* The ring is what is kept: read with it (where it runs) however small. */
	procfs_batch_force_engine(PROCFS_BATCH_IO_URING);
	read_one("parent");
	for (int i = 0; i < 3; i++) {
		pid_t child = fork();
		CHECK(child >= 0);
		if (child == 0) {
			read_one("child");
			read_one("child again");
			_exit(0);
		}
		int status;
		CHECK_EQ(waitpid(child, &status, 0), child);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		read_one("parent after fork");
	}
	pthread_t t;
	CHECK_EQ(pthread_create(&t, NULL, read_in_thread, NULL), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	read_one("parent after thread");
}

static void a_kept_ring_serves_its_thread_only(void **state)
{
	(void)state;
	run_in_child(kept_across_fork, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_syscalls_engine_reads_every_item),
		cmocka_unit_test(the_ring_reads_what_the_syscalls_read),
		cmocka_unit_test(the_threads_engine_reads_what_the_syscalls_read),
		cmocka_unit_test(the_engine_chosen_by_measure_reads_alike),
		cmocka_unit_test(a_whole_children_file_is_read_in_one_piece),
		cmocka_unit_test(a_full_batch_and_a_long_children_file_are_read_right),
		cmocka_unit_test(a_batch_read_ahead_reads_alike_and_drops_cleanly),
		cmocka_unit_test(a_kept_ring_serves_its_thread_only),
	};
	return TL_RUN(tests);
}
