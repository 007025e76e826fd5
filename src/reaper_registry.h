/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which processes are reapers.  Linux shows a process's subreaper flag to
 * nobody but the process itself, so reapers that acquire through libprocctl
 * announce themselves, and other processes check the announcement.
 *
 * The announcement is an abstract unix datagram socket bound to the name
 * "libprocctl/reaper/<pid namespace>/<pid>/<start time>", held open by the
 * reaper:
 *
 *   - gone with the process (the kernel frees the name with the last fd);
 *   - not inherited: closed in fork children (pthread_atfork) and at execve
 *     (SOCK_CLOEXEC); a library constructor binds it again after an execve
 *     while the kernel flag survives, if the new image links libprocctl;
 *   - never matches a recycled pid, since the name carries the start time;
 *   - cannot be forged by a process that could not set the flag itself: a
 *     reader accepts the name only if the kernel (sock_diag) says its
 *     socket belongs to root or to one of the target's own uids.
 *
 * What stays invisible: a subreaper set without libprocctl (systemd --user,
 * tini -s, a raw prctl), a reaper in another network or pid namespace than
 * the one asking, a reaper whose image after execve does not link
 * libprocctl.  docs/COMPAT.md says
 * what is answered for them.
 */
#ifndef LIBPROCCTL_REAPER_REGISTRY_H
#define LIBPROCCTL_REAPER_REGISTRY_H

#include <stdbool.h>

#include "pidref.h"

/* Announce the caller as a reaper; 0 or -errno (the flag is set anyway). */
int registry_announce(void);

/* Withdraw the caller's announcement, if any. */
void registry_withdraw(void);

/*
 * A reusable lookup: one socket re-connected for each candidate, so that a
 * walk over many descendants costs one connect(2) per process.
 */
struct registry_lookup {
	int sock;       /* AF_UNIX datagram socket, or -1 */
	int diag;       /* NETLINK_SOCK_DIAG socket, or -1; opened on a hit */
	unsigned long long pidns;   /* the asker's pid namespace */
};

#define REGISTRY_LOOKUP_INIT ((struct registry_lookup){ -1, -1, 0 })

/* Whether ref has announced itself, verified by the announcement's owner. */
bool registry_says_reaper(struct registry_lookup *l, const struct pidref *ref);

void registry_lookup_close(struct registry_lookup *l);

#endif
