/* SPDX-License-Identifier: BSD-2-Clause */
/* The reaper's memory of branches (src/reaper_branch.c). */
#include "testlib.h"

#include <sys/wait.h>
#include <unistd.h>

#include "reaper_branch.h"

static void learn(pid_t pid, uint64_t start, pid_t branch)
{
	struct branch_walk w;
	reaper_branch_begin(&w, true);
	reaper_branch_note(&w, pid, start, branch);
	reaper_branch_end(&w, true);
}

static bool recall(pid_t pid, uint64_t start, pid_t *branch)
{
	struct branch_walk w;
	reaper_branch_begin(&w, true);
	bool found = reaper_branch_recall(&w, pid, start, branch);
	reaper_branch_end(&w, false);
	return found;
}

static void a_walk_replaces_the_memory_with_what_it_saw(void **state)
{
	(void)state;
	struct branch_walk w;
	reaper_branch_begin(&w, true);
	reaper_branch_note(&w, 100, 5, 10);
	reaper_branch_note(&w, 101, 6, 11);
	reaper_branch_end(&w, true);
	pid_t b = 0;
	assert_true(recall(100, 5, &b));
	assert_int_equal(b, 10);
	/* Another start time: another process. */
	assert_false(recall(100, 7, &b));

	/* The next walk sees only 100: 101 is forgotten. */
	learn(100, 5, 10);
	assert_true(recall(100, 5, &b));
	assert_false(recall(101, 6, &b));
}

static void an_incomplete_walk_keeps_the_memory(void **state)
{
	(void)state;
	learn(200, 1, 20);
	struct branch_walk w;
	reaper_branch_begin(&w, true);
	reaper_branch_note(&w, 201, 1, 21);
	reaper_branch_end(&w, false);
	pid_t b = 0;
	assert_true(recall(200, 1, &b));
	assert_int_equal(b, 20);
	assert_false(recall(201, 1, &b));
}

static void a_walk_of_another_reaper_neither_reads_nor_writes_it(void **state)
{
	(void)state;
	learn(300, 1, 30);
	struct branch_walk w;
	reaper_branch_begin(&w, false);
	pid_t b = 0;
	assert_false(reaper_branch_recall(&w, 300, 1, &b));
	reaper_branch_note(&w, 301, 1, 31);
	reaper_branch_end(&w, true);
	assert_true(recall(300, 1, &b));
	assert_false(recall(301, 1, &b));
}

static void a_fork_child_does_not_inherit_it(void **state)
{
	(void)state;
	learn(400, 1, 40);
	pid_t child = tl_fork();
	if (child == 0) {
		pid_t b = 0;
		_exit(recall(400, 1, &b) ? 1 : 0);
	}
	int status = tl_wait(child, 10000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pid_t b = 0;
	assert_true(recall(400, 1, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_walk_replaces_the_memory_with_what_it_saw),
		cmocka_unit_test(an_incomplete_walk_keeps_the_memory),
		cmocka_unit_test(a_walk_of_another_reaper_neither_reads_nor_writes_it),
		cmocka_unit_test(a_fork_child_does_not_inherit_it),
	};
	return TL_RUN(tests);
}
