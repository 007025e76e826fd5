/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_REAP_KILL's walk.
 *
 * The first pass walks the reaper's whole tree, nested reapers included,
 * and signals each live process through the /proc directory the walk
 * holds for it (opened in the same batch as its stat and children files,
 * so it costs no system call of its own).  Passes repeat until one finds
 * nothing new, so that processes forked or reparented while the kill runs
 * do not escape; a later pass does not walk everything again, it reads
 * again the children files of the processes it already knows (every
 * thread's, and the reaper's, which adopts the orphans) and visits only
 * the pids it has not yet seen under that parent, checked against it as
 * any walk does (tree_walk_below).  A process is handled once, named by
 * pid and start time, so none is signalled twice and a recycled pid is a
 * new process; a process found by a later pass is pinned by a pidfd and
 * its start time checked before it is signalled (signal_node), so no
 * process that took over a pid is ever signalled.
 *
 * No later pass runs when the first one could not have missed anything:
 * the kernel created no process anywhere while it ran but the caller's own
 * threads (/proc/stat's count of forks against the caller's thread count,
 * read before its first read and after its last), and it met no sign of an
 * exit moving a process to where it had already looked.
 *
 * What a later pass takes on trust: a pid listed again under the parent it
 * was seen under is the same child.  It could be another only if the
 * parent reaped that child and forked a new one that drew the same pid,
 * within the call; that one would be missed, not wrongly signalled
 * (docs/COMPAT.md).
 *
 * REAPER_KILL_SUBTREE selects one branch: the processes below the reaper's
 * child rk_subtree.  When a process of that branch dies, Linux moves its
 * children under the reaper and forgets where they came from, so the branch
 * of every process is remembered when it is first seen, and the children of
 * a process are recorded before it is signalled.  A child forked in the
 * instant between that record and the signal, whose parent then dies before
 * the next pass, is the one Linux can hide; docs/COMPAT.md says so.  When
 * the caller is the reaper, the branches its earlier commands saw are
 * remembered too (reaper_branch.h).
 *
 * The caller may be in the tree itself (a descendant naming its reaper).
 * It is not signalled during the walk, where a SIGKILL or SIGSTOP would end
 * the walk with it: it is counted, and signalled last, by reaper_kill()
 * once everything else is done, as FreeBSD's signal to the caller acts
 * only when its call returns.
 *
 * The library's own processes are passed over (reaper_exempt.h); another
 * process's engine helper is signalled, uncounted, only once its creator
 * has been.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/procctl.h>
#include <unistd.h>

#include "creations.h"
#include "pidset.h"
#include "reaper_branch.h"
#include "reaper_exempt.h"
#include "reaper.h"
#include "tree.h"

enum kill_mode { KILL_ALL, KILL_CHILDREN, KILL_SUBTREE };

struct kill_run {
	enum kill_mode mode;
	int sig;
	pid_t subtree;
	struct pidset handled;  /* signalled, or seen dying */
	struct pidset branch;   /* the branch each process was first seen in */
	struct pidset helpers;  /* other processes' helpers, signalled */
	struct branch_walk memory;
	struct pidset under;    /* (child pid, parent pid): seen under that parent */
	struct pidset known_set;    /* who is in known */
	struct tree_again *known;   /* looked below again by later passes; [0] the reaper */
	size_t known_len, known_cap;
	pid_t me;               /* getpid(), asked once */
	bool found_new;
	bool self;              /* the caller is in the tree */
	unsigned int killed;
	pid_t fpid;
	int error;              /* positive errno; ESRCH until a signal is sent */
};

/*
 * Newest FreeBSD's bookkeeping.  A success clears the error; a failure is
 * recorded only while the error is clear (after a success, before any other
 * failure).  In CHILDREN mode the first failure is recorded instead.  An
 * ESRCH (the process died) is never reported, as FreeBSD hides it.
 */
/*
 * Through the node's own directory; a node of an unpinned pass (held by pid
 * and start time only) is pinned by a pidfd first, and must still be the
 * process the walk saw.
 */
static int signal_node(const struct tree_node *n, int sig)
{
	if (n->ref.fd >= 0)
		return pidref_signal(&n->ref, sig);
	struct pidref ref;
	int r = pidref_open(&ref, n->ref.pid, NULL);
	if (r < 0)
		return r;
	r = ref.starttime == n->ref.starttime ? pidref_signal(&ref, sig) : -ESRCH;
	pidref_close(&ref);
	return r;
}

static void deliver(struct kill_run *k, const struct tree_node *n)
{
	int r = signal_node(n, k->sig);
	if (r == 0) {
		k->killed++;
		if (k->mode != KILL_CHILDREN)
			k->error = 0;
		return;
	}
	if (r == -ESRCH)
		return;
	bool record = k->mode == KILL_CHILDREN ? k->error == ESRCH : k->error == 0;
	if (record) {
		k->fpid = n->ref.pid;
		k->error = -r;
	}
}

