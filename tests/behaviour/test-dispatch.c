/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FreeBSD's common path, for every command: which errno wins when several
 * things are wrong, what id 0 means, what P_PGID does, and that bad
 * pointers are EFAULT and never a crash.
 */
#include "testlib.h"

#include <dirent.h>
#include <limits.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct cmd_info {
	int cmd;
	const char *name;
	bool in, out;      /* copies data in / out */
	bool pgid;         /* accepts P_PGID */
	int value;         /* a valid value for a _CTL */
	bool md;           /* machine-dependent: FreeBSD checks the id type first */
};

#define CTL(c, v, g) { .cmd = c, .name = #c, .in = true, .pgid = g, .value = v }
#define STATUS(c) { .cmd = c, .name = #c, .out = true }

static const struct cmd_info commands[] = {
	CTL(PROC_SPROTECT, PPROT_SET, true),
	{ .cmd = PROC_REAP_ACQUIRE, .name = "PROC_REAP_ACQUIRE" },
	{ .cmd = PROC_REAP_RELEASE, .name = "PROC_REAP_RELEASE" },
	{ .cmd = PROC_REAP_STATUS, .name = "PROC_REAP_STATUS", .out = true },
	{ .cmd = PROC_REAP_GETPIDS, .name = "PROC_REAP_GETPIDS", .in = true },
	{ .cmd = PROC_REAP_KILL, .name = "PROC_REAP_KILL", .in = true, .out = true },
	CTL(PROC_TRACE_CTL, PROC_TRACE_CTL_DISABLE, true),
	STATUS(PROC_TRACE_STATUS),
	CTL(PROC_TRAPCAP_CTL, PROC_TRAPCAP_CTL_DISABLE, true),
	STATUS(PROC_TRAPCAP_STATUS),
	CTL(PROC_PDEATHSIG_CTL, 0, false),
	STATUS(PROC_PDEATHSIG_STATUS),
	CTL(PROC_ASLR_CTL, PROC_ASLR_NOFORCE, false),
	STATUS(PROC_ASLR_STATUS),
	CTL(PROC_PROTMAX_CTL, PROC_PROTMAX_NOFORCE, false),
	STATUS(PROC_PROTMAX_STATUS),
	CTL(PROC_STACKGAP_CTL, PROC_STACKGAP_ENABLE, false),
	STATUS(PROC_STACKGAP_STATUS),
	CTL(PROC_NO_NEW_PRIVS_CTL, PROC_NO_NEW_PRIVS_ENABLE, false),
	STATUS(PROC_NO_NEW_PRIVS_STATUS),
	CTL(PROC_WXMAP_CTL, PROC_WX_MAPPINGS_PERMIT, false),
	STATUS(PROC_WXMAP_STATUS),
	CTL(PROC_LOGSIGEXIT_CTL, PROC_LOGSIGEXIT_CTL_NOFORCE, false),
	STATUS(PROC_LOGSIGEXIT_STATUS),
#if defined(__x86_64__)
#define MD_CTL(c, v) { .cmd = c, .name = #c, .in = true, .value = v, .md = true }
#define MD_STATUS(c) { .cmd = c, .name = #c, .out = true, .md = true }
	MD_CTL(PROC_KPTI_CTL, PROC_KPTI_CTL_ENABLE_ON_EXEC),
	MD_STATUS(PROC_KPTI_STATUS),
	MD_CTL(PROC_LA_CTL, PROC_LA_CTL_DEFAULT_ON_EXEC),
	MD_STATUS(PROC_LA_STATUS),
#endif
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

union any_data {
	int value;
	struct procctl_reaper_status status;
	struct procctl_reaper_pids pids;
	struct procctl_reaper_kill kill;
};

static void *valid_data(const struct cmd_info *c, union any_data *d)
{
	memset(d, 0, sizeof(*d));
	if (c->cmd == PROC_REAP_ACQUIRE || c->cmd == PROC_REAP_RELEASE)
		return NULL;
	if (c->cmd == PROC_REAP_KILL)
		d->kill.rk_sig = SIGCONT;
	else
		d->value = c->value;
	return d;
}

static bool is_kpti_ctl(int cmd)
{
#if defined(__x86_64__)
	return cmd == PROC_KPTI_CTL;
#else
	(void)cmd;
	return false;
#endif
}

static void unknown_commands_are_einval(void **state)
{
	(void)state;
	const int bad[] = { 0, -1, 25, 1000, PROC_PROCCTL_MD_MIN - 1,
	    PROC_PROCCTL_MD_MIN + 4, INT_MIN, INT_MAX };
	union any_data d = { 0 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_procctl_fails(EINVAL, P_PID, 0, bad[i], &d);
		/* EINVAL comes before anything is read through data. */
		assert_procctl_fails(EINVAL, P_PID, 0, bad[i], (void *)1);
		assert_procctl_fails(EINVAL, (idtype_t)77, 0, bad[i], NULL);
	}
}

static void a_bad_pointer_is_efault_before_the_id_is_looked_at(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct cmd_info *c = &commands[i];
		if (!c->in || is_kpti_ctl(c->cmd))
			continue;
		if (!c->md) {
			assert_procctl_fails(EFAULT, (idtype_t)77, 0, c->cmd, NULL);
			assert_procctl_fails(EFAULT, P_PGID, 0, c->cmd, NULL);
		}
		assert_procctl_fails(EFAULT, P_PID, (id_t)tl_unused_pid(), c->cmd, NULL);
	}
}

