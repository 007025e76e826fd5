/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proccontrol(1) run as a user runs it, on the real library: what -q
 * prints for a known state, what a command started through it observes,
 * what it does to another process, and how it refuses.
 */
#include "testlib.h"
#include "tooltest.h"

#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <unistd.h>

#define PROCCONTROL(o, ...) \
	tl_run_program((o), NULL, NULL, "LPC_PROCCONTROL", __VA_ARGS__, (char *)NULL)
#define PROCCONTROL_AFTER(o, setup, ...) \
	tl_run_program((o), (setup), NULL, "LPC_PROCCONTROL", __VA_ARGS__, (char *)NULL)

#define USAGE \
	"usage: proccontrol -m mode [-s enable|disable] -p pid\n" \
	"       proccontrol -m mode [-s enable|disable] command [argument ...]\n" \
	"       proccontrol -m mode -q [-p pid]\n" \
	"modes: aslr, trace, trapcap, protmax, stackgap, nonewprivs, wxmap, " \
	"kpti, la57, la48, logsigexit\n"

#define NOT_SUPPORTED "Operation not supported"

static char *tool(void)
{
	return getenv("LPC_PROCCONTROL");
}

static char *probe(void)
{
	return getenv("LPC_STATUS_PROBE");
}

static bool system_randomizes(void)
{
	return tl_read_long("/proc/sys/kernel/randomize_va_space", 2) != 0;
}

static bool have_mdwe(void)
{
	return prctl(66 /* PR_GET_MDWE */, 0, 0, 0, 0) >= 0;
}

/* Inherited from whoever started the tests: W^X cannot be lifted. */
static bool mdwe_is_on(void)
{
	return prctl(66 /* PR_GET_MDWE */, 0, 0, 0, 0) > 0;
}

