/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Judging a call in a filtered target whose filters cannot be read: the
 * caller is itself under seccomp (every process in Docker, Podman and
 * systemd-nspawn is), and the kernel shows filters only to an unfiltered
 * caller with CAP_SYS_ADMIN.
 *
 * When the target's filters are provably the caller's own, the answer comes
 * from a throwaway child of the caller, which carries those filters: it
 * makes the very call the engine would inject, with the same number,
 * arguments and instruction pointer, and either survives (the filters let
 * the call run or make it fail harmlessly, as they will in the target) or
 * dies (KILL, TRAP).  Only calls whose effect stays inside the child are
 * ever made there (personality, the prctl options the commands use, calls
 * that only read; the engine's rt_tgsigqueueinfo with its siginfo taken
 * away, so that it sends nothing); the child's own state does not matter,
 * it exits at once.
 *
 * "Provably the same" is decided from /proc, since Linux offers no way to
 * compare two processes' filters.  Filters are inherited at fork and clone
 * and can only be added, each by the process to itself; so two threads
 * with the same number of filters carry different ones only if, after
 * their lines of descent parted, each side added as many as the other.
 * The rule (remote_seccomp_peer.c) asks for the same mode and count in the
 * target thread, the caller's thread and the leaders of every process on
 * the path that joins them in the process tree, through their nearest
 * common ancestor.  That rejects any target outside the caller's family
 * (another container, a docker exec session, a service with its own
 * SystemCallFilter=) and any family member that added a filter the other
 * side lacks in number.  What it cannot see is a process on that path that
 * added filters *after* forking its child on the path while the child's
 * side added exactly as many: docs/COMPAT.md says so.
 */
#ifndef LIBPROCCTL_REMOTE_SECCOMP_PEER_H
#define LIBPROCCTL_REMOTE_SECCOMP_PEER_H

#include <stdbool.h>
#include <sys/types.h>

#include "remote_seccomp.h"

/*
 * Whether tgid (its leader) provably carries the calling thread's filters:
 * the remote engine's early test, before it stops anything.
 */
bool seccomp_peer_may_judge(pid_t tgid);

/*
 * Judge call in tid, a thread of tgid, from a child of the caller.
 * -EPERM when the filters are not provably the caller's, the call is not
 * one a child may make, or no child could be made to answer; -ESRCH when
 * the target is gone.
 */
int seccomp_peer_judge(pid_t tgid, pid_t tid, const struct seccomp_data *call,
    struct seccomp_verdict *verdict);

#endif
