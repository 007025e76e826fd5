/* SPDX-License-Identifier: BSD-2-Clause */
#include "tooltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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

void assert_usage_error(const char *env, char *const args[], const char *usage)
{
	struct tl_output o;
	tl_run_program_args(&o, NULL, NULL, env, args);
	size_t len = strlen(o.err), usage_len = strlen(usage);
	if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 1 || o.out[0] != '\0' ||
	    len < usage_len || strcmp(o.err + len - usage_len, usage) != 0)
		fail_msg("%s %s...: status %#x, output '%s', errors '%s'", env,
		    args[0] ? args[0] : "", o.status, o.out, o.err);
}