static bool pti_active(void)
{
	char buf[64] = "";
	FILE *f = fopen("/sys/devices/system/cpu/vulnerabilities/meltdown", "re");
	if (f != NULL) {
		if (fgets(buf, sizeof(buf), f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	return strncmp(buf, "Mitigation: PTI", 15) == 0;
}

/* What -q prints for a freshly executed image that nothing was asked of. */
static const char *fresh_aslr(void)
{
	return system_randomizes() ? "not forced, active\n" : "not forced, not active\n";
}

static const char *fresh_kpti(void)
{
	return pti_active() ? "enabled, active\n" : "disabled, not active\n";
}

static void clear_no_randomize(void *arg)
{
	(void)arg;
	int persona = personality(0xffffffff);
	CHECK(persona >= 0);
	CHECK(personality((unsigned long)persona & ~(unsigned long)ADDR_NO_RANDOMIZE) >= 0);
}

/* ---- -q on proccontrol itself ---- */

static void a_fresh_process_reads_as_on_freebsd(void **state)
{
	(void)state;
	if (tl_status_field(getpid(), "NoNewPrivs") == 1)
		tl_skip("this test runs with no_new_privs already set");
	if (mdwe_is_on())
		tl_skip("this test runs with memory-deny-write-execute already on");

	static const struct { const char *mode; const char *text; } fresh[] = {
		{ "trace", "enabled, no debugger\n" },
		{ "trapcap", "disabled\n" },
		{ "protmax", "not forced, not active\n" },
		{ "stackgap", "enabled\nenabled after exec\n" },
		{ "nonewprivs", "disabled\n" },
		{ "wxmap", "disabled\n" },
		{ "la57", "default on exec, la48 active\n" },
		{ "la48", "default on exec, la48 active\n" },
		{ "logsigexit", "not forced\n" },
	};
	struct tl_output o;
	for (size_t i = 0; i < sizeof(fresh) / sizeof(fresh[0]); i++) {
		PROCCONTROL(&o, "-m", fresh[i].mode, "-q");
		tl_assert_output(&o, 0, fresh[i].text, "");
	}
	PROCCONTROL_AFTER(&o, clear_no_randomize, "-m", "aslr", "-q");
	tl_assert_output(&o, 0, fresh_aslr(), "");
	PROCCONTROL(&o, "-m", "kpti", "-q");
	tl_assert_output(&o, 0, fresh_kpti(), "");
}

static void set_no_new_privs(void *arg)
{
	(void)arg;
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
}

static void set_mdwe(void *arg)
{
	(void)arg;
	CHECK(prctl(65 /* PR_SET_MDWE */, 1 /* REFUSE_EXEC_GAIN */, 0, 0, 0) == 0);
}

static void disable_aslr(void *arg)
{
	(void)arg;
	int v = PROC_ASLR_FORCE_DISABLE;
	CHECK_OK(P_PID, 0, PROC_ASLR_CTL, &v);
}

/* Where a container's profile refuses personality(ADDR_NO_RANDOMIZE). */
static void disable_aslr_refused(void *arg)
{
	(void)arg;
	int v = PROC_ASLR_FORCE_DISABLE;
	CHECK_FAILS(ENOTSUP, P_PID, 0, PROC_ASLR_CTL, &v);
}

/* proccontrol failed, saying ENOTSUP. */
static void assert_refused(const struct tl_output *o)
{
	if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != 1 ||
	    strstr(o->err, strerror(ENOTSUP)) == NULL)
		fail_msg("expected exit 1 and ENOTSUP, got status %#x, errors '%s'", o->status,
		    o->err);
}

static void inherited_settings_read_as_on_freebsd(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL_AFTER(&o, set_no_new_privs, "-m", "nonewprivs", "-q");
	tl_assert_output(&o, 0, "enabled\n", "");
	if (tl_aslr_refusal() != 0) {
		PROCCONTROL_AFTER(&o, disable_aslr_refused, "-m", "aslr", "-q");
		tl_assert_output(&o, 0, fresh_aslr(), "");
	} else {
		PROCCONTROL_AFTER(&o, disable_aslr, "-m", "aslr", "-q");
		tl_assert_output(&o, 0, "force disabled, not active\n", "");
	}
	if (!have_mdwe())
		tl_skip("this kernel has no memory-deny-write-execute (Linux 6.3+)");
	PROCCONTROL_AFTER(&o, set_mdwe, "-m", "wxmap", "-q");
	tl_assert_output(&o, 0, "disabled, disabled on exec, wxorx enforced\n", "");
}

static void query_wins_over_a_setting(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL_AFTER(&o, clear_no_randomize, "-m", "aslr", "-s", "disable", "-q");
	tl_assert_output(&o, 0, fresh_aslr(), "");
}

/* ---- -s with a command: the command observes the change ---- */

static void aslr_disable_gives_the_command_a_fixed_image(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL(&o, "-m", "aslr", "-s", "disable", tool(), "-m", "aslr", "-q");
	if (tl_aslr_refusal() != 0) {
		/* Refused by a container's profile: the command is not run. */
		assert_refused(&o);
		assert_string_equal(o.out, "");
		return;
	}
	tl_assert_output(&o, 0, "force disabled, not active\n", "");

	char first[TL_OUTPUT_MAX];
	PROCCONTROL(&o, "-m", "aslr", "-s", "disable", probe(), "stack_address");
	assert_true(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0);
	memcpy(first, o.out, sizeof(first));
	PROCCONTROL(&o, "-m", "aslr", "-s", "disable", probe(), "stack_address");
	assert_string_equal(o.out, first);
}

static void aslr_enable_gives_the_command_a_randomized_image(void **state)
{
	(void)state;
	if (!system_randomizes())
		tl_skip("kernel.randomize_va_space is 0 on this machine");
	struct tl_output o;
	PROCCONTROL_AFTER(&o, tl_aslr_refusal() != 0 ? disable_aslr_refused : disable_aslr,
	    "-m", "aslr", "-s", "enable", tool(), "-m", "aslr", "-q");
	tl_assert_output(&o, 0, "not forced, active\n", "");
}

static void nonewprivs_enable_reaches_the_command(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL(&o, "-m", "nonewprivs", "-s", "enable", tool(), "-m", "nonewprivs", "-q");
	tl_assert_output(&o, 0, "enabled\n", "");
}

static void wxmap_disable_forbids_wx_in_the_command(void **state)
{
	(void)state;
	if (!have_mdwe())
		tl_skip("this kernel has no memory-deny-write-execute (Linux 6.3+)");
	struct tl_output o;
	PROCCONTROL(&o, "-m", "wxmap", "-s", "disable", tool(), "-m", "wxmap", "-q");
	tl_assert_output(&o, 0, "disabled, disabled on exec, wxorx enforced\n", "");
	PROCCONTROL(&o, "-m", "wxmap", "-s", "disable", probe(), "mmap_rwx_errno");
	tl_assert_output(&o, 0, "13\n", "");    /* EACCES */
}

static void wxmap_enable_lets_the_command_map_wx(void **state)
{
	(void)state;
	if (mdwe_is_on())
		tl_skip("this test runs with memory-deny-write-execute already on");
	struct tl_output o;
	PROCCONTROL(&o, "-m", "wxmap", "-s", "enable", probe(), "mmap_rwx_errno");
	tl_assert_output(&o, 0, "0\n", "");
}

/* FreeBSD too turns tracing back on at execve unless DISABLE_EXEC is used. */
static void trace_disable_lasts_until_the_commands_execve(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL(&o, "-m", "trace", "-s", "disable", tool(), "-m", "trace", "-q");
	tl_assert_output(&o, 0, "enabled, no debugger\n", "");
}

/*
 * Settings Linux already has run the command; the choice itself is kept in
 * the library's memory and forgotten at execve (docs/COMPAT.md).
 */
static void settings_linux_has_anyway_run_the_command(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL(&o, "-m", "stackgap", "-s", "enable", tool(), "-m", "stackgap", "-q");
	tl_assert_output(&o, 0, "enabled\nenabled after exec\n", "");
	PROCCONTROL(&o, "-m", "protmax", "-s", "disable", tool(), "-m", "protmax", "-q");
	tl_assert_output(&o, 0, "not forced, not active\n", "");
	PROCCONTROL(&o, "-m", "la48", "-s", "enable", tool(), "-m", "la48", "-q");
	tl_assert_output(&o, 0, "default on exec, la48 active\n", "");
	PROCCONTROL(&o, "-m", "la57", "-s", "disable", tool(), "-m", "la57", "-q");
	tl_assert_output(&o, 0, "default on exec, la48 active\n", "");
	PROCCONTROL(&o, "-m", "trapcap", "-s", "disable", tool(), "-m", "trapcap", "-q");
	tl_assert_output(&o, 0, "disabled\n", "");
}

static void requests_linux_cannot_honour_say_why(void **state)
{
	(void)state;
	static const struct { const char *mode, *setting, *message; } refused[] = {
		{ "protmax", "enable", "proccontrol: procctl ctl: " NOT_SUPPORTED
		  ": Linux has no implicit PROT_MAX for mmap(2)\n" },
		{ "stackgap", "disable", "proccontrol: procctl ctl: " NOT_SUPPORTED
		  ": Linux keeps stack guard gaps for every process and cannot turn them off\n" },
		{ "la57", "enable", "proccontrol: procctl ctl: " NOT_SUPPORTED
		  ": Linux gives 57-bit addresses to single mappings, never to a whole program\n" },
		{ "nonewprivs", "disable", "proccontrol: procctl ctl: Invalid argument"
		  ": no-new-privileges cannot be turned off once it is on\n" },
		{ "trapcap", "enable", "proccontrol: trapcap: Linux cannot keep the trapcap "
		  "flag across execve; the command would run without it\n" },
	};
	struct tl_output o;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		/* The command would print; it must not have run. */
		PROCCONTROL(&o, "-m", refused[i].mode, "-s", refused[i].setting,
		    probe(), "nnp");
		tl_assert_output(&o, 1, "", refused[i].message);
	}
}

static void logsigexit_follows_the_system_setting(void **state)
{
	(void)state;
	long print_fatal = tl_read_long("/proc/sys/kernel/print-fatal-signals", 0);
	long exception_trace = tl_read_long("/proc/sys/debug/exception-trace", 0);
	struct tl_output o;

	PROCCONTROL(&o, "-m", "logsigexit", "-s", "enable", probe(), "nnp");
	if (print_fatal != 0)
		tl_assert_output(&o, 0, "2\n", "");
	else
		tl_assert_output(&o, 1, "", "proccontrol: procctl ctl: " NOT_SUPPORTED
		    ": Linux logs deaths by signal only system-wide, and "
		    "kernel.print-fatal-signals is 0\n");

	PROCCONTROL(&o, "-m", "logsigexit", "-s", "disable", probe(), "nnp");
	if (print_fatal == 0 && exception_trace == 0)
		tl_assert_output(&o, 0, "2\n", "");
	else
		tl_assert_output(&o, 1, "", "proccontrol: procctl ctl: " NOT_SUPPORTED
		    ": Linux logs deaths by signal system-wide, and "
		    "kernel.print-fatal-signals or debug.exception-trace is on\n");
}

static void kpti_follows_the_system_and_needs_rawio(void **state)
{
	(void)state;
	struct tl_output o;
	const char *same = pti_active() ? "enable" : "disable";
	const char *other = pti_active() ? "disable" : "enable";

	PROCCONTROL(&o, "-m", "kpti", "-s", same, tool(), "-m", "kpti", "-q");
	if (!tl_has_cap(CAP_SYS_RAWIO)) {
		tl_assert_output(&o, 1, "", "proccontrol: procctl ctl: Operation not "
		    "permitted: changing it needs CAP_SYS_RAWIO\n");
		return;
	}
	tl_assert_output(&o, 0, fresh_kpti(), "");
	PROCCONTROL(&o, "-m", "kpti", "-s", other, probe(), "nnp");
	tl_assert_output(&o, 1, "", "proccontrol: procctl ctl: " NOT_SUPPORTED
	    ": Linux isolates kernel page tables for every process or for none "
	    "(boot option pti=)\n");
}

static void the_command_keeps_its_arguments_and_exit_status(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL(&o, "-m", "stackgap", "-s", "enable", "sh", "-c", "echo $0 $1; exit 7",
	    "-m", "-q");
	tl_assert_output(&o, 7, "-m -q\n", "");
}

static void a_command_that_cannot_run_exits_1(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL(&o, "-m", "stackgap", "-s", "enable", "/nonexistent/command");
	tl_assert_output(&o, 1, "",
	    "proccontrol: exec /nonexistent/command: No such file or directory\n");
}

/* ---- -p: another process ---- */

/* A fresh image (sleep) that waits to be looked at. */
static pid_t spawn_sleeper(void (*setup)(void *arg))
{
	pid_t pid = tl_fork();
	if (pid == 0) {
		if (setup != NULL)
			setup(NULL);
		execlp("sleep", "sleep", "600", (char *)NULL);
		_exit(127);
	}
	/* Wait until it is sleep, not the test program it was forked from. */
	char path[64], comm[32] = "";
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	for (int tries = 0; tries < 10000 && strcmp(comm, "sleep\n") != 0; tries++) {
		FILE *f = fopen(path, "re");
		if (f != NULL) {
			if (fgets(comm, sizeof(comm), f) == NULL)
				comm[0] = '\0';
			fclose(f);
		}
		usleep(1000);
	}
	/*
	 * Then asleep in it: the new image is still being loaded just after
	 * its exec, and a command that goes inside (the remote engine) would
	 * meet it in uninterruptible sleep (a page read in) on a loaded machine.
	 */
	if (strcmp(comm, "sleep\n") != 0 || !tl_wait_state(pid, "S", 5000)) {
		tl_kill_and_reap(pid);
		fail_msg("the sleep helper did not start");
	}
	return pid;
}

static char *pid_text(pid_t pid, char buf[static 16])
{
	snprintf(buf, 16, "%d", (int)pid);
	return buf;
}

static void another_process_reads_as_on_freebsd(void **state)
{
	(void)state;
	static const struct { const char *mode; const char *text; } expected[] = {
		{ "trace", "enabled, no debugger\n" },
		{ "protmax", "not forced, not active\n" },
		{ "stackgap", "enabled\nenabled after exec\n" },
		{ "nonewprivs", "disabled\n" },
		{ "la57", "default on exec, la48 active\n" },
		{ "la48", "default on exec, la48 active\n" },
		{ "logsigexit", "not forced\n" },
	};
	if (tl_status_field(getpid(), "NoNewPrivs") == 1)
		tl_skip("this test runs with no_new_privs already set");
	char id[16];
	pid_t pid = spawn_sleeper(clear_no_randomize);
	struct tl_output o;
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		PROCCONTROL(&o, "-m", expected[i].mode, "-q", "-p", pid_text(pid, id));
		tl_assert_output(&o, 0, expected[i].text, "");
	}
	PROCCONTROL(&o, "-m", "aslr", "-q", "-p", id);
	tl_assert_output(&o, 0, fresh_aslr(), "");
	PROCCONTROL(&o, "-m", "kpti", "-q", "-p", id);
	tl_assert_output(&o, 0, fresh_kpti(), "");
	/* The trapcap flag lives in the target's own memory. */
	PROCCONTROL(&o, "-m", "trapcap", "-q", "-p", id);
	tl_assert_output(&o, 1, "", "proccontrol: procctl status: " NOT_SUPPORTED
	    ": Linux cannot do this to another process here; see procctl(3)\n");
	/* MDWE is hidden from /proc: the remote engine asks inside. */
	PROCCONTROL(&o, "-m", "wxmap", "-q", "-p", id);
	tl_assert_output(&o, 0, "disabled\n", "");
	tl_kill_and_reap(pid);

	pid = spawn_sleeper(set_no_new_privs);
	PROCCONTROL(&o, "-m", "nonewprivs", "-q", "-p", pid_text(pid, id));
	tl_assert_output(&o, 0, "enabled\n", "");
	tl_kill_and_reap(pid);
}

