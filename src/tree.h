/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Walking the descendants of a process, breadth first, by the kernel's real
 * parent links.
 *
 * Children are read from /proc/PID/task/TID/children of every thread (a
 * child forked by a non-main thread is listed only under that thread), so
 * the cost is O(descendants), whatever else runs on the machine.  Where the
 * kernel has no children files (CONFIG_PROC_CHILDREN unset) the walk falls
 * back to one scan of /proc, O(processes), and says so in tree_walk_mode().
 *
 * Every node is held as a pidref while the callback runs and is re-checked
 * to still be the child of its parent, so a recycled pid is never reported
 * or signalled as a descendant.  Only the node being visited holds a pidfd:
 * the queue keeps pid and start time, so the walk needs a fixed number of
 * descriptors however large the tree.
 *
 * One walk is one pass and visits each process at most once.  Processes
 * that fork or are reparented while it runs may be missed by that pass;
 * callers that must catch them (REAP_KILL) walk again until a pass finds
 * nothing new.
 */
#ifndef LIBPROCCTL_TREE_H
#define LIBPROCCTL_TREE_H

#include <stdbool.h>
#include <sys/types.h>

#include "pidref.h"
#include "procfs.h"
#include "target.h"

struct tree_node {
	struct pidref ref;      /* valid during the callback only */
	struct proc_stat stat;
	pid_t subtree;          /* the root's child this node descends from */
	unsigned int depth;     /* 1 for a child of the root */
};

enum tree_step {
	TREE_DESCEND,           /* visit this node's children too */
	TREE_PRUNE,             /* do not look below this node */
	TREE_STOP,              /* end the walk; tree_walk() returns 0 */
};

/* A negative return ends the walk and is returned by tree_walk(). */
typedef int tree_visit_fn(struct tree_node *node, void *ctx);
#define TREE_RESULT(step) ((int)(step))

/*
 * Visit every descendant of root (root itself excluded).  Returns 0, a
 * negative errno from fn, -ENOMEM, or -ESRCH when root is gone.
 */
int tree_walk(const struct target *root, tree_visit_fn *fn, void *ctx);

/* A growable array of pids. */
struct pid_list {
	pid_t *items;
	size_t len, cap;
};
#define PID_LIST_INIT ((struct pid_list){ NULL, 0, 0 })
void pid_list_free(struct pid_list *l);

/*
 * Append to out the pids /proc lists as children of pid (threads: its
 * thread count, 1 to read a single children file, 0 if unknown).  One read,
 * unverified: the caller checks each with a pidref.
 */
int tree_children_of(pid_t pid, long threads, struct pid_list *out);

enum tree_mode {
	TREE_MODE_CHILDREN_FILES,   /* O(descendants) */
	TREE_MODE_FULL_SCAN,        /* O(processes): no children files */
};
enum tree_mode tree_walk_mode(void);

/* For the unit tests: force the full-scan fallback. */
void tree_force_full_scan(bool on);

#endif
