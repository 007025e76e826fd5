/* SPDX-License-Identifier: BSD-2-Clause */
#include "testlib.h"

#include <errno.h>

#include <sys/time.h>

#include <stdatomic.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "procfs_batch.h"
#include "procfs_helper.h"
#include "tree.h"

#define MAX_SEEN 64

struct seen {
	size_t n;
	pid_t pid[MAX_SEEN];
	pid_t subtree[MAX_SEEN];
	unsigned int depth[MAX_SEEN];
	pid_t prune;        /* do not descend below this one */
};

static int record(struct tree_node *n, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < MAX_SEEN) {
		s->pid[s->n] = n->ref.pid;
		s->subtree[s->n] = n->subtree;
		s->depth[s->n] = n->depth;
		s->n++;
	}
	return n->ref.pid == s->prune ? TREE_RESULT(TREE_PRUNE) : TREE_RESULT(TREE_DESCEND);
}

static ssize_t find(const struct seen *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->pid[i] == pid)
			return (ssize_t)i;
	return -1;
}

/* How the walks of a test run: each is run every way below. */
static bool unpinned;

static void walk_self(struct seen *s)
{
	struct target self;
	target_self(&self);
	assert_int_equal((unpinned ? tree_walk_unpinned : tree_walk)(&self, record, s), 0);
}

static void check_family(bool full_scan)
{
	tree_force_full_scan(full_scan);
	/* Four siblings: a batch the threads engine shares (procfs_batch.c). */
	enum { KIDS = 4 };
	pid_t kids[KIDS], lone = tl_spawn_pause();
	pid_t head = tl_spawn_family(KIDS, kids);

	struct seen s = { 0 };
	walk_self(&s);
	assert_int_equal(s.n, 2 + KIDS);
	ssize_t h = find(&s, head), l = find(&s, lone);
	assert_true(h >= 0 && l >= 0);
	assert_int_equal(s.depth[h], 1);
	assert_int_equal(s.subtree[h], head);
	assert_int_equal(s.subtree[l], lone);
	for (int i = 0; i < KIDS; i++) {
		ssize_t k = find(&s, kids[i]);
		assert_true(k >= 0);
		assert_int_equal(s.depth[k], 2);
		assert_int_equal(s.subtree[k], head);
		/* Each process before its own descendants. */
		assert_true(h < k);
	}

	struct seen pruned = { .prune = head };
	walk_self(&pruned);
	assert_int_equal(pruned.n, 2);
	assert_true(find(&pruned, kids[0]) < 0);

	tl_end_family(head);
	tl_kill_and_reap(lone);
	tree_force_full_scan(false);
}