static void another_process_with_tracing_disabled(void **state)
{
	(void)state;
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t pid = tl_fork();
	if (pid == 0) {
		int v = PROC_TRACE_CTL_DISABLE;
		CHECK_OK(P_PID, 0, PROC_TRACE_CTL, &v);
		CHECK(write(ready[1], "x", 1) == 1);
		for (;;)
			pause();
	}
	char c, id[16];
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	close(ready[1]);
	struct tl_output o;
	PROCCONTROL(&o, "-m", "trace", "-q", "-p", pid_text(pid, id));
	tl_assert_output(&o, 0, "disabled\n", "");
	tl_kill_and_reap(pid);
}

static void another_process_being_traced(void **state)
{
	(void)state;
	pid_t pid = spawn_sleeper(NULL);
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) != 0) {
		int err = errno;
		tl_kill_and_reap(pid);
		tl_skip("ptrace is refused here: %s", strerror(err));
	}
	char id[16], expected[64];
	snprintf(expected, sizeof(expected), "enabled, traced by %d\n", (int)getpid());
	struct tl_output o;
	PROCCONTROL(&o, "-m", "trace", "-q", "-p", pid_text(pid, id));
	tl_assert_output(&o, 0, expected, "");
	PROCCONTROL(&o, "-m", "trace", "-s", "disable", "-p", id);
	tl_assert_output(&o, 1, "", "proccontrol: procctl ctl: Device or resource busy"
	    ": the process is being traced\n");
	tl_kill_and_reap(pid);
}

