/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proccontrol(1) against a stand-in procctl() (tests/helpers/fake-procctl.c):
 * the exact call each option makes, FreeBSD's words for every status value
 * (also those this Linux never reports), and the messages for each errno.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#include "tooltest.h"

#define USAGE_FIRST_LINE "usage: proccontrol -m mode [-s enable|disable] -p pid\n"

#define PROCCONTROL(o, answer, ...) tl_run_program((o), fake_preload, (void *)(answer), \
	"LPC_PROCCONTROL", __VA_ARGS__, (char *)NULL)

static const struct fake_answer succeed = { NULL, 0 };

static const struct {
	const char *mode;
	int ctl;
	int enable, disable;
} settings[] = {
	{ "aslr", PROC_ASLR_CTL, PROC_ASLR_FORCE_ENABLE, PROC_ASLR_FORCE_DISABLE },
	{ "trace", PROC_TRACE_CTL, PROC_TRACE_CTL_ENABLE, PROC_TRACE_CTL_DISABLE },
	{ "trapcap", PROC_TRAPCAP_CTL, PROC_TRAPCAP_CTL_ENABLE, PROC_TRAPCAP_CTL_DISABLE },
	{ "protmax", PROC_PROTMAX_CTL, PROC_PROTMAX_FORCE_ENABLE, PROC_PROTMAX_FORCE_DISABLE },
	{ "stackgap", PROC_STACKGAP_CTL, PROC_STACKGAP_ENABLE_EXEC,
	  PROC_STACKGAP_DISABLE | PROC_STACKGAP_DISABLE_EXEC },
	{ "nonewprivs", PROC_NO_NEW_PRIVS_CTL, PROC_NO_NEW_PRIVS_ENABLE,
	  PROC_NO_NEW_PRIVS_DISABLE },
	{ "wxmap", PROC_WXMAP_CTL, PROC_WX_MAPPINGS_PERMIT, PROC_WX_MAPPINGS_DISALLOW_EXEC },
#if defined(PROC_KPTI_CTL)
	{ "kpti", PROC_KPTI_CTL, PROC_KPTI_CTL_ENABLE_ON_EXEC, PROC_KPTI_CTL_DISABLE_ON_EXEC },
	{ "la57", PROC_LA_CTL, PROC_LA_CTL_LA57_ON_EXEC, PROC_LA_CTL_DEFAULT_ON_EXEC },
	{ "la48", PROC_LA_CTL, PROC_LA_CTL_LA48_ON_EXEC, PROC_LA_CTL_DEFAULT_ON_EXEC },
#endif
	{ "logsigexit", PROC_LOGSIGEXIT_CTL, PROC_LOGSIGEXIT_CTL_FORCE_ENABLE,
	  PROC_LOGSIGEXIT_CTL_FORCE_DISABLE },
};

static void each_setting_sends_freebsds_value(void **state)
{
	(void)state;
	struct tl_output o;
	char call[64];
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		const char *mode = settings[i].mode;
		snprintf(call, sizeof(call), "procctl(P_PID, 4242, %d, %d)\n",
		    settings[i].ctl, settings[i].enable);
		PROCCONTROL(&o, &succeed, "-m", mode, "-s", "enable", "-p", "4242");
		tl_assert_output(&o, 0, "", call);
		/* -s enable is the default. */
		PROCCONTROL(&o, &succeed, "-m", mode, "-p", "4242");
		tl_assert_output(&o, 0, "", call);

		snprintf(call, sizeof(call), "procctl(P_PID, 4242, %d, %d)\n",
		    settings[i].ctl, settings[i].disable);
		PROCCONTROL(&o, &succeed, "-m", mode, "-s", "disable", "-p", "4242");
		tl_assert_output(&o, 0, "", call);
	}
}

static void a_command_is_run_after_one_call_on_proccontrol_itself(void **state)
{
	(void)state;
	struct tl_output o;
	char call[64];
	snprintf(call, sizeof(call), "procctl(P_PID, self, %d, %d)\n",
	    PROC_ASLR_CTL, PROC_ASLR_FORCE_DISABLE);
	PROCCONTROL(&o, &succeed, "-m", "aslr", "-s", "disable", "sh", "-c", "echo ran");
	tl_assert_output(&o, 0, "ran\n", call);
}