/*
 * Remember the branch of n's children (listed by the walk just before this
 * visit) before n can die and orphan them.
 */
static int remember_children(struct kill_run *k, const struct tree_node *n, int branch)
{
	int r = 0;
	for (size_t i = 0; r >= 0 && i < n->children->len; i++) {
		struct pidref ref;
		struct proc_stat st;
		if (pidref_open_procdir(&ref, n->children->items[i], &st) < 0)
			continue;
		if (st.ppid == n->ref.pid)
			r = pidset_add(&k->branch, ref.pid, ref.starttime, branch);
		pidref_close(&ref);
	}
	return r < 0 ? r : 0;
}

/* Another process's helper goes with its creator, uncounted. */
static void follow_creator(struct kill_run *k, const struct tree_node *n)
{
	if (!pidset_contains(&k->handled, n->parent->pid, n->parent->starttime))
		return;
	if (pidset_add(&k->helpers, n->ref.pid, n->ref.starttime, 0) == 1) {
		k->found_new = true;
		(void)signal_node(n, k->sig);
	}
}

/* A process a later pass must look below again. */
static int know(struct kill_run *k, const struct tree_node *n)
{
	int r = pidset_add(&k->known_set, n->ref.pid, n->ref.starttime, 0);
	if (r <= 0)
		return r;   /* known already (met again under another parent), or -ENOMEM */
	if (k->known_len == k->known_cap) {
		size_t cap = k->known_cap ? k->known_cap * 2 : 64;
		struct tree_again *a = realloc(k->known, cap * sizeof(*a));
		if (a == NULL)
			return -ENOMEM;
		k->known = a;
		k->known_cap = cap;
	}
	k->known[k->known_len++] = (struct tree_again){
		.ref = { .pid = n->ref.pid, .fd = -1, .starttime = n->ref.starttime },
		.subtree = n->subtree, .depth = n->depth, .children = PID_LIST_INIT,
	};
	return 0;
}

static int visit_node(struct kill_run *k, struct tree_node *n);

static int visit(struct tree_node *n, void *ctx)
{
	struct kill_run *k = ctx;
	/* Seen under this parent: a later pass passes it over there. */
	int r = pidset_add(&k->under, n->ref.pid, (uint64_t)n->parent->pid, 0);
	if (r < 0)
		return r;
	r = visit_node(k, n);
	/* Below a live process the walk goes on: so will the later passes. */
	if (r == TREE_RESULT(TREE_DESCEND) && !proc_stat_is_zombie(&n->stat) &&
	    k->mode != KILL_CHILDREN) {
		int e = know(k, n);
		if (e < 0)
			return e;
	}
	return r;
}

static int visit_node(struct kill_run *k, struct tree_node *n)
{
	enum exempt_kind exempt = exempt_classify(&n->ref, &n->stat);
	if (exempt == EXEMPT_ALWAYS)
		return TREE_RESULT(TREE_PRUNE);

	/* Adopted by the reaper after its parent died: it keeps its branch. */
	int branch = n->subtree;
	pid_t remembered;
	if (!pidset_lookup(&k->branch, n->ref.pid, n->ref.starttime, &branch) &&
	    reaper_branch_recall(&k->memory, n->ref.pid, n->ref.starttime, &remembered))
		branch = remembered;
	n->subtree = branch;
	reaper_branch_note(&k->memory, n->ref.pid, n->ref.starttime, branch);

	enum tree_step next = k->mode == KILL_CHILDREN ? TREE_PRUNE : TREE_DESCEND;
	if (k->mode == KILL_SUBTREE && branch != k->subtree)
		return TREE_RESULT(TREE_PRUNE);
	if (exempt == EXEMPT_HELPER) {
		follow_creator(k, n);
		return TREE_RESULT(next);
	}

	int added = pidset_add(&k->handled, n->ref.pid, n->ref.starttime, 0);
	if (added < 0)
		return added;
	if (added == 0)
		return TREE_RESULT(next);
	k->found_new = true;

	/* Zombies and exiting processes are passed over and not counted. */
	if (proc_stat_is_zombie(&n->stat) || proc_stat_is_exiting(&n->stat))
		return TREE_RESULT(next);

	if (k->mode == KILL_SUBTREE) {
		int r = pidset_add(&k->branch, n->ref.pid, n->ref.starttime, branch);
		if (r >= 0)
			r = remember_children(k, n, branch);
		if (r < 0)
			return r;
	}
	if (n->ref.pid == k->me)
		k->self = true;         /* signalled last, by reaper_kill() */
	else
		deliver(k, n);
	return TREE_RESULT(next);
}