static void enabling_tracing_of_another_process_is_refused(void **state)
{
	(void)state;
	char id[16];
	pid_t pid = spawn_sleeper(NULL);
	struct tl_output o;
	PROCCONTROL(&o, "-m", "trace", "-s", "enable", "-p", pid_text(pid, id));
	tl_assert_output(&o, 1, "", "proccontrol: procctl ctl: Operation not permitted"
	    ": only a process itself may enable tracing of itself\n");
	tl_kill_and_reap(pid);
}

static void settings_linux_has_anyway_succeed_on_another_process(void **state)
{
	(void)state;
	char id[16];
	pid_t pid = spawn_sleeper(NULL);
	struct tl_output o;
	PROCCONTROL(&o, "-m", "protmax", "-s", "disable", "-p", pid_text(pid, id));
	tl_assert_output(&o, 0, "", "");
	PROCCONTROL(&o, "-m", "stackgap", "-s", "enable", "-p", id);
	tl_assert_output(&o, 0, "", "");
	PROCCONTROL(&o, "-m", "la48", "-s", "enable", "-p", id);
	tl_assert_output(&o, 0, "", "");
	tl_kill_and_reap(pid);
}

/* The change must be made inside the other process, and be seen there. */
static void check_remote_change(const char *mode, const char *setting, pid_t pid,
    bool (*changed)(pid_t pid))
{
	char id[16];
	struct tl_output o;
	PROCCONTROL(&o, "-m", mode, "-s", setting, "-p", pid_text(pid, id));
	tl_assert_output(&o, 0, "", "");
	assert_true(changed(pid));
}

