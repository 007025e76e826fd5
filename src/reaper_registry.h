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
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pidref.h"

/* Announce the caller as a reaper; 0 or -errno (the flag is set anyway). */
int registry_announce(void);

/* Withdraw the caller's announcement, if any. */
void registry_withdraw(void);

/*
 * A reusable lookup, for one call: the first question takes a snapshot of
 * every announcement (one sock_diag dump of the unix sockets bound to a
 * registry name, with their owners), and every later question is answered
 * from it, with no system call unless the answer is yes.  A walk over many
 * descendants thus asks the kernel once, not once per process.  What is
 * announced after the snapshot is not seen by this call, as if it had come
 * just after it.
 */
struct registry_entry {
	pid_t pid;
	uid_t owner;
	uint64_t starttime;
};

struct registry_lookup {
	bool taken;             /* the snapshot has been asked for */
	bool per_process;       /* no snapshot: connect(2) for each candidate */
	int sock;               /* per_process: AF_UNIX datagram socket, or -1 */
	int diag;               /* per_process: NETLINK_SOCK_DIAG socket, or -1 */
	unsigned long long pidns;   /* the asker's pid namespace */
	struct registry_entry *items;   /* sorted by pid, then start time */
	size_t len, cap;
};

#define REGISTRY_LOOKUP_INIT ((struct registry_lookup){ .sock = -1, .diag = -1 })

/* Whether ref has announced itself, verified by the announcement's owner. */
bool registry_says_reaper(struct registry_lookup *l, const struct pidref *ref);

/*
 * For the benchmark and the unit tests: ask by connect(2) for each
 * candidate (the way before the snapshot) instead of one dump per call.
 */
void registry_force_per_process(bool on);

/* For the unit tests: how many snapshots this process has taken. */
unsigned int registry_snapshots_taken(void);

void registry_lookup_close(struct registry_lookup *l);

#endif
