/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LIBPROCCTL_REAPER_H
#define LIBPROCCTL_REAPER_H

#include <sys/procctl.h>

#include "target.h"

/*
 * Signal the descendants of reaper as rk asks (flags already validated);
 * fills rk_killed and rk_fpid; returns 0 or -errno by FreeBSD's rules.
 */
int reaper_kill_tree(const struct target *reaper, struct procctl_reaper_kill *rk);

#endif
