/* SPDX-License-Identifier: BSD-2-Clause */
#include "testlib.h"

#include "pidset.h"

static void added_members_are_found(void **state)
{
	(void)state;
	struct pidset s = PIDSET_INIT;
	assert_false(pidset_contains(&s, 10, 1));
	assert_int_equal(pidset_add(&s, 10, 1, 0), 1);
	assert_int_equal(pidset_add(&s, 10, 1, 0), 0);
	assert_true(pidset_contains(&s, 10, 1));
	assert_false(pidset_contains(&s, 11, 1));
	pidset_free(&s);
}

static void a_recycled_pid_is_a_different_member(void **state)
{
	(void)state;
	struct pidset s = PIDSET_INIT;
	assert_int_equal(pidset_add(&s, 500, 1000, 7), 1);
	assert_false(pidset_contains(&s, 500, 2000));
	assert_int_equal(pidset_add(&s, 500, 2000, 8), 1);
	assert_true(pidset_contains(&s, 500, 1000));
	assert_true(pidset_contains(&s, 500, 2000));
	assert_int_equal(s.count, 2);
	int v = 0;
	assert_true(pidset_lookup(&s, 500, 1000, &v));
	assert_int_equal(v, 7);
	assert_true(pidset_lookup(&s, 500, 2000, &v));
	assert_int_equal(v, 8);
	assert_false(pidset_lookup(&s, 500, 3000, &v));
	/* Adding again keeps the first value. */
	assert_int_equal(pidset_add(&s, 500, 1000, 99), 0);
	assert_true(pidset_lookup(&s, 500, 1000, &v));
	assert_int_equal(v, 7);
	pidset_free(&s);
}

static void the_set_grows_without_losing_members(void **state)
{
	(void)state;
	struct pidset s = PIDSET_INIT;
	for (pid_t p = 1; p <= 5000; p++)
		assert_int_equal(pidset_add(&s, p * 7, (uint64_t)p, (int)p), 1);
	assert_int_equal(s.count, 5000);
	for (pid_t p = 1; p <= 5000; p++) {
		int v = 0;
		assert_true(pidset_lookup(&s, p * 7, (uint64_t)p, &v));
		assert_int_equal(v, p);
	}
	assert_false(pidset_contains(&s, 3, 3));
	pidset_free(&s);
	assert_int_equal(s.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(added_members_are_found),
		cmocka_unit_test(a_recycled_pid_is_a_different_member),
		cmocka_unit_test(the_set_grows_without_losing_members),
	};
	return TL_RUN(tests);
}
