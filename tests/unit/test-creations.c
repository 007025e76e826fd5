/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Telling whether a process was created between two moments.  Only what
 * must be seen is asserted: other processes on the machine may fork at any
 * time, so "nothing was created" is never expected here.
 */
#include "testlib.h"

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "creations.h"

static void a_fork_between_two_readings_is_seen(void **state)
{
	(void)state;
	struct creations a, b;
	assert_true(creations_now(&a, true));
	pid_t pid = tl_fork();
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_true(creations_now(&b, false));
	assert_true(b.forks > a.forks);
	assert_int_equal(b.threads, a.threads);
	assert_false(creations_none_but_own_threads(&a, &b));
}

static void *wait_for_word(void *arg)
{
	char c;
	(void)read(*(int *)arg, &c, 1);
	return NULL;
}

/* A thread of the caller that ended may hide a creation: no answer. */
static void a_thread_that_ended_between_gives_no_answer(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct creations before, a, b;
	assert_true(creations_now(&before, true));
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, wait_for_word, &p[0]), 0);
	assert_true(creations_now(&a, true));
	assert_int_equal(a.threads, before.threads + 1);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(pthread_join(th, NULL), 0);
	/* Joined: the kernel may still be releasing it; it goes soon. */
	for (int i = 0; i < 100000; i++) {
		assert_true(creations_now(&b, false));
		if (b.threads == before.threads)
			break;
		usleep(100);
	}
	assert_int_equal(b.threads, before.threads);
	assert_false(creations_none_but_own_threads(&a, &b));
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_fork_between_two_readings_is_seen),
		cmocka_unit_test(a_thread_that_ended_between_gives_no_answer),
	};
	return TL_RUN(tests);
}
