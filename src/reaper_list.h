/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The descendants of a reaper, as FreeBSD counts them: every process the
 * reaper would reap, nested reapers included but not what lies below them.
 */
#ifndef LIBPROCCTL_REAPER_LIST_H
#define LIBPROCCTL_REAPER_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"
#include "reaper_registry.h"
#include "target.h"

struct reaper_entry {
	pid_t pid;
	pid_t subtree;          /* the reaper's child this one descends from */
	unsigned int flags;     /* REAPER_PIDINFO_* */
	uint64_t starttime;
};

struct reaper_list {
	struct reaper_entry *items;
	size_t len, cap;
};

#define REAPER_LIST_INIT ((struct reaper_list){ NULL, 0, 0 })

/*
 * Fill out with the descendants of reaper, newest first (FreeBSD lists grow
 * at the head).  The library's own processes are left out (reaper_exempt.h);
 * when the caller is the reaper, each keeps the branch it was first seen in
 * (reaper_branch.h).  Nested reapers are told by lookup, the command's
 * one registry lookup (the one reaper_find() used).
 */
int reaper_list_collect(const struct target *reaper, struct reaper_list *out,
    struct registry_lookup *lookup);

void reaper_list_free(struct reaper_list *l);

/* REAPER_PIDINFO_* for a process in this state (REAPER is the caller's). */
unsigned int reaper_pidinfo_flags(const struct proc_stat *st, bool child);

#endif