static bool has_no_randomize(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/personality", (int)pid);
	FILE *f = fopen(path, "re");
	unsigned long persona = 0;
	if (f != NULL) {
		if (fscanf(f, "%lx", &persona) != 1)
			persona = 0;
		fclose(f);
	}
	return (persona & ADDR_NO_RANDOMIZE) != 0;
}

static bool has_no_new_privs(pid_t pid)
{
	return tl_status_field(pid, "NoNewPrivs") == 1;
}

static bool has_mdwe(pid_t pid)
{
	/* Linux shows no MDWE in /proc; only the remote engine can ask. */
	int v = 0;
	return procctl(P_PID, (id_t)pid, PROC_WXMAP_STATUS, &v) == 0 &&
	    (v & PROC_WX_MAPPINGS_DISALLOW_EXEC) != 0;
}

static bool is_not_dumpable(pid_t pid)
{
	int v = 0;
	return procctl(P_PID, (id_t)pid, PROC_TRACE_STATUS, &v) == 0 && v == -1;
}

static void changes_inside_another_process(void **state)
{
	(void)state;
	if (tl_status_field(getpid(), "NoNewPrivs") == 1)
		tl_skip("this test runs with no_new_privs already set");
	pid_t pid = spawn_sleeper(clear_no_randomize);
	if (tl_aslr_refusal() != 0) {
		/* A container's profile refuses it there as here. */
		char id[16];
		struct tl_output o;
		PROCCONTROL(&o, "-m", "aslr", "-s", "disable", "-p", pid_text(pid, id));
		assert_refused(&o);
		assert_false(has_no_randomize(pid));
	} else {
		check_remote_change("aslr", "disable", pid, has_no_randomize);
	}
	check_remote_change("nonewprivs", "enable", pid, has_no_new_privs);
	if (have_mdwe())
		check_remote_change("wxmap", "disable", pid, has_mdwe);
	/* Last: it closes the process to unprivileged debuggers. */
	check_remote_change("trace", "disable", pid, is_not_dumpable);
	if (!tl_has_cap(CAP_SYS_PTRACE)) {
		/* As on FreeBSD, a process with tracing disabled refuses them. */
		char id[16];
		struct tl_output o;
		PROCCONTROL(&o, "-m", "aslr", "-s", "enable", "-p", pid_text(pid, id));
		tl_assert_output(&o, 1, "", "proccontrol: procctl ctl: Operation not permitted\n");
	}
	tl_kill_and_reap(pid);
}