static void a_refused_setting_does_not_run_the_command(void **state)
{
	(void)state;
	struct tl_output o;
	char expected[256];
	snprintf(expected, sizeof(expected), "procctl(P_PID, self, %d, %d)\n"
	    "proccontrol: procctl ctl: Operation not permitted\n",
	    PROC_ASLR_CTL, PROC_ASLR_FORCE_DISABLE);
	const struct fake_answer eperm = { NULL, EPERM };
	PROCCONTROL(&o, &eperm, "-m", "aslr", "-s", "disable", "sh", "-c", "echo ran");
	tl_assert_output(&o, 1, "", expected);
}

/* FreeBSD's words for each status value. */
static const struct {
	const char *mode;
	int cmd;
	const char *status;
	const char *text;
} statuses[] = {
	{ "aslr", PROC_ASLR_STATUS, "1", "force enabled, not active\n" },
	{ "aslr", PROC_ASLR_STATUS, "0x80000002", "force disabled, active\n" },
	{ "aslr", PROC_ASLR_STATUS, "0x80000003", "not forced, active\n" },
	{ "trace", PROC_TRACE_STATUS, "-1", "disabled\n" },
	{ "trace", PROC_TRACE_STATUS, "0", "enabled, no debugger\n" },
	{ "trace", PROC_TRACE_STATUS, "77", "enabled, traced by 77\n" },
	{ "trapcap", PROC_TRAPCAP_STATUS, "1", "enabled\n" },
	{ "trapcap", PROC_TRAPCAP_STATUS, "2", "disabled\n" },
	{ "protmax", PROC_PROTMAX_STATUS, "0x80000001", "force enabled, active\n" },
	{ "protmax", PROC_PROTMAX_STATUS, "2", "force disabled, not active\n" },
	{ "protmax", PROC_PROTMAX_STATUS, "3", "not forced, not active\n" },
	{ "stackgap", PROC_STACKGAP_STATUS, "5", "enabled\nenabled after exec\n" },
	{ "stackgap", PROC_STACKGAP_STATUS, "10", "disabled\ndisabled after exec\n" },
	{ "stackgap", PROC_STACKGAP_STATUS, "9", "enabled\ndisabled after exec\n" },
	{ "nonewprivs", PROC_NO_NEW_PRIVS_STATUS, "1", "enabled\n" },
	{ "nonewprivs", PROC_NO_NEW_PRIVS_STATUS, "2", "disabled\n" },
	{ "wxmap", PROC_WXMAP_STATUS, "0", "disabled\n" },
	{ "wxmap", PROC_WXMAP_STATUS, "1", "enabled\n" },
	{ "wxmap", PROC_WXMAP_STATUS, "0x80000002",
	  "disabled, disabled on exec, wxorx enforced\n" },
	{ "wxmap", PROC_WXMAP_STATUS, "3", "enabled, disabled on exec\n" },
#if defined(PROC_KPTI_CTL)
	{ "kpti", PROC_KPTI_STATUS, "0x80000001", "enabled, active\n" },
	{ "kpti", PROC_KPTI_STATUS, "2", "disabled, not active\n" },
	{ "la57", PROC_LA_STATUS, "0x02000002", "la57 on exec, la57 active\n" },
	{ "la57", PROC_LA_STATUS, "0x01000003", "default on exec, la48 active\n" },
	{ "la48", PROC_LA_STATUS, "0x01000001", "la48 on exec, la48 active\n" },
	{ "la48", PROC_LA_STATUS, "0x02000003", "default on exec, la57 active\n" },
#endif
	{ "logsigexit", PROC_LOGSIGEXIT_STATUS, "1", "not forced\n" },
	{ "logsigexit", PROC_LOGSIGEXIT_STATUS, "2", "force enabled\n" },
	{ "logsigexit", PROC_LOGSIGEXIT_STATUS, "3", "force disabled\n" },
};

