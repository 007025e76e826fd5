/* SPDX-License-Identifier: BSD-2-Clause */
/* The handlers named by the command table, one family per file. */
#ifndef LIBPROCCTL_HANDLERS_H
#define LIBPROCCTL_HANDLERS_H

#include "command.h"

/* reaper.c */
command_handler reaper_acquire;
command_handler reaper_release;
command_handler reaper_status;
command_handler reaper_getpids;
command_handler reaper_kill;

/* protect.c */
command_handler protect_ctl;

/* trace.c */
command_handler trace_ctl;
command_handler trace_status;

/* trapcap.c */
command_handler trapcap_ctl;
command_handler trapcap_status;

/* pdeathsig.c */
command_handler pdeathsig_ctl;
command_handler pdeathsig_status;

/* aslr.c */
command_handler aslr_ctl;
command_handler aslr_status;

/* hardening.c: controls Linux has no per-process switch for */
command_handler protmax_ctl;
command_handler protmax_status;
command_handler stackgap_ctl;
command_handler stackgap_status;
command_handler logsigexit_ctl;
command_handler logsigexit_status;

/* nnp.c */
command_handler nnp_ctl;
command_handler nnp_status;

/* wxmap.c */
command_handler wxmap_ctl;
command_handler wxmap_status;

/* x86.c */
#if defined(__x86_64__)
command_handler kpti_ctl;
command_handler kpti_status;
command_handler la_ctl;
command_handler la_status;
int kpti_check_value(int value);
int la_check_value(int value);
#endif

#endif