static void children_and_grandchildren_are_visited(void **state)
{
	(void)state;
	check_family(false);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	assert_non_null(d);
	int n = 0;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* Every batch engine reads the tree one way, pinned or unpinned. */
static const enum procfs_batch_engine engines[] = {
	PROCFS_BATCH_IO_URING, PROCFS_BATCH_THREADS, PROCFS_BATCH_SYSCALLS, PROCFS_BATCH_AUTO,
};
#define ENGINES (sizeof(engines) / sizeof(engines[0]))

/* The same family, read by every engine, and without directories held. */
static void every_engine_and_hold_finds_the_same(void **state)
{
	(void)state;
	/* And closes every directory it held (with the ring: in a later batch). */
	int fds = open_fds();
	for (size_t way = 0; way < 2 * ENGINES; way++) {
		procfs_batch_force_engine(engines[way % ENGINES]);
		unpinned = way >= ENGINES;
		check_family(false);
		assert_int_equal(open_fds(), fds);
	}
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	unpinned = false;
}

/*
 * A family wider than a batch, whose children file is longer than the
 * batch's buffer for it: every child is visited once, by every engine.
 */
struct count {
	size_t n, at_depth[3];
};

static int count_node(struct tree_node *n, void *ctx)
{
	struct count *c = ctx;
	c->n++;
	if (n->depth < 3)
		c->at_depth[n->depth]++;
	return TREE_RESULT(TREE_DESCEND);
}

static void a_family_wider_than_a_batch_is_walked_whole(void **state)
{
	(void)state;
	enum { WIDE = 300 };
	static pid_t kids[WIDE];
	pid_t head = tl_spawn_family(WIDE, kids);
	struct target self;
	target_self(&self);
	for (size_t way = 0; way < 2 * ENGINES; way++) {
		procfs_batch_force_engine(engines[way % ENGINES]);
		struct count c = { 0 };
		int r = (way >= ENGINES ? tree_walk_unpinned : tree_walk)(&self, count_node, &c);
		assert_int_equal(r, 0);
		assert_int_equal(c.n, 1 + WIDE);
		assert_int_equal(c.at_depth[1], 1);
		assert_int_equal(c.at_depth[2], WIDE);
	}
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	tl_end_family(head);
}

/*
 * The batch read ahead while the caller visits: used when the walk comes
 * to it, dropped when the walk goes elsewhere (a pruned process) or ends
 * first, and never a directory left open or a process lost.
 */
enum { HEADS = 3, FAMILY = 20 };

struct stop_after {
	struct seen seen;
	pid_t stop_at;      /* the walk stops at this one */
};

static int record_or_stop(struct tree_node *n, void *ctx)
{
	struct stop_after *s = ctx;
	/* Slow where it prunes: the batch read ahead meanwhile is read whole. */
	if (n->ref.pid == s->seen.prune)
		usleep(50 * 1000);
	int r = record(n, &s->seen);
	return n->ref.pid == s->stop_at ? TREE_RESULT(TREE_STOP) : r;
}

static void walk_heads(pid_t prune, pid_t stop_at, unsigned long *used, unsigned long *dropped)
{
	unsigned long used0, dropped0;
	procfs_batch_ahead_counts(&used0, &dropped0);
	struct stop_after s = { .seen = { .prune = prune }, .stop_at = stop_at };
	struct target self;
	target_self(&self);
	int r = (unpinned ? tree_walk_unpinned : tree_walk)(&self, record_or_stop, &s);
	assert_int_equal(r, 0);
	procfs_batch_ahead_counts(used, dropped);
	*used -= used0;
	*dropped -= dropped0;
	if (stop_at == 0)
		assert_int_equal(s.seen.n, HEADS + (prune ? HEADS - 1 : HEADS) * FAMILY);
}

static void a_batch_read_ahead_is_used_or_dropped(void **state)
{
	(void)state;
	if (!procfs_helper_worth_it())
		tl_skip("one CPU: no helper thread reads ahead");
	/*
	 * Below a threaded process nothing is read ahead (its children are read
	 * when it is visited): under ThreadSanitizer every process has a thread
	 * of its own, this one and its families alike.
	 */
	if (tl_status_field(getpid(), "Threads") != 1)
		tl_skip("every process here has a thread of its own (a sanitizer's)");
	pid_t heads[HEADS], kids[HEADS][FAMILY];
	for (int h = 0; h < HEADS; h++)
		heads[h] = tl_spawn_family(FAMILY, kids[h]);
	int fds = open_fds();
	procfs_batch_force_engine(PROCFS_BATCH_THREADS);
	for (int way = 0; way < 2; way++) {
		unpinned = way == 1;
		unsigned long used, dropped;
		/* Each family is read ahead while the one before is visited. */
		walk_heads(0, 0, &used, &dropped);
		assert_int_equal(used, HEADS);
		assert_int_equal(dropped, 0);
		/* The first family pruned: its batch (read by then) is dropped, the others used. */
		walk_heads(heads[0], 0, &used, &dropped);
		assert_int_equal(used, HEADS - 2);
		assert_int_equal(dropped, 1);
		/* Stopped within the first family: the second one's batch dropped. */
		walk_heads(0, kids[0][0], &used, &dropped);
		assert_int_equal(used, 1);
		assert_int_equal(dropped, 1);
		assert_int_equal(open_fds(), fds);
	}
	unpinned = false;
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	for (int h = 0; h < HEADS; h++)
		tl_end_family(heads[h]);
}

/* A descendant with two threads: its second thread's child is found too. */
static void *fork_pauser(void *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	__atomic_store_n((pid_t *)arg, pid, __ATOMIC_SEQ_CST);
	return NULL;
}

static void *pause_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void a_grandchild_of_a_secondary_thread_is_found(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t child = tl_fork();
	if (child == 0) {
		pid_t grandchild = 0;
		pthread_t th;
		if (pthread_create(&th, NULL, fork_pauser, &grandchild) != 0 ||
		    pthread_join(th, NULL) != 0 || grandchild <= 0)
			_exit(90);
		/* A second thread that stays, so the walk must list every thread. */
		if (pthread_create(&th, NULL, pause_thread, NULL) != 0)
			_exit(91);
		if (write(p[1], &grandchild, sizeof(grandchild)) != sizeof(grandchild))
			_exit(92);
		pause();
		_exit(0);
	}
	pid_t grandchild = 0;
	assert_int_equal(read(p[0], &grandchild, sizeof(grandchild)), sizeof(grandchild));
	close(p[0]);
	close(p[1]);
	for (size_t way = 0; way < 2 * ENGINES; way++) {
		procfs_batch_force_engine(engines[way % ENGINES]);
		unpinned = way >= ENGINES;
		struct seen s = { 0 };
		walk_self(&s);
		ssize_t g = find(&s, grandchild);
		assert_true(g >= 0);
		assert_int_equal(s.depth[g], 2);
		assert_int_equal(s.subtree[g], child);
	}
	procfs_batch_force_syscalls(false);
	unpinned = false;
	/*
	 * Dead before its parent: a zombie handed to init, which is this test
	 * in a pid namespace of its own, and is reaped here then.
	 */
	kill(grandchild, SIGKILL);
	assert_true(tl_wait_state(grandchild, "Z", 5000));
	tl_kill_and_reap(child);
	tl_reap_orphans();
}

/*
 * A later look below known processes (REAP_KILL's later passes): a thread
 * started after the first walk, and the child it forks, are found from the
 * children files alone; what is found is visited below its parent, and not
 * at all when the parent is not the process of that start time.
 */
static int record_start(struct tree_node *n, void *ctx)
{
	uint64_t *start = ctx;
	*start = n->ref.starttime;
	return TREE_RESULT(TREE_DESCEND);
}

static void a_later_look_finds_what_a_new_thread_forked(void **state)
{
	(void)state;
	int up[2], down[2];
	assert_int_equal(pipe(up), 0);
	assert_int_equal(pipe(down), 0);
	pid_t child = tl_fork();
	if (child == 0) {
		char c;
		if (read(down[0], &c, 1) != 1)
			_exit(90);
		pid_t grandchild = 0;
		pthread_t th;
		/* The thread that forks stays: the child is listed under it only. */
		if (pthread_create(&th, NULL, fork_pauser, &grandchild) != 0)
			_exit(91);
		for (int i = 0; i < 100000 && __atomic_load_n(&grandchild, __ATOMIC_SEQ_CST) == 0; i++)
			usleep(100);
		if (grandchild <= 0 || write(up[1], &grandchild, sizeof(grandchild)) !=
		    sizeof(grandchild))
			_exit(92);
		pause();
		_exit(0);
	}
	/* First walk: one process, one thread, no children. */
	struct target self;
	target_self(&self);
	uint64_t start = 0;
	assert_int_equal(tree_walk_unpinned(&self, record_start, &start), 0);
	assert_true(start != 0);

	assert_int_equal(write(down[1], "x", 1), 1);
	pid_t grandchild = 0;
	assert_int_equal(read(up[0], &grandchild, sizeof(grandchild)), sizeof(grandchild));

	for (int way = 0; way < 3; way++) {
		procfs_batch_force_syscalls(way == 1);
		struct tree_again nodes[2] = {
			{ .ref = self.ref, .self = true, .depth = 0, .children = PID_LIST_INIT },
			{ .ref = { .pid = child, .fd = -1, .starttime = start }, .subtree = child,
			    .depth = 1, .children = PID_LIST_INIT },
		};
		/* way 2: the child as another process of that pid would be. */
		if (way == 2)
			nodes[1].ref.starttime = start + 1;
		assert_int_equal(tree_children_now(nodes, 2), 0);
		assert_int_equal(nodes[0].children.len, 1);
		assert_int_equal(nodes[0].children.items[0], child);
		assert_int_equal(nodes[1].children.len, 1);
		assert_int_equal(nodes[1].children.items[0], grandchild);
		/* The root's is known already: only the new one is looked at. */
		nodes[0].children.len = 0;
		struct seen s = { 0 };
		assert_int_equal(tree_walk_below(nodes, 2, record, &s), 0);
		if (way == 2) {
			assert_int_equal(s.n, 0);
		} else {
			assert_int_equal(s.n, 1);
			assert_int_equal(s.pid[0], grandchild);
			assert_int_equal(s.depth[0], 2);
			assert_int_equal(s.subtree[0], child);
		}
		pid_list_free(&nodes[0].children);
		pid_list_free(&nodes[1].children);
	}
	procfs_batch_force_syscalls(false);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	kill(grandchild, SIGKILL);
	assert_true(tl_wait_state(grandchild, "Z", 5000));
	tl_kill_and_reap(child);
	tl_reap_orphans();
}

/*
 * The first pass of REAP_KILL may stand alone only if it met no sign of the
 * tree changing: a still family shows none, a zombie among it does (its
 * children went to a reaper), and the full-scan fallback always does.
 */
static int count_nodes(struct tree_node *n, void *ctx)
{
	(void)n;
	(*(int *)ctx)++;
	return TREE_RESULT(TREE_DESCEND);
}

static void a_walk_tells_whether_the_tree_moved(void **state)
{
	(void)state;
	pid_t kids[2];
	pid_t head = tl_spawn_family(2, kids);
	struct target self;
	target_self(&self);
	for (size_t way = 0; way < ENGINES; way++) {
		procfs_batch_force_engine(engines[way]);
		bool moved = true;
		int seen = 0;
		assert_int_equal(tree_walk_watching(&self, count_nodes, &seen, &moved, NULL), 0);
		assert_int_equal(seen, 3);
		assert_false(moved);
	}
	procfs_batch_force_syscalls(false);

	pid_t zombie = tl_fork();
	if (zombie == 0)
		_exit(0);
	assert_true(tl_wait_state(zombie, "Z", 5000));
	bool moved = false;
	int seen = 0;
	assert_int_equal(tree_walk_watching(&self, count_nodes, &seen, &moved, NULL), 0);
	assert_int_equal(seen, 4);
	assert_true(moved);
	assert_int_equal(waitpid(zombie, NULL, 0), zombie);

	tree_force_full_scan(true);
	moved = false;
	seen = 0;
	assert_int_equal(tree_walk_watching(&self, count_nodes, &seen, &moved, NULL), 0);
	assert_int_equal(seen, 3);
	assert_true(moved);
	tree_force_full_scan(false);
	tl_end_family(head);
}

static void the_full_scan_fallback_finds_the_same(void **state)
{
	(void)state;
	check_family(true);
}

static void *fork_from_thread(void *arg)
{
	*(pid_t *)arg = tl_spawn_pause();
	return NULL;
}

static void a_child_of_a_secondary_thread_is_found(void **state)
{
	(void)state;
	pid_t pid = 0;
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, fork_from_thread, &pid), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_true(pid > 0);

	struct seen s = { 0 };
	walk_self(&s);
	assert_true(find(&s, pid) >= 0);
	tl_kill_and_reap(pid);
}

