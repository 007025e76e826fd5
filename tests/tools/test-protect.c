/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * protect(1) run as a user runs it, on the real library: refusals, every
 * form of the command line, and (where CAP_SYS_RESOURCE is held in the
 * initial user namespace) the protection itself.
 */
#include "testlib.h"
#include "tooltest.h"

#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PROTECT(o, ...) \
	tl_run_program((o), NULL, NULL, "LPC_PROTECT", __VA_ARGS__, (char *)NULL)

#define USAGE \
	"usage: protect [-i] command [argument ...]\n" \
	"       protect [-cdi] -g pgrp | -p pid\n"

#define NEEDS_PRIVILEGE "needs CAP_SYS_RESOURCE in the initial user namespace, " \
	"which even root lacks on this machine; the refusal is tested instead"

#define NO_PRIVILEGE "protect: procctl: Operation not permitted: OOM protection " \
	"can only be changed with CAP_SYS_RESOURCE in the initial user namespace, " \
	"which protect lacks\n"

static bool may_lower_oom_score(void)
{
	return tl_has_cap(CAP_SYS_RESOURCE) && tl_in_initial_userns();
}

static long oom_adj(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	return tl_read_long(path, -99999);
}

static char *id_text(pid_t id, char buf[static 16])
{
	snprintf(buf, 16, "%d", (int)id);
	return buf;
}

/* A child in a process group of its own, with two children of its own. */
static pid_t spawn_group(pid_t kids[2])
{
	pid_t head = tl_spawn_family(2, kids);
	/* The family head leads a group of one; its children stay in ours. */
	assert_int_equal(setpgid(head, head), 0);
	return head;
}

static void bad_arguments_print_the_usage_and_exit_1(void **state)
{
	(void)state;
	static char *const bad[][6] = {
		{ NULL },                           /* neither id nor command */
		{ "-c", NULL },
		{ "-i", NULL },
		{ "-d", "true", NULL },             /* -d needs -p or -g */
		{ "-p", "1", "true", NULL },        /* an id and a command */
		{ "-g", "1", "true", NULL },
		{ "-x", "true", NULL },
		{ "-p", NULL },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_usage_error("LPC_PROTECT", bad[i], USAGE);
}

static void bad_ids_are_named_before_the_usage(void **state)
{
	(void)state;
	struct tl_output o;
	PROTECT(&o, "-p", "1", "-g", "1");
	tl_assert_output(&o, 1, "", "protect: only one -g or -p option may be given\n" USAGE);
	PROTECT(&o, "-p", "1", "-p", "2");
	tl_assert_output(&o, 1, "", "protect: only one -g or -p option may be given\n" USAGE);
	PROTECT(&o, "-p", "one");
	tl_assert_output(&o, 1, "", "protect: invalid process id: one\n" USAGE);
	PROTECT(&o, "-g", "-4");
	tl_assert_output(&o, 1, "", "protect: invalid process group id: -4\n" USAGE);
}

static void an_unknown_pid_or_group_is_no_such_process(void **state)
{
	(void)state;
	char id[16];
	id_text(tl_unused_pid(), id);
	struct tl_output o;
	PROTECT(&o, "-p", id);
	tl_assert_output(&o, 1, "", "protect: procctl: No such process\n");
	PROTECT(&o, "-cdi", "-p", id);
	tl_assert_output(&o, 1, "", "protect: procctl: No such process\n");
	PROTECT(&o, "-g", id);
	tl_assert_output(&o, 1, "", "protect: procctl: No such process\n");
	PROTECT(&o, "-c", "-d", "-g", id);
	tl_assert_output(&o, 1, "", "protect: procctl: No such process\n");
}

static void without_privilege_every_form_is_refused_and_says_why(void **state)
{
	(void)state;
	if (may_lower_oom_score())
		tl_skip("the caller holds CAP_SYS_RESOURCE; the protection itself is tested");
	pid_t kids[2];
	pid_t head = spawn_group(kids);
	long before = oom_adj(head);
	char id[16];
	id_text(head, id);
	char *const forms[][4] = {
		{ "-p", id, NULL }, { "-c", "-p", id, NULL }, { "-d", "-p", id, NULL },
		{ "-i", "-p", id, NULL }, { "-cdi", "-p", id, NULL },
		{ "-g", id, NULL }, { "-c", "-g", id, NULL }, { "-d", "-g", id, NULL },
		{ "-cdi", "-g", id, NULL },
	};
	struct tl_output o;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		tl_run_program_args(&o, NULL, NULL, "LPC_PROTECT", forms[i]);
		tl_assert_output(&o, 1, "", NO_PRIVILEGE);
	}
	/* A command is not run when its protection is refused. */
	PROTECT(&o, "sh", "-c", "echo ran");
	tl_assert_output(&o, 1, "", NO_PRIVILEGE);
	PROTECT(&o, "-i", "sh", "-c", "echo ran");
	tl_assert_output(&o, 1, "", NO_PRIVILEGE);

	assert_int_equal(oom_adj(head), before);
	assert_int_equal(oom_adj(kids[0]), before);
	tl_end_family(head);
}

