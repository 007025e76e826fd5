/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * protect(1) against a stand-in procctl() (tests/helpers/fake-procctl.c):
 * the one call each form of the command line makes, and what follows a
 * granted or refused call, whatever privileges this machine gives.
 */
#include "testlib.h"

#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>

#include "tooltest.h"

/* protect with these arguments; every procctl() fails with error unless 0. */
#define PROTECT(o, error, ...) tl_run_program((o), fake_preload, \
	&(struct fake_answer){ .err = (error) }, "LPC_PROTECT", __VA_ARGS__, (char *)NULL)

static void each_form_makes_one_sprotect_call(void **state)
{
	(void)state;
	static const struct {
		char *args[4];
		const char *call;
	} forms[] = {
		{ { "-p", "42" }, "procctl(P_PID, 42, 1, 1)\n" },
		{ { "-c", "-p", "42" }, "procctl(P_PID, 42, 1, 2)\n" },
		{ { "-d", "-p", "42" }, "procctl(P_PID, 42, 1, 17)\n" },
		{ { "-i", "-p", "42" }, "procctl(P_PID, 42, 1, 33)\n" },
		{ { "-cdi", "-p", "42" }, "procctl(P_PID, 42, 1, 50)\n" },
		{ { "-g", "42" }, "procctl(P_PGID, 42, 1, 1)\n" },
		{ { "-cd", "-g", "0x2a" }, "procctl(P_PGID, 42, 1, 18)\n" },
		{ { "-i", "-g", "42" }, "procctl(P_PGID, 42, 1, 33)\n" },
		/* A command: protect protects itself, then becomes the command. */
		{ { "true" }, "procctl(P_PID, self, 1, 1)\n" },
		{ { "-i", "true" }, "procctl(P_PID, self, 1, 33)\n" },
		{ { "-c", "true" }, "procctl(P_PID, self, 1, 2)\n" },
	};
	struct tl_output o;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		tl_run_program_args(&o, fake_preload, NULL, "LPC_PROTECT", forms[i].args);
		tl_assert_output(&o, 0, "", forms[i].call);
	}
}

static void the_command_keeps_its_arguments_and_exit_status(void **state)
{
	(void)state;
	struct tl_output o;
	PROTECT(&o, 0, "sh", "-c", "echo $0 $1; exit 5", "-p", "-c");
	tl_assert_output(&o, 5, "-p -c\n", "procctl(P_PID, self, 1, 1)\n");
}

static void a_command_not_found_exits_127(void **state)
{
	(void)state;
	struct tl_output o;
	PROTECT(&o, 0, "/nonexistent/command");
	tl_assert_output(&o, 127, "", "procctl(P_PID, self, 1, 1)\n"
	    "protect: /nonexistent/command: No such file or directory\n");
	PROTECT(&o, 0, "no-such-command-anywhere-on-the-path");
	tl_assert_output(&o, 127, "", "procctl(P_PID, self, 1, 1)\n"
	    "protect: no-such-command-anywhere-on-the-path: No such file or directory\n");
}

static void a_command_that_cannot_run_exits_126(void **state)
{
	(void)state;
	struct tl_output o;
	PROTECT(&o, 0, "/");
	tl_assert_output(&o, 126, "", "procctl(P_PID, self, 1, 1)\n"
	    "protect: /: Permission denied\n");
}

static bool may_lower_oom_score(void)
{
	return tl_has_cap(CAP_SYS_RESOURCE) && tl_in_initial_userns();
}

static void a_refusal_exits_1_and_runs_nothing(void **state)
{
	(void)state;
	const char *eperm = may_lower_oom_score() ?
	    "protect: procctl: Operation not permitted\n" :
	    "protect: procctl: Operation not permitted: OOM protection can only be "
	    "changed with CAP_SYS_RESOURCE in the initial user namespace, which "
	    "protect lacks\n";
	static const struct { int err; const char *message; } refusals[] = {
		{ ESRCH, "protect: procctl: No such process\n" },
		{ EINVAL, "protect: procctl: Invalid argument\n" },
		{ ENOTSUP, "protect: procctl: Operation not supported: Linux cannot do "
		  "this here; see procctl(3)\n" },
		{ EPERM, NULL },
	};
	struct tl_output o;
	char expected[512];
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const char *message = refusals[i].message ? refusals[i].message : eperm;
		snprintf(expected, sizeof(expected), "procctl(P_PID, self, 1, 1)\n%s", message);
		PROTECT(&o, refusals[i].err, "sh", "-c", "echo ran");
		tl_assert_output(&o, 1, "", expected);

		snprintf(expected, sizeof(expected), "procctl(P_PGID, 7, 1, 2)\n%s", message);
		PROTECT(&o, refusals[i].err, "-c", "-g", "7");
		tl_assert_output(&o, 1, "", expected);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_form_makes_one_sprotect_call),
		cmocka_unit_test(the_command_keeps_its_arguments_and_exit_status),
		cmocka_unit_test(a_command_not_found_exits_127),
		cmocka_unit_test(a_command_that_cannot_run_exits_126),
		cmocka_unit_test(a_refusal_exits_1_and_runs_nothing),
	};
	return TL_RUN(tests);
}
