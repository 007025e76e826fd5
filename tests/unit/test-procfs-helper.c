/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The helper thread that shares a walk's batches: every item is run once,
 * by one of the two threads; the helper never takes a signal; it is gone,
 * as the kernel lists threads, when it has been stopped.
 */
#include "testlib.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs_helper.h"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

enum { MAX_ITEMS = 64, JOBS = 3000 };

struct job {
	atomic_int runs[MAX_ITEMS];
	pid_t by[MAX_ITEMS];
	bool slow;              /* each item costs a system call, as a read does */
};

static void run_item(void *ctx, size_t i)
{
	struct job *j = ctx;
	atomic_fetch_add(&j->runs[i], 1);
	j->by[i] = gettid();
	if (j->slow)
		(void)getppid();
}

static long threads_now(void)
{
	return tl_status_field(getpid(), "Threads");
}

static void skip_unless_helper(struct procfs_helper *h)
{
	if (h == NULL)
		tl_skip("no thread can be started here: %s", strerror(errno));
}

/* Thousands of jobs of every size: each item once, never one left out. */
static void every_item_runs_once(void **state)
{
	(void)state;
	struct procfs_helper *h = procfs_helper_start();
	skip_unless_helper(h);
	static struct job j;
	unsigned int by_helper = 0;
	for (int k = 0; k < JOBS; k++) {
		size_t n = (size_t)(k % MAX_ITEMS) + 1;
		memset(&j, 0, sizeof(j));
		j.slow = k % 3 == 0;
		procfs_helper_share(h, run_item, &j, n);
		for (size_t i = 0; i < MAX_ITEMS; i++)
			assert_int_equal(atomic_load(&j.runs[i]), i < n ? 1 : 0);
		for (size_t i = 0; i < n; i++)
			by_helper += j.by[i] != gettid();
	}
	pid_t tid = procfs_helper_stop(h);
	assert_true(tid > 0 && tid != gettid());
	/* Not asserted: how much the helper took depends on the machine's load. */
	printf("# the helper ran %u of the items\n", by_helper);
}

/* Its thread blocks every signal a thread may block. */
static void record_mask(void *ctx, size_t i)
{
	(void)i;
	char *blocked = ctx;
	if (gettid() == getpid())
		return;
	char line[256];
	FILE *f = fopen("/proc/thread-self/status", "re");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "SigBlk:", 7) == 0)
			snprintf(blocked, 64, "%.40s", line + 7);
	fclose(f);
}

static void the_helper_takes_no_signal(void **state)
{
	(void)state;
	struct procfs_helper *h = procfs_helper_start();
	skip_unless_helper(h);
	char blocked[64] = "";
	/* Until the helper has run an item (it may be slow to wake). */
	for (int k = 0; k < 100000 && blocked[0] == '\0'; k++)
		procfs_helper_share(h, record_mask, blocked, MAX_ITEMS);
	(void)procfs_helper_stop(h);
	if (blocked[0] == '\0')
		tl_skip("the helper never woke before the caller had done every item");
	/* Every bit but glibc's own two (SIGCANCEL and SIGSETXID, 32 and 33). */
	unsigned long long mask = strtoull(blocked, NULL, 16);
	unsigned long long glibc_own = (1ULL << (32 - 1)) | (1ULL << (33 - 1));
	unsigned long long unblockable = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1));
	/* valgrind keeps the last real-time signal to itself, unblocked. */
	if (RUNNING_ON_VALGRIND)
		unblockable |= 1ULL << 63;
	printf("# the helper's SigBlk: %s", blocked);
	assert_int_equal(mask | glibc_own | unblockable, ~0ULL);
}

/* Stopped, it is gone: the caller counts its threads as before. */
static void a_stopped_helper_leaves_no_thread(void **state)
{
	(void)state;
	long before = threads_now();
	for (int k = 0; k < 50; k++) {
		struct procfs_helper *h = procfs_helper_start();
		skip_unless_helper(h);
		static struct job j;
		memset(&j, 0, sizeof(j));
		procfs_helper_share(h, run_item, &j, MAX_ITEMS);
		pid_t tid = procfs_helper_stop(h);
		char path[48];
		snprintf(path, sizeof(path), "/proc/self/task/%d", (int)tid);
		assert_int_equal(access(path, F_OK), -1);
		assert_int_equal(threads_now(), before);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_item_runs_once),
		cmocka_unit_test(the_helper_takes_no_signal),
		cmocka_unit_test(a_stopped_helper_leaves_no_thread),
	};
	return TL_RUN(tests);
}
