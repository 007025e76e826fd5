/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reapers, FreeBSD's way: every process has one, the nearest ancestor that
 * holds reaper status, else init (PID 1 of the caller's pid namespace).
 */
#ifndef LIBPROCCTL_REAPER_FIND_H
#define LIBPROCCTL_REAPER_FIND_H

#include <stdbool.h>

#include "reaper_registry.h"
#include "target.h"

/* PID 1 of the caller's pid namespace: FreeBSD's init. */
bool reaper_is_init(const struct target *t);

/*
 * Whether t holds reaper status: the kernel's own answer for the caller and
 * init, the registry for anyone else (lookup may be reused across calls).
 */
bool reaper_holds_status(const struct target *t, struct registry_lookup *lookup);

/*
 * The reaper of t: t itself when it is one (*owned = true), else its
 * nearest reaping ancestor.  For the caller that is the kernel's answer,
 * learnt by orphaning a probe process (which the caller never sees: no
 * SIGCHLD, no zombie; the reaper reaps it like any orphan, and no reaper
 * command counts it: reaper_exempt.h), and reused while the ancestry it
 * was learnt through is unchanged; for another
 * process, the ancestors are checked through the registry.  The result is
 * a target to be closed with target_close().
 *
 * lookup is the command's one registry lookup (REGISTRY_LOOKUP_INIT, closed
 * by the caller): reaper_list_collect() answers from the same snapshot, so
 * one call asks the kernel for the registry once.
 */
int reaper_find(const struct target *t, struct target *reaper, bool *owned,
    struct registry_lookup *lookup);

#endif