static int stop_at_first(struct tree_node *n, void *ctx)
{
	(void)n;
	++*(int *)ctx;
	return TREE_RESULT(TREE_STOP);
}

static void a_stopped_walk_returns_zero(void **state)
{
	(void)state;
	pid_t a = tl_spawn_pause(), b = tl_spawn_pause();
	struct target self;
	target_self(&self);
	int visits = 0;
	assert_int_equal(tree_walk(&self, stop_at_first, &visits), 0);
	assert_int_equal(visits, 1);
	tl_kill_and_reap(a);
	tl_kill_and_reap(b);
}

/*
 * Found by tests/fuzz: a children file's numbers were summed into a long
 * however many digits they had (signed overflow, undefined) and cut to
 * pid_t, so garbage became a negative pid, or 0, which procfs reads as
 * "self".  The kernel writes only real pids; anything else is no child.
 */
static void a_children_file_yields_only_real_pids(void **state)
{
	(void)state;
	char path[] = "/tmp/lpc-children-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "12 99999999999999999999999 0 34 2147483648 "
	    "4294967306 2147483647\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);

	struct pid_list kids = PID_LIST_INIT;
	int r = tree_read_children_file(AT_FDCWD, path, &kids);
	unlink(path);
	assert_int_equal(r, 0);
	assert_int_equal(kids.len, 3);
	assert_int_equal(kids.items[0], 12);
	assert_int_equal(kids.items[1], 34);
	assert_int_equal(kids.items[2], 2147483647);
	pid_list_free(&kids);

	/* The batched reader parses the text it read whole: the same rule. */
	assert_int_equal(tree_parse_children(text, &kids), 0);
	assert_int_equal(kids.len, 3);
	assert_int_equal(kids.items[0], 12);
	assert_int_equal(kids.items[1], 34);
	assert_int_equal(kids.items[2], 2147483647);
	pid_list_free(&kids);
}