static void each_status_is_worded_as_on_freebsd(void **state)
{
	(void)state;
	struct tl_output o;
	char call[64];
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		const struct fake_answer a = { statuses[i].status, 0 };
		snprintf(call, sizeof(call), "procctl(P_PID, self, %d)\n", statuses[i].cmd);
		PROCCONTROL(&o, &a, "-m", statuses[i].mode, "-q");
		tl_assert_output(&o, 0, statuses[i].text, call);

		snprintf(call, sizeof(call), "procctl(P_PID, 31, %d)\n", statuses[i].cmd);
		PROCCONTROL(&o, &a, "-m", statuses[i].mode, "-q", "-p", "31");
		tl_assert_output(&o, 0, statuses[i].text, call);
	}
}

static void pids_are_read_as_freebsd_reads_them(void **state)
{
	(void)state;
	struct tl_output o;
	char call[64];
	const struct fake_answer a = { "0", 0 };
	static const struct { const char *text; const char *id; } pids[] = {
		{ "0x10", "16" }, { "010", "8" }, { "0", "0" }, { "2147483647", "2147483647" },
	};
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		snprintf(call, sizeof(call), "procctl(P_PID, %s, %d)\n", pids[i].id,
		    PROC_TRACE_STATUS);
		PROCCONTROL(&o, &a, "-m", "trace", "-q", "-p", pids[i].text);
		tl_assert_output(&o, 0, "enabled, no debugger\n", call);
	}
	PROCCONTROL(&o, &a, "-m", "trace", "-q", "-p", "2147483648");
	assert_int_equal(WEXITSTATUS(o.status), 1);
	assert_non_null(strstr(o.err, "invalid process id: 2147483648\n" USAGE_FIRST_LINE));
}

static void each_errno_is_reported_with_its_reason(void **state)
{
	(void)state;
	static const struct {
		const char *mode, *setting, *pid;
		int err;
		const char *message;
	} cases[] = {
		{ "aslr", NULL, "31", ESRCH, "procctl status: No such process" },
		{ "aslr", "disable", "31", EPERM, "procctl ctl: Operation not permitted" },
		{ "aslr", "enable", "0", ENOTSUP, "procctl ctl: Operation not supported: "
		  "Linux cannot force randomization on while kernel.randomize_va_space is 0" },
		{ "aslr", "enable", "31", ENOTSUP, "procctl ctl: Operation not supported: "
		  "Linux cannot do this to another process here; see procctl(3)" },
		{ "aslr", "disable", "0", ENOTSUP, "procctl ctl: Operation not supported: "
		  "Linux cannot do this here; see procctl(3)" },
		{ "wxmap", "disable", "0", ENOTSUP, "procctl ctl: Operation not supported: "
		  "this kernel has no memory-deny-write-execute (Linux 6.3 or later)" },
		{ "wxmap", "enable", "31", EPERM, "procctl ctl: Operation not permitted: "
		  "W^X is already enforced (memory-deny-write-execute), and Linux cannot lift it" },
		{ "trace", "disable", "31", EBUSY,
		  "procctl ctl: Device or resource busy: the process is being traced" },
		{ "nonewprivs", "enable", "31", EINVAL, "procctl ctl: Invalid argument" },
		{ "trapcap", NULL, "31", ENOTSUP, "procctl status: Operation not supported: "
		  "Linux cannot do this to another process here; see procctl(3)" },
	};
	struct tl_output o;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fake_answer a = { NULL, cases[i].err };
		if (cases[i].setting == NULL)
			PROCCONTROL(&o, &a, "-m", cases[i].mode, "-q", "-p", cases[i].pid);
		else
			PROCCONTROL(&o, &a, "-m", cases[i].mode, "-s", cases[i].setting,
			    "-p", cases[i].pid);
		char expected[256];
		snprintf(expected, sizeof(expected), "proccontrol: %s\n", cases[i].message);
		const char *message = strchr(o.err, '\n');
		assert_int_equal(WEXITSTATUS(o.status), 1);
		assert_non_null(message);
		assert_string_equal(message + 1, expected);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_setting_sends_freebsds_value),
		cmocka_unit_test(a_command_is_run_after_one_call_on_proccontrol_itself),
		cmocka_unit_test(a_refused_setting_does_not_run_the_command),
		cmocka_unit_test(each_status_is_worded_as_on_freebsd),
		cmocka_unit_test(pids_are_read_as_freebsd_reads_them),
		cmocka_unit_test(each_errno_is_reported_with_its_reason),
	};
	return TL_RUN(tests);
}
