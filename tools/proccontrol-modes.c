/* SPDX-License-Identifier: BSD-2-Clause */
#include "proccontrol-modes.h"

#include <errno.h>
#include <string.h>
#include <sys/procctl.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* names[value], or "unknown" for a value the table does not know. */
static const char *word_for(const char *const names[], size_t count, unsigned int value)
{
	if (value < count && names[value] != NULL)
		return names[value];
	return "unknown";
}

/* ASLR and PROTMAX share their values: a forced choice and an ACTIVE bit. */
static void print_forced(FILE *out, int status)
{
	static const char *const choice[] = {
		[PROC_ASLR_FORCE_ENABLE] = "force enabled",
		[PROC_ASLR_FORCE_DISABLE] = "force disabled",
		[PROC_ASLR_NOFORCE] = "not forced",
	};
	unsigned int v = (unsigned int)status;
	fprintf(out, "%s, %s\n", word_for(choice, COUNT(choice), v & ~PROC_ASLR_ACTIVE),
	    (v & PROC_ASLR_ACTIVE) != 0 ? "active" : "not active");
}

static void print_trace(FILE *out, int status)
{
	if (status == -1)
		fprintf(out, "disabled\n");
	else if (status == 0)
		fprintf(out, "enabled, no debugger\n");
	else
		fprintf(out, "enabled, traced by %d\n", status);
}

/* TRAPCAP and NO_NEW_PRIVS: 1 is enabled, 2 disabled. */
static void print_enabled(FILE *out, int status)
{
	static const char *const state[] = {
		[PROC_TRAPCAP_CTL_ENABLE] = "enabled",
		[PROC_TRAPCAP_CTL_DISABLE] = "disabled",
	};
	fprintf(out, "%s\n", word_for(state, COUNT(state), (unsigned int)status));
}

static void print_stackgap(FILE *out, int status)
{
	const char *now = "unknown", *after_exec = "unknown";
	if (status & PROC_STACKGAP_ENABLE)
		now = "enabled";
	else if (status & PROC_STACKGAP_DISABLE)
		now = "disabled";
	if (status & PROC_STACKGAP_ENABLE_EXEC)
		after_exec = "enabled";
	else if (status & PROC_STACKGAP_DISABLE_EXEC)
		after_exec = "disabled";
	fprintf(out, "%s\n%s after exec\n", now, after_exec);
}

static void print_wxmap(FILE *out, int status)
{
	unsigned int v = (unsigned int)status;
	fprintf(out, "%s%s%s\n",
	    (v & PROC_WX_MAPPINGS_PERMIT) != 0 ? "enabled" : "disabled",
	    (v & PROC_WX_MAPPINGS_DISALLOW_EXEC) != 0 ? ", disabled on exec" : "",
	    (v & PROC_WXORX_ENFORCE) != 0 ? ", wxorx enforced" : "");
}

static void print_logsigexit(FILE *out, int status)
{
	static const char *const choice[] = {
		[PROC_LOGSIGEXIT_CTL_NOFORCE] = "not forced",
		[PROC_LOGSIGEXIT_CTL_FORCE_ENABLE] = "force enabled",
		[PROC_LOGSIGEXIT_CTL_FORCE_DISABLE] = "force disabled",
	};
	fprintf(out, "%s\n", word_for(choice, COUNT(choice), (unsigned int)status));
}

#if defined(PROC_KPTI_CTL)
static void print_kpti(FILE *out, int status)
{
	static const char *const choice[] = {
		[PROC_KPTI_CTL_ENABLE_ON_EXEC] = "enabled",
		[PROC_KPTI_CTL_DISABLE_ON_EXEC] = "disabled",
	};
	unsigned int v = (unsigned int)status;
	fprintf(out, "%s, %s\n",
	    word_for(choice, COUNT(choice), v & ~PROC_KPTI_STATUS_ACTIVE),
	    (v & PROC_KPTI_STATUS_ACTIVE) != 0 ? "active" : "not active");
}
#endif

#if defined(PROC_LA_CTL)
static void print_la(FILE *out, int status)
{
	static const char *const choice[] = {
		[PROC_LA_CTL_LA48_ON_EXEC] = "la48 on exec",
		[PROC_LA_CTL_LA57_ON_EXEC] = "la57 on exec",
		[PROC_LA_CTL_DEFAULT_ON_EXEC] = "default on exec",
	};
	const unsigned int active = PROC_LA_STATUS_LA48 | PROC_LA_STATUS_LA57;
	unsigned int v = (unsigned int)status;
	fprintf(out, "%s%s\n", word_for(choice, COUNT(choice), v & ~active),
	    (v & PROC_LA_STATUS_LA48) != 0 ? ", la48 active" :
	    (v & PROC_LA_STATUS_LA57) != 0 ? ", la57 active" : "");
}
#endif