/*
 * The threads engine attacked: walks from four threads at once (each with
 * its own helper), a process-directed signal every 200 us, and a fifth
 * thread forking and reaping meanwhile.  Every walk sees exactly the
 * family; the signal is handled only by threads the test made, never by a
 * helper; no helper is left when it is over.  Under valgrind, which runs
 * one thread at a time, a hand-over to a helper thread costs a time slice
 * (a walk there took 0.6 s on a 2-vCPU Firecracker machine, and the full
 * attack six minutes beside other tests): a tenth of the walks and forks
 * and of the signals.
 */
enum { STRESS_KIDS = 12, STRESS_WALKERS = 4, STRESS_WALKS = 40, STRESS_FORKS = 150 };

static int stress_walks(void)
{
	return RUNNING_ON_VALGRIND ? STRESS_WALKS / 10 : STRESS_WALKS;
}

static int stress_forks(void)
{
	return RUNNING_ON_VALGRIND ? STRESS_FORKS / 10 : STRESS_FORKS;
}

static _Atomic pid_t stress_threads[STRESS_WALKERS + 2];
static atomic_int stress_foreign;   /* signals handled by a thread not ours */

static void stress_on_alarm(int sig)
{
	(void)sig;
	pid_t me = gettid();
	for (size_t i = 0; i < STRESS_WALKERS + 2; i++)
		if (atomic_load(&stress_threads[i]) == me)
			return;
	atomic_fetch_add(&stress_foreign, 1);
}

