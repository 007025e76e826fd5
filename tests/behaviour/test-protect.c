/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_SPROTECT on oom_score_adj. */
#include "testlib.h"

#include <linux/capability.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static long oom_adj(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	return tl_read_long(path, -99999);
}

/*
 * CAP_SYS_RESOURCE must hold in the initial user namespace; inside a user
 * namespace the capability bit is set but the kernel still refuses.
 */
static bool can_protect(void)
{
	return tl_has_cap(CAP_SYS_RESOURCE) && tl_in_initial_userns();
}

static void check_invalid(void *arg)
{
	(void)arg;
	/* Its own group, so that P_PGID names one even as PID 1 of a namespace. */
	CHECK(setpgid(0, 0) == 0);
	const int bad[] = { 0, 3, 15, PPROT_SET | 0x40, PPROT_CLEAR | 0x100,
	    PPROT_SET | PPROT_DESCEND | 0x1000, -1 };
	long before = oom_adj(getpid());
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v = bad[i];
		/* The value is checked before the privilege. */
		CHECK_FAILS(EINVAL, P_PID, 0, PROC_SPROTECT, &v);
		CHECK_FAILS(EINVAL, P_PGID, (id_t)getpgrp(), PROC_SPROTECT, &v);
	}
	CHECK_EQ(oom_adj(getpid()), before);
}

static void invalid_operations_and_flags_are_einval(void **state)
{
	(void)state;
	run_in_child(check_invalid, NULL);
}

static void check_eperm(void *arg)
{
	(void)arg;
	CHECK(setpgid(0, 0) == 0);
	long before = oom_adj(getpid());
	const int ops[] = { PPROT_SET, PPROT_CLEAR, PPROT_SET | PPROT_INHERIT,
	    PPROT_SET | PPROT_DESCEND };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		int v = ops[i];
		CHECK_FAILS(EPERM, P_PID, 0, PROC_SPROTECT, &v);
		CHECK_FAILS(EPERM, P_PGID, (id_t)getpgrp(), PROC_SPROTECT, &v);
	}
	CHECK_EQ(oom_adj(getpid()), before);
	int v = PPROT_SET;
	CHECK_FAILS(ESRCH, P_PID, (id_t)tl_unused_pid(), PROC_SPROTECT, &v);
	CHECK_FAILS(ESRCH, P_PGID, (id_t)tl_unused_pid(), PROC_SPROTECT, &v);
}

/* Root without CAP_SYS_RESOURCE, as a container often runs it (libcap). */
static void check_eperm_as_container_root(void *arg)
{
	tl_drop_effective_cap(CAP_SYS_RESOURCE);
	check_eperm(arg);
}

static void without_cap_sys_resource_it_is_eperm(void **state)
{
	(void)state;
	run_in_child(can_protect() ? check_eperm_as_container_root : check_eperm, NULL);
}

static void set_without_inherit(void *arg)
{
	(void)arg;
	long before = oom_adj(getpid());
	int v = PPROT_SET;
	CHECK_OK(P_PID, 0, PROC_SPROTECT, &v);
	CHECK_EQ(oom_adj(getpid()), -1000);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(oom_adj(getpid()) == before ? 0 : 1);
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	v = PPROT_SET | PPROT_INHERIT;
	CHECK_OK(P_PID, 0, PROC_SPROTECT, &v);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(oom_adj(getpid()) == -1000 ? 0 : 1);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	v = PPROT_CLEAR;
	CHECK_OK(P_PID, 0, PROC_SPROTECT, &v);
	CHECK_EQ(oom_adj(getpid()), 0);
}

static void set_and_clear_with_privilege(void **state)
{
	(void)state;
	if (!can_protect())
		tl_skip("CAP_SYS_RESOURCE in the initial user namespace is missing "
		    "(even root lacks it on this machine); the EPERM path is tested");
	run_in_child(set_without_inherit, NULL);
}