static atomic_ulong later_passes;

unsigned long reaper_kill_later_passes(void)
{
	return atomic_load(&later_passes);
}

/*
 * A later pass: the children files of every process known so far, and a
 * walk below the pids not yet seen under their parent.  Where there are no
 * children files, the whole tree is walked again.
 */
static int walk_again(const struct target *reaper, struct kill_run *k)
{
	if (tree_walk_mode() == TREE_MODE_FULL_SCAN)
		return tree_walk_unpinned(reaper, visit, k);
	/* The walk below appends what it finds: this pass looks below these. */
	size_t n = k->known_len;
	int r = tree_children_now(k->known, n);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct tree_again *a = &k->known[i];
		size_t keep = 0;
		for (size_t j = 0; j < a->children.len; j++) {
			pid_t c = a->children.items[j];
			if (!pidset_contains(&k->under, c, (uint64_t)a->ref.pid))
				a->children.items[keep++] = c;
		}
		a->children.len = keep;
	}
	if (r == 0)
		r = tree_walk_below(k->known, n, visit, k);
	for (size_t i = 0; i < n; i++)
		pid_list_free(&k->known[i].children);
	return r;
}

int reaper_kill_tree(const struct target *reaper, struct procctl_reaper_kill *rk,
    bool *signal_self)
{
	struct kill_run k = {
		.mode = (rk->rk_flags & REAPER_KILL_CHILDREN) ? KILL_CHILDREN :
		    (rk->rk_flags & REAPER_KILL_SUBTREE) ? KILL_SUBTREE : KILL_ALL,
		.sig = rk->rk_sig,
		.subtree = rk->rk_subtree,
		.handled = PIDSET_INIT,
		.branch = PIDSET_INIT,
		.helpers = PIDSET_INIT,
		.under = PIDSET_INIT,
		.known_set = PIDSET_INIT,
		.me = getpid(),
		.fpid = -1,
		.error = ESRCH,
	};
	reaper_branch_begin(&k.memory, reaper->self);
	/* The reaper first: it adopts the orphans. */
	int r = k.mode == KILL_CHILDREN ? 0 : -ENOMEM;
	if (k.mode != KILL_CHILDREN && (k.known = malloc(64 * sizeof(*k.known))) != NULL) {
		k.known_cap = 64;
		k.known_len = 1;
		k.known[0] = (struct tree_again){ .ref = reaper->ref, .self = reaper->self,
		    .threads = 0, .depth = 0, .children = PID_LIST_INIT };
		r = 0;
	}
	/*
	 * The first pass signals nearly everything, through the directories
	 * it holds; the later ones mostly find nothing new, and pin only what
	 * they do find (signal_node).
	 *
	 * No later pass is needed when nothing moved: no process created
	 * anywhere while the first pass ran (the kernel's count of forks
	 * read before its first read and after its last), and no sign of an
	 * exit that could have moved a process to where the walk had already
	 * looked (tree_walk_watching).  Then every process that is in the
	 * tree now was there when the walk began, in the place it read.
	 */
	struct creations before, after;
	bool counted = k.mode != KILL_CHILDREN && creations_now(&before, true);
	bool moved = true;
	pid_t helper = 0;
	k.found_new = false;
	if (r == 0)
		r = tree_walk_watching(reaper, visit, &k, &moved, &helper);
	if (r == 0 && counted && !moved && creations_now(&after, false) &&
	    creations_none_but_own_threads(&before, &after, helper))
		k.found_new = false;
	while (r == 0 && k.found_new && k.mode != KILL_CHILDREN) {
		k.found_new = false;
		atomic_fetch_add(&later_passes, 1);
		r = walk_again(reaper, &k);
	}
	reaper_branch_end(&k.memory, r == 0);

	/* The caller's own signal, counted now, sent last. */
	*signal_self = r == 0 && k.self;
	if (*signal_self) {
		k.killed++;
		if (k.mode != KILL_CHILDREN)
			k.error = 0;
	}
	pidset_free(&k.handled);
	pidset_free(&k.branch);
	pidset_free(&k.helpers);
	pidset_free(&k.under);
	pidset_free(&k.known_set);
	free(k.known);
	rk->rk_killed = k.killed;
	rk->rk_fpid = k.fpid;
	if (r < 0)
		return r;
	/*
	 * The manual: 0 whenever a signal was delivered.  Newest FreeBSD's
	 * CHILDREN mode forgets to clear its ESRCH after a success; the manual
	 * is followed (docs/COMPAT.md).
	 */
	if (k.mode == KILL_CHILDREN && k.killed > 0)
		return 0;
	return k.error != 0 ? -k.error : 0;
}