/* Born with SIGALRM blocked (see below): take it once known. */
static void stress_thread_known(size_t slot)
{
	atomic_store(&stress_threads[slot], gettid());
	sigset_t alarm;
	sigemptyset(&alarm);
	sigaddset(&alarm, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &alarm, NULL);
}

struct stress_walker {
	size_t slot;
	const struct target *head;
	int bad;
};

static void *stress_walk(void *arg)
{
	struct stress_walker *w = arg;
	stress_thread_known(w->slot);
	for (int k = 0; k < stress_walks(); k++) {
		struct seen s = { 0 };
		int r = tree_walk(w->head, record, &s);
		if (r != 0 || s.n != STRESS_KIDS)
			w->bad++;
	}
	return NULL;
}

static void *stress_fork(void *arg)
{
	(void)arg;
	stress_thread_known(STRESS_WALKERS);
	for (int k = 0; k < stress_forks(); k++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
	}
	return NULL;
}

static void the_threads_engine_holds_under_attack(void **state)
{
	(void)state;
	pid_t kids[STRESS_KIDS];
	pid_t head = tl_spawn_family(STRESS_KIDS, kids);
	struct target t;
	assert_int_equal(target_open(&t, head, ACCESS_SEE), 0);
	/* A thread an earlier test joined may still be listed for a moment. */
	long threads_before;
	for (int i = 0; i < 10000 && (threads_before = tl_status_field(getpid(), "Threads")) > 1; i++)
		usleep(100);
	procfs_batch_force_engine(PROCFS_BATCH_THREADS);

	atomic_store(&stress_threads[STRESS_WALKERS + 1], gettid());
	struct sigaction sa = { .sa_handler = stress_on_alarm, .sa_flags = SA_RESTART };
	struct sigaction old;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	suseconds_t period_us = RUNNING_ON_VALGRIND ? 2000 : 200;
	struct itimerval every = { { 0, period_us }, { 0, period_us } }, off = { { 0, 0 }, { 0, 0 } };
	assert_int_equal(setitimer(ITIMER_REAL, &every, NULL), 0);

	/* The test's threads are born with it blocked, until they are known. */
	sigset_t alarm, mask;
	sigemptyset(&alarm);
	sigaddset(&alarm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alarm, &mask);
	pthread_t walkers[STRESS_WALKERS], forker;
	struct stress_walker w[STRESS_WALKERS];
	for (size_t i = 0; i < STRESS_WALKERS; i++) {
		w[i] = (struct stress_walker){ .slot = i, .head = &t };
		assert_int_equal(pthread_create(&walkers[i], NULL, stress_walk, &w[i]), 0);
	}
	assert_int_equal(pthread_create(&forker, NULL, stress_fork, NULL), 0);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	for (size_t i = 0; i < STRESS_WALKERS; i++)
		assert_int_equal(pthread_join(walkers[i], NULL), 0);
	assert_int_equal(pthread_join(forker, NULL), 0);

	assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
	/* One may still be pending: ignoring it discards it, then the old action. */
	struct sigaction ignore = { .sa_handler = SIG_IGN };
	sigemptyset(&ignore.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &ignore, NULL), 0);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	procfs_batch_force_engine(PROCFS_BATCH_AUTO);
	for (size_t i = 0; i < STRESS_WALKERS; i++)
		assert_int_equal(w[i].bad, 0);
	assert_int_equal(atomic_load(&stress_foreign), 0);
	/* Joined: the walkers may take a moment to go; no helper stays. */
	for (int i = 0; i < 10000 && tl_status_field(getpid(), "Threads") != threads_before; i++)
		usleep(100);
	assert_int_equal(tl_status_field(getpid(), "Threads"), threads_before);
	target_close(&t);
	tl_end_family(head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(children_and_grandchildren_are_visited),
		cmocka_unit_test(every_engine_and_hold_finds_the_same),
		cmocka_unit_test(a_family_wider_than_a_batch_is_walked_whole),
		cmocka_unit_test(a_batch_read_ahead_is_used_or_dropped),
		cmocka_unit_test(the_threads_engine_holds_under_attack),
		cmocka_unit_test(a_grandchild_of_a_secondary_thread_is_found),
		cmocka_unit_test(the_full_scan_fallback_finds_the_same),
		cmocka_unit_test(a_child_of_a_secondary_thread_is_found),
		cmocka_unit_test(a_later_look_finds_what_a_new_thread_forked),
		cmocka_unit_test(a_walk_tells_whether_the_tree_moved),
		cmocka_unit_test(a_stopped_walk_returns_zero),
		cmocka_unit_test(a_children_file_yields_only_real_pids),
	};
	return TL_RUN(tests);
}