static void acquire_and_release_require_null_data(void **state)
{
	(void)state;
	int v = 0;
	assert_procctl_fails(EINVAL, P_PID, 0, PROC_REAP_ACQUIRE, &v);
	assert_procctl_fails(EINVAL, P_PID, 0, PROC_REAP_RELEASE, &v);
	/* Checked before the id type and before the lookup. */
	assert_procctl_fails(EINVAL, (idtype_t)77, 0, PROC_REAP_ACQUIRE, &v);
	assert_procctl_fails(EINVAL, P_PID, (id_t)tl_unused_pid(), PROC_REAP_RELEASE, &v);
}

static void id_types_other_than_pid_and_pgid_are_einval(void **state)
{
	(void)state;
	const idtype_t bad[] = { P_ALL, (idtype_t)3 /* P_PIDFD */, (idtype_t)77 };
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct cmd_info *c = &commands[i];
		if (is_kpti_ctl(c->cmd) && !tl_has_cap(CAP_SYS_RAWIO))
			continue;   /* EPERM comes first there; see test-x86 */
		for (size_t j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			union any_data d;
			void *data = valid_data(c, &d);
			errno = 0;
			if (procctl(bad[j], 0, c->cmd, data) != -1 || errno != EINVAL)
				fail_msg("%s with id type %d: errno %d", c->name, bad[j], errno);
		}
	}
}

static void single_process_commands_refuse_a_process_group(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct cmd_info *c = &commands[i];
		if (c->pgid || (is_kpti_ctl(c->cmd) && !tl_has_cap(CAP_SYS_RAWIO)))
			continue;
		union any_data d;
		void *data = valid_data(c, &d);
		errno = 0;
		if (procctl(P_PGID, (id_t)getpgrp(), c->cmd, data) != -1 || errno != EINVAL)
			fail_msg("%s with P_PGID: errno %d", c->name, errno);
	}
}

static void a_missing_pid_is_esrch_except_for_pdeathsig(void **state)
{
	(void)state;
	const id_t missing[] = { (id_t)tl_unused_pid(), (id_t)INT_MAX, (id_t)-5 };
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct cmd_info *c = &commands[i];
		int expected = ESRCH;
		if (c->cmd == PROC_PDEATHSIG_CTL || c->cmd == PROC_PDEATHSIG_STATUS)
			expected = EINVAL;
		if (is_kpti_ctl(c->cmd) && !tl_has_cap(CAP_SYS_RAWIO))
			expected = EPERM;
		for (size_t j = 0; j < sizeof(missing) / sizeof(missing[0]); j++) {
			union any_data d;
			void *data = valid_data(c, &d);
			errno = 0;
			if (procctl(P_PID, missing[j], c->cmd, data) != -1 || errno != expected)
				fail_msg("%s on pid %u: errno %d, expected %d", c->name,
				    missing[j], errno, expected);
		}
	}
}

static void a_missing_process_group_is_esrch(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct cmd_info *c = &commands[i];
		if (!c->pgid)
			continue;
		union any_data d;
		void *data = valid_data(c, &d);
		assert_procctl_fails(ESRCH, P_PGID, (id_t)tl_unused_pid(), c->cmd, data);
		assert_procctl_fails(ESRCH, P_PGID, 0, c->cmd, data);
	}
}

static void id_zero_and_the_own_pid_both_mean_the_caller(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct cmd_info *c = &commands[i];
		if (c->in || !c->out || c->cmd == PROC_REAP_STATUS)
			continue;
		int by_zero = 0x5555, by_pid = 0x6666;
		assert_procctl_ok(P_PID, 0, c->cmd, &by_zero);
		assert_procctl_ok(P_PID, (id_t)getpid(), c->cmd, &by_pid);
		if (by_zero != by_pid)
			fail_msg("%s: %#x by id 0, %#x by own pid", c->name, by_zero, by_pid);
	}
}