static void descend_covers_the_subtree(void **state)
{
	(void)state;
	if (!can_protect())
		tl_skip("CAP_SYS_RESOURCE in the initial user namespace is missing");
	pid_t kids[2];
	pid_t head = tl_spawn_family(2, kids);
	int v = PPROT_SET | PPROT_DESCEND;
	assert_procctl_ok(P_PID, (id_t)head, PROC_SPROTECT, &v);
	assert_int_equal(oom_adj(head), -1000);
	assert_int_equal(oom_adj(kids[0]), -1000);
	assert_int_equal(oom_adj(kids[1]), -1000);
	v = PPROT_CLEAR | PPROT_DESCEND;
	assert_procctl_ok(P_PID, (id_t)head, PROC_SPROTECT, &v);
	assert_int_equal(oom_adj(kids[1]), 0);
	tl_end_family(head);
}

struct others {
	pid_t head, kids[2];    /* a family: head and its two children */
	pid_t group;            /* a process group of two other processes */
	pid_t members[2];
};

static void spawn_others(struct others *o)
{
	o->head = tl_spawn_family(2, o->kids);
	/* setpgid() on a child works only before it execs: a forked group. */
	o->members[0] = tl_spawn_pause();
	assert_int_equal(setpgid(o->members[0], o->members[0]), 0);
	o->members[1] = tl_spawn_pause();
	assert_int_equal(setpgid(o->members[1], o->members[0]), 0);
	o->group = o->members[0];
}

static void end_others(struct others *o)
{
	tl_end_family(o->head);
	tl_kill_and_reap(o->members[0]);
	tl_kill_and_reap(o->members[1]);
}

static void other_processes_without_cap_sys_resource_are_left_unchanged(void **state)
{
	(void)state;
	if (can_protect())
		tl_skip("the caller holds CAP_SYS_RESOURCE; the success paths run instead");
	struct others o;
	spawn_others(&o);
	const pid_t all[] = { o.head, o.kids[0], o.kids[1], o.members[0], o.members[1] };
	long before[5];
	for (int i = 0; i < 5; i++)
		before[i] = oom_adj(all[i]);

	const int ops[] = { PPROT_SET, PPROT_SET | PPROT_DESCEND,
	    PPROT_SET | PPROT_DESCEND | PPROT_INHERIT, PPROT_CLEAR | PPROT_DESCEND };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		int v = ops[i];
		assert_procctl_fails(EPERM, P_PID, (id_t)o.head, PROC_SPROTECT, &v);
		assert_procctl_fails(EPERM, P_PGID, (id_t)o.group, PROC_SPROTECT, &v);
	}
	for (int i = 0; i < 5; i++)
		assert_int_equal(oom_adj(all[i]), before[i]);
	end_others(&o);
}

static void descend_and_a_group_protect_other_processes(void **state)
{
	(void)state;
	if (!can_protect())
		tl_skip("CAP_SYS_RESOURCE in the initial user namespace is missing "
		    "(even root lacks it on this machine); the EPERM path is tested");
	struct others o;
	spawn_others(&o);
	int v = PPROT_SET | PPROT_DESCEND | PPROT_INHERIT;
	assert_procctl_ok(P_PID, (id_t)o.head, PROC_SPROTECT, &v);
	assert_int_equal(oom_adj(o.head), -1000);
	assert_int_equal(oom_adj(o.kids[0]), -1000);
	assert_int_equal(oom_adj(o.kids[1]), -1000);
	v = PPROT_SET;
	assert_procctl_ok(P_PGID, (id_t)o.group, PROC_SPROTECT, &v);
	assert_int_equal(oom_adj(o.members[0]), -1000);
	assert_int_equal(oom_adj(o.members[1]), -1000);
	v = PPROT_CLEAR | PPROT_DESCEND;
	assert_procctl_ok(P_PID, (id_t)o.head, PROC_SPROTECT, &v);
	assert_int_equal(oom_adj(o.kids[1]), 0);
	v = PPROT_CLEAR;
	assert_procctl_ok(P_PGID, (id_t)o.group, PROC_SPROTECT, &v);
	assert_int_equal(oom_adj(o.members[1]), 0);
	end_others(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invalid_operations_and_flags_are_einval),
		cmocka_unit_test(without_cap_sys_resource_it_is_eperm),
		cmocka_unit_test(set_and_clear_with_privilege),
		cmocka_unit_test(descend_covers_the_subtree),
		cmocka_unit_test(other_processes_without_cap_sys_resource_are_left_unchanged),
		cmocka_unit_test(descend_and_a_group_protect_other_processes),
	};
	return TL_RUN(tests);
}
