/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The caller's reaper, learnt by an orphan probe and reused while nothing
 * the library can see has changed, so that repeated calls do not heap
 * probes (each one a SIGCHLD and a zombie) on the reaper.
 *
 * What is remembered: the reaper (pid and start time) and the ancestors
 * between the caller and it.  The answer is reused while the caller's
 * parent and each of those ancestors is the same process (pid and start
 * time) with the same parent, the reaper is alive, none of the ancestors has
 * announced itself a reaper since, and the reaper, if it was announced, still
 * is.  What it cannot see: an ancestor that sets the subreaper flag with a
 * raw prctl(2), or an unannounced reaper that clears it, after the probe;
 * docs/COMPAT.md says so.
 */
#ifndef LIBPROCCTL_REAPER_CACHE_H
#define LIBPROCCTL_REAPER_CACHE_H

#include <stdbool.h>
#include <sys/types.h>

#include "reaper_registry.h"

/* The remembered reaper, when it still holds. */
bool reaper_cache_lookup(pid_t *reaper, struct registry_lookup *lookup);

/* Remember reaper, just found by a probe. */
void reaper_cache_store(pid_t reaper, struct registry_lookup *lookup);

#endif
