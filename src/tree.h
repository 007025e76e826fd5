/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Walking the descendants of a process by the kernel's real parent links.
 *
 * Children are read from /proc/PID/task/TID/children of every thread (a
 * child forked by a non-main thread is listed only under that thread), so
 * the cost is O(descendants), whatever else runs on the machine.  Where the
 * kernel has no children files (CONFIG_PROC_CHILDREN unset) the walk falls
 * back to one scan of /proc, O(processes), and says so in tree_walk_mode().
 *
 * Each process is held by its /proc/PID directory (a pidref): its stat and
 * its children are read through that one descriptor, so they belong to it
 * and to no process that took over its pid.  A child counts only if its
 * stat names the parent and the parent is still the same process after
 * that read.  The walk is depth first and keeps the descriptors of the
 * processes on the current path open (beyond MAX_OPEN_DEPTH levels, the
 * deeper ones are re-checked by start time instead), so it needs a bounded
 * number of descriptors however large the tree.
 *
 * A node's children are read before its callback runs, and handed to it:
 * REAP_KILL learns a process's children before it signals it.
 *
 * Siblings are read together, up to PROCFS_BATCH_MAX at a time
 * (procfs_batch.h: one io_uring submission where the kernel allows it, two
 * threads, or one system call per file), and their parent is checked once
 * after all their stat reads instead of once after each.  With the threads
 * engine, the batch the walk will most likely read next is read ahead by
 * the helper thread while the callbacks run on the one before; a guess the
 * walk does not come to is dropped unread or closed.  tree_walk_unpinned()
 * does not hold the nodes' directories at all: a node is then named by pid
 * and start time (pidref without a descriptor), for callers that only
 * report what they see; its stat and children were still read as one
 * process's (procfs_batch.h says how).
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

/* A growable array of pids. */
struct pid_list {
	pid_t *items;
	size_t len, cap;
};
#define PID_LIST_INIT ((struct pid_list){ NULL, 0, 0 })
void pid_list_free(struct pid_list *l);

/*
 * Append the pids of one children file (path relative to at) to out; a file
 * that has gone with its thread adds nothing.  Exposed for the fuzzer.
 */
int tree_read_children_file(int at, const char *path, struct pid_list *out);

/* The same for a children file already read whole (the batched reader's). */
int tree_parse_children(const char *text, struct pid_list *out);

struct tree_node {
	struct pidref ref;      /* valid during the callback only */
	struct proc_stat stat;
	const struct pidref *parent;    /* its parent (the root at depth 1) */
	/*
	 * The root's child this node descends from.  The callback may change
	 * it (a remembered branch): the node's descendants inherit the value.
	 */
	pid_t subtree;
	unsigned int depth;     /* 1 for a child of the root */
	/* The pids /proc listed as its children, just before the callback. */
	const struct pid_list *children;
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
 * Visit every descendant of root (root itself excluded), each before its
 * own descendants.  Returns 0, a negative errno from fn, -ENOMEM, or
 * -ENOTSUP when /proc belongs to another pid namespace.
 */
int tree_walk(const struct target *root, tree_visit_fn *fn, void *ctx);

/*
 * tree_walk(), also telling whether it met any sign that the tree changed
 * under it by an exit: a listed child gone, or whose stat names another
 * parent, a parent gone, a zombie or exiting process, a process met twice.
 * Without such a sign, and with no process created meanwhile (the caller
 * knows: see reaper_kill.c), the walk has seen every descendant there is.
 * Always true for the full-scan fallback.  *helper: the thread id of the
 * thread the walk itself started and joined (its reader's helper,
 * procfs_helper.h), 0 for none, for creations_none_but_own_threads().
 */
int tree_walk_watching(const struct target *root, tree_visit_fn *fn, void *ctx, bool *moved,
    pid_t *helper);

/* The same, each node's ref without a descriptor (pid and start time). */
int tree_walk_unpinned(const struct target *root, tree_visit_fn *fn, void *ctx);

/*
 * For a caller that walks again below the processes it already knows
 * (REAP_KILL's later passes), instead of walking the whole tree again.
 */
struct tree_again {
	struct pidref ref;      /* pid and start time (no descriptor); depth 0: the root's */
	bool self;              /* the caller */
	long threads;           /* the root's, as the first pass knew it */
	pid_t subtree;          /* the node's branch, handed to what is found below */
	unsigned int depth;     /* 0: the root */
	struct pid_list children;
};

/*
 * Fill each node's children with the pids its children files list now
 * (every thread's, the thread count read again), one batch for many
 * nodes; a node gone adds none.  By pid, not through a pinned directory:
 * whose children they are is proved when they are visited
 * (tree_walk_below checks each against its parent).  -ENOTSUP where
 * there are no children files.
 */
int tree_children_now(struct tree_again *nodes, size_t n);

/*
 * Visit the pids left in each node's children (the caller drops those it
 * has seen), and everything below them, as tree_walk_unpinned() does:
 * each counts only if its stat names the node and the node is still the
 * process of that pid and start time after that read.  The lists are
 * consumed.
 */
int tree_walk_below(struct tree_again *nodes, size_t n, tree_visit_fn *fn, void *ctx);

enum tree_mode {
	TREE_MODE_CHILDREN_FILES,   /* O(descendants) */
	TREE_MODE_FULL_SCAN,        /* O(processes): no children files */
};
enum tree_mode tree_walk_mode(void);

/* For the unit tests: force the full-scan fallback. */
void tree_force_full_scan(bool on);

#endif
