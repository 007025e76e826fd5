/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>

#include "command.h"
#include "handlers.h"

/* A command that sets an int attribute, and one that reports it. */
#define CTL(c, h, acc) \
	{ .cmd = (c), .name = #c, .copyin = sizeof(int), .access = (acc), .handler = (h) }
#define STATUS(c, h) \
	{ .cmd = (c), .name = #c, .copyout = sizeof(int), .access = ACCESS_SEE, .handler = (h) }

/* Machine-independent commands, indexed by number - 1. */
static const struct command mi_commands[] = {
	{ .cmd = PROC_SPROTECT, .name = "PROC_SPROTECT", .copyin = sizeof(int),
	  .pgid_ok = true, .access = ACCESS_SEE, .handler = protect_ctl },
	{ .cmd = PROC_REAP_ACQUIRE, .name = "PROC_REAP_ACQUIRE",
	  .data_must_be_null = true, .access = ACCESS_SEE, .handler = reaper_acquire },
	{ .cmd = PROC_REAP_RELEASE, .name = "PROC_REAP_RELEASE",
	  .data_must_be_null = true, .access = ACCESS_SEE, .handler = reaper_release },
	{ .cmd = PROC_REAP_STATUS, .name = "PROC_REAP_STATUS",
	  .copyout = sizeof(struct procctl_reaper_status),
	  .access = ACCESS_SEE, .handler = reaper_status },
	{ .cmd = PROC_REAP_GETPIDS, .name = "PROC_REAP_GETPIDS",
	  .copyin = sizeof(struct procctl_reaper_pids),
	  .access = ACCESS_SEE, .handler = reaper_getpids },
	{ .cmd = PROC_REAP_KILL, .name = "PROC_REAP_KILL",
	  .copyin = sizeof(struct procctl_reaper_kill),
	  .copyout = sizeof(struct procctl_reaper_kill), .copyout_on_error = true,
	  .denied_in_capmode = true, .access = ACCESS_SEE, .handler = reaper_kill },
	{ .cmd = PROC_TRACE_CTL, .name = "PROC_TRACE_CTL", .copyin = sizeof(int),
	  .pgid_ok = true, .access = ACCESS_DEBUG, .handler = trace_ctl },
	STATUS(PROC_TRACE_STATUS, trace_status),
	{ .cmd = PROC_TRAPCAP_CTL, .name = "PROC_TRAPCAP_CTL", .copyin = sizeof(int),
	  .pgid_ok = true, .access = ACCESS_DEBUG, .handler = trapcap_ctl },
	STATUS(PROC_TRAPCAP_STATUS, trapcap_status),
	{ .cmd = PROC_PDEATHSIG_CTL, .name = "PROC_PDEATHSIG_CTL", .copyin = sizeof(int),
	  .esrch_is_einval = true, .access = ACCESS_SEE, .handler = pdeathsig_ctl },
	{ .cmd = PROC_PDEATHSIG_STATUS, .name = "PROC_PDEATHSIG_STATUS",
	  .copyout = sizeof(int), .esrch_is_einval = true,
	  .access = ACCESS_SEE, .handler = pdeathsig_status },
	CTL(PROC_ASLR_CTL, aslr_ctl, ACCESS_DEBUG),
	STATUS(PROC_ASLR_STATUS, aslr_status),
	CTL(PROC_PROTMAX_CTL, protmax_ctl, ACCESS_DEBUG),
	STATUS(PROC_PROTMAX_STATUS, protmax_status),
	CTL(PROC_STACKGAP_CTL, stackgap_ctl, ACCESS_DEBUG),
	STATUS(PROC_STACKGAP_STATUS, stackgap_status),
	CTL(PROC_NO_NEW_PRIVS_CTL, nnp_ctl, ACCESS_DEBUG),
	STATUS(PROC_NO_NEW_PRIVS_STATUS, nnp_status),
	CTL(PROC_WXMAP_CTL, wxmap_ctl, ACCESS_DEBUG),
	STATUS(PROC_WXMAP_STATUS, wxmap_status),
	CTL(PROC_LOGSIGEXIT_CTL, logsigexit_ctl, ACCESS_DEBUG),
	STATUS(PROC_LOGSIGEXIT_STATUS, logsigexit_status),
};

#if defined(__x86_64__)
/* amd64's cpu_procctl(): looked up with "can see", whatever the command. */
static const struct command md_commands[] = {
	{ .cmd = PROC_KPTI_CTL, .name = "PROC_KPTI_CTL", .copyin = sizeof(int),
	  .md = true, .priv = PRIV_RAWIO, .check_value = kpti_check_value,
	  .access = ACCESS_SEE, .handler = kpti_ctl },
	{ .cmd = PROC_KPTI_STATUS, .name = "PROC_KPTI_STATUS", .copyout = sizeof(int),
	  .md = true, .access = ACCESS_SEE, .handler = kpti_status },
	{ .cmd = PROC_LA_CTL, .name = "PROC_LA_CTL", .copyin = sizeof(int),
	  .md = true, .check_value = la_check_value,
	  .access = ACCESS_SEE, .handler = la_ctl },
	{ .cmd = PROC_LA_STATUS, .name = "PROC_LA_STATUS", .copyout = sizeof(int),
	  .md = true, .access = ACCESS_SEE, .handler = la_status },
};
#define MD_COUNT (sizeof(md_commands) / sizeof(md_commands[0]))
#else
static const struct command md_commands[1];
#define MD_COUNT 0
#endif

#define MI_COUNT (sizeof(mi_commands) / sizeof(mi_commands[0]))

const struct command *command_lookup(int cmd)
{
	if (cmd >= 1 && (size_t)cmd <= MI_COUNT)
		return &mi_commands[cmd - 1];
	if (cmd >= PROC_PROCCTL_MD_MIN && (size_t)(cmd - PROC_PROCCTL_MD_MIN) < MD_COUNT)
		return &md_commands[cmd - PROC_PROCCTL_MD_MIN];
	return NULL;
}

const struct command *command_at(size_t index)
{
	if (index < MI_COUNT)
		return &mi_commands[index];
	if (index - MI_COUNT < MD_COUNT)
		return &md_commands[index - MI_COUNT];
	return NULL;
}