/* FreeBSD's order, which its usage message lists. */
static const struct mode modes[] = {
	{ "aslr", PROC_ASLR_CTL, PROC_ASLR_STATUS,
	  PROC_ASLR_FORCE_ENABLE, PROC_ASLR_FORCE_DISABLE, print_forced, NULL },
	{ "trace", PROC_TRACE_CTL, PROC_TRACE_STATUS,
	  PROC_TRACE_CTL_ENABLE, PROC_TRACE_CTL_DISABLE, print_trace, NULL },
	{ "trapcap", PROC_TRAPCAP_CTL, PROC_TRAPCAP_STATUS,
	  PROC_TRAPCAP_CTL_ENABLE, PROC_TRAPCAP_CTL_DISABLE, print_enabled,
	  "Linux cannot keep the trapcap flag across execve; the command would run without it" },
	{ "protmax", PROC_PROTMAX_CTL, PROC_PROTMAX_STATUS,
	  PROC_PROTMAX_FORCE_ENABLE, PROC_PROTMAX_FORCE_DISABLE, print_forced, NULL },
	{ "stackgap", PROC_STACKGAP_CTL, PROC_STACKGAP_STATUS,
	  PROC_STACKGAP_ENABLE_EXEC, PROC_STACKGAP_DISABLE | PROC_STACKGAP_DISABLE_EXEC,
	  print_stackgap, NULL },
	{ "nonewprivs", PROC_NO_NEW_PRIVS_CTL, PROC_NO_NEW_PRIVS_STATUS,
	  PROC_NO_NEW_PRIVS_ENABLE, PROC_NO_NEW_PRIVS_DISABLE, print_enabled, NULL },
	{ "wxmap", PROC_WXMAP_CTL, PROC_WXMAP_STATUS,
	  PROC_WX_MAPPINGS_PERMIT, PROC_WX_MAPPINGS_DISALLOW_EXEC, print_wxmap, NULL },
#if defined(PROC_KPTI_CTL)
	{ "kpti", PROC_KPTI_CTL, PROC_KPTI_STATUS,
	  PROC_KPTI_CTL_ENABLE_ON_EXEC, PROC_KPTI_CTL_DISABLE_ON_EXEC, print_kpti, NULL },
#endif
#if defined(PROC_LA_CTL)
	{ "la57", PROC_LA_CTL, PROC_LA_STATUS,
	  PROC_LA_CTL_LA57_ON_EXEC, PROC_LA_CTL_DEFAULT_ON_EXEC, print_la, NULL },
	{ "la48", PROC_LA_CTL, PROC_LA_STATUS,
	  PROC_LA_CTL_LA48_ON_EXEC, PROC_LA_CTL_DEFAULT_ON_EXEC, print_la, NULL },
#endif
	{ "logsigexit", PROC_LOGSIGEXIT_CTL, PROC_LOGSIGEXIT_STATUS,
	  PROC_LOGSIGEXIT_CTL_FORCE_ENABLE, PROC_LOGSIGEXIT_CTL_FORCE_DISABLE,
	  print_logsigexit, NULL },
};

const struct mode *mode_find(const char *name)
{
	for (size_t i = 0; i < COUNT(modes); i++) {
		if (strcmp(modes[i].name, name) == 0)
			return &modes[i];
	}
	return NULL;
}

void mode_print_names(FILE *out, const char *sep)
{
	for (size_t i = 0; i < COUNT(modes); i++)
		fprintf(out, "%s%s", i == 0 ? "" : sep, modes[i].name);
}

/*
 * What an errno means for one mode, where Linux differs from FreeBSD or
 * the errno alone would leave the user guessing.  ANY_TARGET rows hold
 * whoever the target is; the others were measured on proccontrol itself,
 * and for another process the same errno may have another cause.
 */
#define ON  (1u << ACTION_ENABLE)
#define OFF (1u << ACTION_DISABLE)

static const struct refusal {
	const char *mode;
	unsigned int actions;
	int err;
	bool any_target;
	const char *why;
} refusals[] = {
	{ "aslr", ON, ENOTSUP, false,
	  "Linux cannot force randomization on while kernel.randomize_va_space is 0" },
	{ "trace", ON, EPERM, true,
	  "only a process itself may enable tracing of itself" },
	{ "trace", ON | OFF, EBUSY, true, "the process is being traced" },
	{ "protmax", ON, ENOTSUP, true,
	  "Linux has no implicit PROT_MAX for mmap(2)" },
	{ "stackgap", OFF, ENOTSUP, true,
	  "Linux keeps stack guard gaps for every process and cannot turn them off" },
	{ "nonewprivs", OFF, EINVAL, true,
	  "no-new-privileges cannot be turned off once it is on" },
	{ "wxmap", ON, EPERM, true,
	  "W^X is already enforced (memory-deny-write-execute), and Linux cannot lift it" },
	{ "wxmap", OFF, ENOTSUP, false,
	  "this kernel has no memory-deny-write-execute (Linux 6.3 or later)" },
	{ "kpti", ON | OFF, EPERM, true,
	  "changing it needs CAP_SYS_RAWIO" },
	{ "kpti", ON | OFF, ENOTSUP, true,
	  "Linux isolates kernel page tables for every process or for none (boot option pti=)" },
	{ "la57", ON, ENOTSUP, true,
	  "Linux gives 57-bit addresses to single mappings, never to a whole program" },
	{ "logsigexit", ON, ENOTSUP, true,
	  "Linux logs deaths by signal only system-wide, and kernel.print-fatal-signals is 0" },
	{ "logsigexit", OFF, ENOTSUP, true,
	  "Linux logs deaths by signal system-wide, and kernel.print-fatal-signals "
	  "or debug.exception-trace is on" },
};

const char *mode_refusal_reason(const struct mode *m, enum mode_action action,
    int err, bool other_process)
{
	for (size_t i = 0; i < COUNT(refusals); i++) {
		const struct refusal *r = &refusals[i];
		if (strcmp(r->mode, m->name) == 0 && (r->actions & (1u << action)) != 0 &&
		    r->err == err && (r->any_target || !other_process))
			return r->why;
	}
	if (err != ENOTSUP)
		return NULL;
	return other_process ?
	    "Linux cannot do this to another process here; see procctl(3)" :
	    "Linux cannot do this here; see procctl(3)";
}