static void errno_is_untouched_on_success(void **state)
{
	(void)state;
	int v;
	errno = 1234;
	assert_int_equal(procctl(P_PID, 0, PROC_TRACE_STATUS, &v), 0);
	assert_int_equal(errno, 1234);
}

static void a_failed_status_writes_nothing(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct cmd_info *c = &commands[i];
		if (c->in || !c->out)
			continue;
		union any_data d;
		memset(&d, 0xa5, sizeof(d));
		assert_int_equal(procctl(P_PID, (id_t)tl_unused_pid(), c->cmd, &d), -1);
		for (size_t b = 0; b < sizeof(d); b++)
			assert_int_equal(((unsigned char *)&d)[b], 0xa5);
	}
}

struct bad_pages {
	char *base;     /* [read-only][PROT_NONE][unmapped] */
	size_t page;
};

static struct bad_pages map_bad_pages(void)
{
	struct bad_pages p;
	p.page = (size_t)sysconf(_SC_PAGESIZE);
	p.base = mmap(NULL, 3 * p.page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p.base != MAP_FAILED);
	assert_int_equal(mprotect(p.base, p.page, PROT_READ), 0);
	assert_int_equal(mprotect(p.base + p.page, p.page, PROT_NONE), 0);
	assert_int_equal(munmap(p.base + 2 * p.page, p.page), 0);
	return p;
}

static void every_bad_pointer_is_efault(void **state)
{
	(void)state;
	struct bad_pages p = map_bad_pages();
	void *unreadable[] = {
		NULL, (void *)1, p.base + p.page, p.base + 2 * p.page,
		(void *)0xffff800000000000ULL, (void *)0x0000800000000000ULL,
		p.base + p.page - 2,    /* starts readable, runs into PROT_NONE */
	};
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct cmd_info *c = &commands[i];
		if (is_kpti_ctl(c->cmd) && !tl_has_cap(CAP_SYS_RAWIO))
			continue;
		if (!c->in && !c->out)
			continue;
		for (size_t j = 0; j < sizeof(unreadable) / sizeof(unreadable[0]); j++) {
			errno = 0;
			if (procctl(P_PID, 0, c->cmd, unreadable[j]) != -1 || errno != EFAULT)
				fail_msg("%s with data %p: errno %d", c->name, unreadable[j], errno);
		}
		if (c->out && !c->in) {
			/* Readable but not writable: the result cannot be stored. */
			errno = 0;
			if (procctl(P_PID, 0, c->cmd, p.base) != -1 || errno != EFAULT)
				fail_msg("%s into a read-only page: errno %d", c->name, errno);
		}
	}
	munmap(p.base, 2 * p.page);
}

struct hammer {
	int failures;
};

