/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Telling whether a process was created between two moments.  Only what
 * must be seen is asserted: other processes on the machine may fork at any
 * time, so "nothing was created" is never expected here.
 */
#include "testlib.h"

#include <pthread.h>
#include <stdio.h>
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
	assert_false(creations_none_but_own_threads(&a, &b, 0));
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
	assert_false(creations_none_but_own_threads(&a, &b, 0));
	close(p[0]);
	close(p[1]);
}

struct started {
	pid_t tid;
	int fd;
};

static void *say_tid_and_wait(void *arg)
{
	struct started *st = arg;
	st->tid = gettid();
	char c;
	(void)read(st->fd, &c, 1);
	return NULL;
}

/* Start a thread, and join it once the kernel lists it no more. */
static pid_t thread_started_and_gone(void)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct started st = { 0, p[0] };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, say_tid_and_wait, &st), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(pthread_join(th, NULL), 0);
	char path[48];
	snprintf(path, sizeof(path), "/proc/self/task/%d", (int)st.tid);
	for (int i = 0; i < 100000 && access(path, F_OK) == 0; i++)
		usleep(100);
	assert_int_equal(access(path, F_OK), -1);
	close(p[0]);
	close(p[1]);
	return st.tid;
}

/*
 * A thread the caller started and joined in between, and says so, is
 * excused: nothing else is.  Other processes may fork at any moment, so the
 * excuse is asserted only in a moment when the machine forked nothing else.
 */
static void a_thread_said_to_have_ended_is_excused(void **state)
{
	(void)state;
	for (int attempt = 0; attempt < 200; attempt++) {
		struct creations a, b;
		assert_true(creations_now(&a, true));
		pid_t tid = thread_started_and_gone();
		assert_true(creations_now(&b, false));
		assert_false(creations_none_but_own_threads(&a, &b, 0));
		if (b.forks - a.forks != 1)
			continue;   /* something else forked meanwhile */
		assert_true(creations_none_but_own_threads(&a, &b, tid));
		return;
	}
	tl_skip("the machine forked in every moment the test looked");
}

/* The ended thread excuses itself only: a fork beside it is seen. */
static void a_fork_beside_an_ended_thread_is_seen(void **state)
{
	(void)state;
	struct creations a, b;
	assert_true(creations_now(&a, true));
	pid_t tid = thread_started_and_gone();
	pid_t pid = tl_fork();
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_true(creations_now(&b, false));
	assert_false(creations_none_but_own_threads(&a, &b, tid));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_fork_between_two_readings_is_seen),
		cmocka_unit_test(a_thread_that_ended_between_gives_no_answer),
		cmocka_unit_test(a_thread_said_to_have_ended_is_excused),
		cmocka_unit_test(a_fork_beside_an_ended_thread_is_seen),
	};
	return TL_RUN(tests);
}
