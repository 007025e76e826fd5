/* SPDX-License-Identifier: BSD-2-Clause */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>

#include "testlib.h"

void fake_preload(void *arg)
{
	const struct fake_answer *answer = arg;
	CHECK(setenv("LD_PRELOAD", getenv("LPC_FAKE_PROCCTL"), 1) == 0);

	/* An ASan build checks that its runtime is the first library loaded. */
	char asan[512];
	const char *before = getenv("ASAN_OPTIONS");
	snprintf(asan, sizeof(asan), "%s%sverify_asan_link_order=0",
	    before ? before : "", before ? ":" : "");
	CHECK(setenv("ASAN_OPTIONS", asan, 1) == 0);

	/*
	 * execvp() reports EACCES (126) rather than ENOENT (127) when its
	 * search met a directory it may not enter; the caller's PATH may hold
	 * one, so search only directories every user can read.
	 */
	CHECK(setenv("PATH", "/usr/bin:/bin", 1) == 0);

	if (answer == NULL)
		return;
	if (answer->status != NULL)
		CHECK(setenv("LPC_FAKE_STATUS", answer->status, 1) == 0);
	if (answer->err != 0) {
		char text[16];
		snprintf(text, sizeof(text), "%d", answer->err);
		CHECK(setenv("LPC_FAKE_ERRNO", text, 1) == 0);
	}
}
