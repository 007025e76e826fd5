/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LIBPROCCTL_REAPER_H
#define LIBPROCCTL_REAPER_H

#include <stdbool.h>
#include <sys/procctl.h>

#include "target.h"

/* How many later passes REAP_KILL has made in this process (for the benchmark). */
unsigned long reaper_kill_later_passes(void);

/*
 * Signal the descendants of reaper as rk asks (flags already validated);
 * fills rk_killed and rk_fpid; returns 0 or -errno by FreeBSD's rules.
 * The caller itself, when it is one of them, is counted but not signalled:
 * *signal_self says that it must be, last.
 */
int reaper_kill_tree(const struct target *reaper, struct procctl_reaper_kill *rk,
    bool *signal_self);

#endif
