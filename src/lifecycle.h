/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the library does when it is loaded and in every fork(3) child.
 * Registered once, at load, by procctl.c: pthread_atfork() allocates, and
 * commands on the caller must not.  procctl.c, because every program that
 * calls procctl() links it, even from the static library, where an object
 * nothing refers to would be left out with its constructor.
 */
#ifndef LIBPROCCTL_LIFECYCLE_H
#define LIBPROCCTL_LIFECYCLE_H

/* In a fork child (async-signal-safe): the reaper announcement is dropped. */
void registry_fork_child(void);
/* In a fork child: the remembered reaper belongs to the parent. */
void reaper_cache_fork_child(void);
/* In a fork child: the branch memory's lock may have been caught held. */
void reaper_branch_fork_child(void);
/* In a fork child: undo a protection the parent did not pass on. */
void protect_fork_child(void);
/* At load: the one cap_t that capability questions reuse (caps.h). */
void caps_at_load(void);
/* At load: announce again a reaper status that survived execve. */
void registry_at_load(void);

#endif