static void an_unknown_pid_is_no_such_process(void **state)
{
	(void)state;
	char id[16];
	pid_text(tl_unused_pid(), id);
	struct tl_output o;
	PROCCONTROL(&o, "-m", "aslr", "-q", "-p", id);
	tl_assert_output(&o, 1, "", "proccontrol: procctl status: No such process\n");
	PROCCONTROL(&o, "-m", "nonewprivs", "-s", "enable", "-p", id);
	tl_assert_output(&o, 1, "", "proccontrol: procctl ctl: No such process\n");
}

/* ---- the command line ---- */

static void bad_arguments_print_the_usage_and_exit_1(void **state)
{
	(void)state;
	static char *const bad[][8] = {
		{ NULL },
		{ "-q", NULL },                                     /* no mode */
		{ "-m", "aslr", "-m", "trace", "-q", NULL },        /* two modes */
		{ "-m", "aslr", "-s", "maybe", "-p", "1", NULL },
		{ "-m", "aslr", "-q", "true", NULL },               /* -q and a command */
		{ "-m", "aslr", "-p", "1", "true", NULL },          /* -p and a command */
		{ "-m", "aslr", NULL },                             /* nothing to act on */
		{ "-m", "aslr", "-s", "enable", NULL },
		{ "-m", NULL },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_usage_error("LPC_PROCCONTROL", bad[i], USAGE);
}

static void bad_values_are_named_before_the_usage(void **state)
{
	(void)state;
	struct tl_output o;
	PROCCONTROL(&o, "-m", "bogus", "-q");
	tl_assert_output(&o, 1, "", "proccontrol: unknown mode: bogus\n" USAGE);
	PROCCONTROL(&o, "-m", "aslr", "-q", "-p", "12abc");
	tl_assert_output(&o, 1, "", "proccontrol: invalid process id: 12abc\n" USAGE);
	PROCCONTROL(&o, "-m", "aslr", "-q", "-p", "-3");
	tl_assert_output(&o, 1, "", "proccontrol: invalid process id: -3\n" USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_fresh_process_reads_as_on_freebsd),
		cmocka_unit_test(inherited_settings_read_as_on_freebsd),
		cmocka_unit_test(query_wins_over_a_setting),
		cmocka_unit_test(aslr_disable_gives_the_command_a_fixed_image),
		cmocka_unit_test(aslr_enable_gives_the_command_a_randomized_image),
		cmocka_unit_test(nonewprivs_enable_reaches_the_command),
		cmocka_unit_test(wxmap_disable_forbids_wx_in_the_command),
		cmocka_unit_test(wxmap_enable_lets_the_command_map_wx),
		cmocka_unit_test(trace_disable_lasts_until_the_commands_execve),
		cmocka_unit_test(settings_linux_has_anyway_run_the_command),
		cmocka_unit_test(requests_linux_cannot_honour_say_why),
		cmocka_unit_test(logsigexit_follows_the_system_setting),
		cmocka_unit_test(kpti_follows_the_system_and_needs_rawio),
		cmocka_unit_test(the_command_keeps_its_arguments_and_exit_status),
		cmocka_unit_test(a_command_that_cannot_run_exits_1),
		cmocka_unit_test(another_process_reads_as_on_freebsd),
		cmocka_unit_test(another_process_with_tracing_disabled),
		cmocka_unit_test(another_process_being_traced),
		cmocka_unit_test(enabling_tracing_of_another_process_is_refused),
		cmocka_unit_test(settings_linux_has_anyway_succeed_on_another_process),
		cmocka_unit_test(changes_inside_another_process),
		cmocka_unit_test(an_unknown_pid_is_no_such_process),
		cmocka_unit_test(bad_arguments_print_the_usage_and_exit_1),
		cmocka_unit_test(bad_values_are_named_before_the_usage),
	};
	return TL_RUN(tests);
}