static void *call_repeatedly(void *arg)
{
	struct hammer *h = arg;
	const int cmds[] = { PROC_TRACE_STATUS, PROC_ASLR_STATUS,
	    PROC_NO_NEW_PRIVS_STATUS, PROC_WXMAP_STATUS, PROC_PDEATHSIG_STATUS };
	for (int i = 0; i < 300; i++) {
		int v;
		if (procctl(P_PID, 0, cmds[i % 5], &v) != 0)
			__atomic_add_fetch(&h->failures, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void calls_from_many_threads_at_once_all_succeed(void **state)
{
	(void)state;
	struct hammer h = { 0 };
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, call_repeatedly, &h), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(h.failures, 0);
}

static void calls_in_a_fork_child_of_a_threaded_process(void *arg)
{
	(void)arg;
	int v;
	CHECK_OK(P_PID, 0, PROC_TRACE_STATUS, &v);
	CHECK_OK(P_PID, 0, PROC_ASLR_STATUS, &v);
	CHECK_OK(P_PID, 0, PROC_REAP_ACQUIRE, NULL);
	CHECK_OK(P_PID, 0, PROC_REAP_RELEASE, NULL);
}

static void *busy_thread(void *arg)
{
	struct hammer *h = arg;
	while (!__atomic_load_n(&h->failures, __ATOMIC_RELAXED))
		call_repeatedly(&(struct hammer){ 0 });
	return NULL;
}

static void a_fork_child_of_a_busy_threaded_caller_can_call(void **state)
{
	(void)state;
	struct hammer stop = { 0 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, busy_thread, &stop), 0);
	for (int i = 0; i < 5; i++)
		run_in_child(calls_in_a_fork_child_of_a_threaded_process, NULL);
	__atomic_store_n(&stop.failures, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
}

static pid_t find_kernel_thread(void)
{
	DIR *d = opendir("/proc");
	if (d == NULL)
		return 0;
	struct dirent *de;
	pid_t found = 0;
	while (found == 0 && (de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		FILE *f = fopen(path, "re");
		if (f == NULL)
			continue;
		char buf[1024];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		char *p = strrchr(buf, ')');
		unsigned long flags = 0;
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %lu", &flags) == 1 &&
		    (flags & 0x00200000UL))
			found = (pid_t)pid;
	}
	closedir(d);
	return found;
}

static void a_kernel_thread_cannot_be_debugged(void **state)
{
	(void)state;
	pid_t kthread = find_kernel_thread();
	if (kthread == 0)
		tl_skip("no kernel thread is visible in this pid namespace");
	int v = PROC_ASLR_NOFORCE;
	assert_procctl_fails(EPERM, P_PID, (id_t)kthread, PROC_ASLR_CTL, &v);
	/* Seeing it is allowed. */
	assert_procctl_ok(P_PID, (id_t)kthread, PROC_NO_NEW_PRIVS_STATUS, &v);
}

static void another_users_process_cannot_be_debugged(void **state)
{
	(void)state;
	if (tl_has_cap(CAP_SYS_PTRACE))
		tl_skip("the caller holds CAP_SYS_PTRACE and may debug every process");
	/* On a VM PID 1 is root's; in a container run as one user it is ours. */
	pid_t other = tl_is_ns_init() ? 0 : tl_other_uid_process();
	if (other == 0)
		tl_skip("no process of another uid is visible here to aim at");
	int v = PROC_ASLR_NOFORCE;
	assert_procctl_fails(EPERM, P_PID, (id_t)other, PROC_ASLR_CTL, &v);
	assert_procctl_fails(EPERM, P_PID, (id_t)other, PROC_TRACE_CTL, &v);
	/* The right to see is enough for a status. */
	assert_procctl_ok(P_PID, (id_t)other, PROC_NO_NEW_PRIVS_STATUS, &v);
}

static void another_process_status_comes_from_proc(void **state)
{
	(void)state;
	pid_t pid = tl_spawn_pause();
	int v = 0x5555;
	assert_procctl_ok(P_PID, (id_t)pid, PROC_NO_NEW_PRIVS_STATUS, &v);
	int own;
	assert_procctl_ok(P_PID, 0, PROC_NO_NEW_PRIVS_STATUS, &own);
	assert_int_equal(v, own);
	assert_procctl_ok(P_PID, (id_t)pid, PROC_ASLR_STATUS, &v);
	assert_procctl_ok(P_PID, 0, PROC_ASLR_STATUS, &own);
	assert_int_equal(v & (int)PROC_ASLR_ACTIVE, own & (int)PROC_ASLR_ACTIVE);
	tl_kill_and_reap(pid);
}

static void a_zombie_is_esrch(void **state)
{
	(void)state;
	pid_t pid = tl_spawn_pause();
	kill(pid, SIGKILL);
	assert_true(tl_wait_state(pid, "Z", 5000));
	int v;
	assert_procctl_fails(ESRCH, P_PID, (id_t)pid, PROC_TRACE_STATUS, &v);
	assert_procctl_fails(ESRCH, P_PID, (id_t)pid, PROC_NO_NEW_PRIVS_STATUS, &v);
	assert_int_equal(tl_wait(pid, 5000) != -1, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_commands_are_einval),
		cmocka_unit_test(a_bad_pointer_is_efault_before_the_id_is_looked_at),
		cmocka_unit_test(acquire_and_release_require_null_data),
		cmocka_unit_test(id_types_other_than_pid_and_pgid_are_einval),
		cmocka_unit_test(single_process_commands_refuse_a_process_group),
		cmocka_unit_test(a_missing_pid_is_esrch_except_for_pdeathsig),
		cmocka_unit_test(a_missing_process_group_is_esrch),
		cmocka_unit_test(id_zero_and_the_own_pid_both_mean_the_caller),
		cmocka_unit_test(errno_is_untouched_on_success),
		cmocka_unit_test(a_failed_status_writes_nothing),
		cmocka_unit_test(every_bad_pointer_is_efault),
		cmocka_unit_test(calls_from_many_threads_at_once_all_succeed),
		cmocka_unit_test(a_fork_child_of_a_busy_threaded_caller_can_call),
		cmocka_unit_test(a_kernel_thread_cannot_be_debugged),
		cmocka_unit_test(another_users_process_cannot_be_debugged),
		cmocka_unit_test(another_process_status_comes_from_proc),
		cmocka_unit_test(a_zombie_is_esrch),
	};
	return TL_RUN(tests);
}
