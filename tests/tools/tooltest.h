/* SPDX-License-Identifier: BSD-2-Clause */
/* What the tests of proccontrol(1) and protect(1) share. */
#ifndef LIBPROCCTL_TESTS_TOOLS_TOOLTEST_H
#define LIBPROCCTL_TESTS_TOOLS_TOOLTEST_H

/*
 * The stand-in procctl() of tests/helpers/fake-procctl.c, which writes
 * each call to standard error and answers as told.
 */
struct fake_answer {
	const char *status;     /* what a status command reports, or NULL for 0 */
	int err;                /* the errno every call fails with, or 0 */
};

/*
 * A tl_capture() setup: preload the stand-in, answering as the struct
 * fake_answer at answer says (NULL: succeed).
 */
void fake_preload(void *answer);

/*
 * Run the tool whose path the environment variable env holds with args
 * (ending with NULL): it must print nothing on standard output, end its
 * errors with usage (getopt(3) may complain first) and exit 1.
 */
void assert_usage_error(const char *env, char *const args[], const char *usage);

#endif
