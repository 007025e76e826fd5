/* SPDX-License-Identifier: BSD-2-Clause */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "procfs.h"

/* A stat line whose comm tries to fool a parser that stops at the first ')'. */
static const char tricky_stat[] =
    "4242 (x) S 1 (y) R 77 88 99 0 -1 4194560 10 0 0 0 1 2 0 0 20 0 3 0 "
    "123456 1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 "
    "0 0 0 0 0 0 0 0 0 0 0";

static void stat_fields_are_counted_from_the_last_paren(void **state)
{
	(void)state;
	struct proc_stat st;
	assert_int_equal(procfs_parse_stat(tricky_stat, &st), 0);
	assert_int_equal(st.pid, 4242);
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 77);
	assert_int_equal(st.pgrp, 88);
	assert_int_equal(st.session, 99);
	assert_int_equal(st.flags, 4194560);
	assert_int_equal(st.num_threads, 3);
	assert_int_equal(st.starttime, 123456);
	/* The name, whatever it holds; the exit signal, field 38; the CPU, 39. */
	assert_string_equal(st.comm, "x) S 1 (y");
	assert_int_equal(st.exit_signal, 17);
	assert_int_equal(st.processor, 1);
}

static void a_stat_line_without_an_exit_signal_says_minus_one(void **state)
{
	(void)state;
	struct proc_stat st;
	assert_int_equal(procfs_parse_stat("7 (a-rather-long-process-name) S 1 7 7 0 -1 0 0 0 0 0 "
	    "0 0 0 0 20 0 1 0 99", &st), 0);
	assert_int_equal(st.starttime, 99);
	assert_int_equal(st.exit_signal, -1);
	assert_int_equal(st.processor, -1);
	/* Cut to 15 bytes, as the kernel keeps it. */
	assert_string_equal(st.comm, "a-rather-long-p");
}

static void a_truncated_stat_line_is_einval(void **state)
{
	(void)state;
	struct proc_stat st;
	assert_int_equal(procfs_parse_stat("12 (sh) S 1 2 3", &st), -EINVAL);
	assert_int_equal(procfs_parse_stat("no paren at all", &st), -EINVAL);
	assert_int_equal(procfs_parse_stat("", &st), -EINVAL);
}

/*
 * Found by tests/fuzz: a field of "-9223372036854775808" made the parser
 * negate LLONG_MIN, which is undefined (UBSan aborts in the asan tier).
 * The field here is tty_nr, which is not kept; the others must survive.
 */
static void the_most_negative_field_is_parsed_without_overflow(void **state)
{
	(void)state;
	struct proc_stat st;
	assert_int_equal(procfs_parse_stat("12 (sh) S 1 2 3 -9223372036854775808 -1 "
	    "4194560 0 0 0 0 0 0 0 0 20 0 7 0 555", &st), 0);
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.session, 3);
	assert_int_equal(st.flags, 4194560);
	assert_int_equal(st.num_threads, 7);
	assert_int_equal(st.starttime, 555);
}

static void own_stat_names_the_caller(void **state)
{
	(void)state;
	struct proc_stat self, bypid;
	assert_int_equal(procfs_read_stat(0, &self), 0);
	assert_int_equal(self.pid, getpid());
	assert_int_equal(self.ppid, getppid());
	assert_int_equal(self.pgrp, getpgrp());
	assert_int_equal(procfs_read_stat(getpid(), &bypid), 0);
	assert_int_equal(bypid.starttime, self.starttime);
}

static void a_missing_process_is_enoent(void **state)
{
	(void)state;
	struct proc_stat st;
	assert_int_equal(procfs_read_stat(tl_unused_pid(), &st), -ENOENT);
}

static void status_numbers_are_read_by_key(void **state)
{
	(void)state;
	long v = 99;
	assert_int_equal(procfs_status_number(0, "Pid", &v), 0);
	assert_int_equal(v, getpid());
	assert_int_equal(procfs_status_number(0, "PPid", &v), 0);
	assert_int_equal(v, getppid());
	assert_int_equal(procfs_status_number(0, "NoSuchKey", &v), -ENOENT);
	/* A key that is a prefix of another does not match it. */
	assert_int_equal(procfs_status_number(0, "Pi", &v), -ENOENT);
}

