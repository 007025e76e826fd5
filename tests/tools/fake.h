/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Running a tool on the stand-in procctl() of tests/helpers/fake-procctl.c,
 * which writes each call to standard error and answers as told.
 */
#ifndef LIBPROCCTL_TESTS_TOOLS_FAKE_H
#define LIBPROCCTL_TESTS_TOOLS_FAKE_H

struct fake_answer {
	const char *status;     /* what a status command reports, or NULL for 0 */
	int err;                /* the errno every call fails with, or 0 */
};

/* A tl_capture() setup: preload the stand-in, answering as *answer says. */
void fake_preload(void *answer);

#endif