static void protection_of_a_process_and_its_group(void **state)
{
	(void)state;
	if (!may_lower_oom_score())
		tl_skip(NEEDS_PRIVILEGE);
	pid_t kids[2];
	pid_t head = spawn_group(kids);
	char id[16];
	id_text(head, id);
	struct tl_output o;

	PROTECT(&o, "-p", id);
	tl_assert_output(&o, 0, "", "");
	assert_int_equal(oom_adj(head), -1000);
	assert_int_equal(oom_adj(kids[0]), 0);
	PROTECT(&o, "-c", "-p", id);
	tl_assert_output(&o, 0, "", "");
	assert_int_equal(oom_adj(head), 0);

	PROTECT(&o, "-d", "-p", id);
	tl_assert_output(&o, 0, "", "");
	assert_int_equal(oom_adj(kids[0]), -1000);
	assert_int_equal(oom_adj(kids[1]), -1000);
	PROTECT(&o, "-c", "-d", "-p", id);
	tl_assert_output(&o, 0, "", "");
	assert_int_equal(oom_adj(kids[1]), 0);

	/* The head's group holds the head alone. */
	PROTECT(&o, "-g", id);
	tl_assert_output(&o, 0, "", "");
	assert_int_equal(oom_adj(head), -1000);
	assert_int_equal(oom_adj(kids[0]), 0);
	PROTECT(&o, "-c", "-g", id);
	tl_assert_output(&o, 0, "", "");
	assert_int_equal(oom_adj(head), 0);
	tl_end_family(head);
}

static void a_protected_command_runs_protected(void **state)
{
	(void)state;
	if (!may_lower_oom_score())
		tl_skip(NEEDS_PRIVILEGE);
	struct tl_output o;
	PROTECT(&o, "cat", "/proc/self/oom_score_adj");
	tl_assert_output(&o, 0, "-1000\n", "");
	PROTECT(&o, "-i", "sh", "-c", "cat /proc/self/oom_score_adj");
	tl_assert_output(&o, 0, "-1000\n", "");
	PROTECT(&o, "/nonexistent/command");
	tl_assert_output(&o, 127, "", "protect: /nonexistent/command: No such file or directory\n");
	PROTECT(&o, "/");
	tl_assert_output(&o, 126, "", "protect: /: Permission denied\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_arguments_print_the_usage_and_exit_1),
		cmocka_unit_test(bad_ids_are_named_before_the_usage),
		cmocka_unit_test(an_unknown_pid_or_group_is_no_such_process),
		cmocka_unit_test(without_privilege_every_form_is_refused_and_says_why),
		cmocka_unit_test(protection_of_a_process_and_its_group),
		cmocka_unit_test(a_protected_command_runs_protected),
	};
	return TL_RUN(tests);
}