static void long_lines_do_not_hide_later_keys(void **state)
{
	(void)state;
	char path[] = "/tmp/lpc-procfs-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("First: 1\nGroups:", f);
	for (int i = 0; i < 3000; i++)
		fputs(" 12345", f);
	fputs("\nWanted:\t42\nLast: 3", f);   /* no final newline */
	fclose(f);

	long v;
	assert_int_equal(procfs_keyed_number(path, "Wanted", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(procfs_keyed_number(path, "Last", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(procfs_keyed_number(path, "First", &v), 0);
	assert_int_equal(v, 1);
	unlink(path);
}

static int find_stack(const struct proc_mapping *m, void *ctx)
{
	if (strcmp(m->name, "[stack]") != 0)
		return 0;
	*(const struct proc_mapping **)ctx = m;
	assert_true(m->start < m->end);
	assert_int_equal(m->perms[0], 'r');
	assert_int_equal(m->perms[1], 'w');
	return 1;
}

static void mappings_are_parsed(void **state)
{
	(void)state;
	const struct proc_mapping *found = NULL;
	assert_int_equal(procfs_for_each_mapping(0, find_stack, &found), 1);
}

#define SEEN_MAX 1024

static int note_number(int n, void *ctx)
{
	bool *seen = ctx;
	if (n >= 0 && n < SEEN_MAX)
		seen[n] = true;
	return 0;
}

static void held_descriptors_are_listed_but_the_listing(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	int high = fcntl(p[0], F_DUPFD_CLOEXEC, 700);
	assert_true(high >= 700 && high < SEEN_MAX);
	static bool seen[SEEN_MAX];
	memset(seen, 0, sizeof(seen));
	assert_int_equal(procfs_for_each_fd(note_number, seen), 0);
	assert_true(seen[p[0]] && seen[p[1]] && seen[high]);
	/* Every number seen is still open: the listing's own was left out. */
	for (int fd = 0; fd < SEEN_MAX; fd++) {
		if (seen[fd])
			assert_true(fcntl(fd, F_GETFD) >= 0);
	}
	close(p[0]);
	close(p[1]);
	close(high);
}

static int stop_at_first(int n, void *ctx)
{
	(void)n;
	(*(int *)ctx)++;
	return 42;
}

static void a_walk_stops_when_told(void **state)
{
	(void)state;
	int calls = 0;
	assert_int_equal(procfs_for_each_fd(stop_at_first, &calls), 42);
	assert_int_equal(calls, 1);
	calls = 0;
	assert_int_equal(procfs_for_each_task(0, stop_at_first, &calls), 42);
	assert_int_equal(calls, 1);
}

static int is_the_one(int n, void *ctx)
{
	return n == *(const int *)ctx;
}

static void the_calling_thread_is_listed(void **state)
{
	(void)state;
	int tid = gettid();
	assert_int_equal(procfs_for_each_task(0, is_the_one, &tid), 1);
}

static void proc_is_this_pid_namespace(void **state)
{
	(void)state;
	assert_true(procfs_pidns_is_ours());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stat_fields_are_counted_from_the_last_paren),
		cmocka_unit_test(a_truncated_stat_line_is_einval),
		cmocka_unit_test(a_stat_line_without_an_exit_signal_says_minus_one),
		cmocka_unit_test(the_most_negative_field_is_parsed_without_overflow),
		cmocka_unit_test(own_stat_names_the_caller),
		cmocka_unit_test(a_missing_process_is_enoent),
		cmocka_unit_test(status_numbers_are_read_by_key),
		cmocka_unit_test(long_lines_do_not_hide_later_keys),
		cmocka_unit_test(mappings_are_parsed),
		cmocka_unit_test(held_descriptors_are_listed_but_the_listing),
		cmocka_unit_test(a_walk_stops_when_told),
		cmocka_unit_test(the_calling_thread_is_listed),
		cmocka_unit_test(proc_is_this_pid_namespace),
	};
	return TL_RUN(tests);
}
