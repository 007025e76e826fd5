/* SPDX-License-Identifier: BSD-2-Clause */
#include "reaper_list.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/procctl.h>

#include "reaper_branch.h"
#include "reaper_exempt.h"
#include "reaper_find.h"
#include "tree.h"

struct collect {
	struct reaper_list *out;
	struct registry_lookup *lookup;
	struct branch_walk branches;
};

unsigned int reaper_pidinfo_flags(const struct proc_stat *st, bool child)
{
	unsigned int flags = REAPER_PIDINFO_VALID;
	if (child)
		flags |= REAPER_PIDINFO_CHILD;
	/* A signal stop and a ptrace stop are both FreeBSD's P_STOPPED. */
	if (st->state == 'T' || st->state == 't')
		flags |= REAPER_PIDINFO_STOPPED;
	if (proc_stat_is_zombie(st))
		flags |= REAPER_PIDINFO_ZOMBIE;
	else if (proc_stat_is_exiting(st))
		flags |= REAPER_PIDINFO_EXITING;
	return flags;
}

static int add_descendant(struct tree_node *n, void *ctx)
{
	struct collect *c = ctx;
	struct reaper_list *l = c->out;
	switch (exempt_classify(&n->ref, &n->stat)) {
	case EXEMPT_ALWAYS:
		return TREE_RESULT(TREE_PRUNE);
	case EXEMPT_HELPER:
		/* Not listed; what it may have forked is. */
		return TREE_RESULT(TREE_DESCEND);
	case EXEMPT_NONE:
		break;
	}
	/* Adopted after its branch head died: it keeps that branch. */
	pid_t branch;
	if (reaper_branch_recall(&c->branches, n->ref.pid, n->ref.starttime, &branch))
		n->subtree = branch;
	reaper_branch_note(&c->branches, n->ref.pid, n->ref.starttime, n->subtree);
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct reaper_entry *items = realloc(l->items, cap * sizeof(*items));
		if (items == NULL)
			return -ENOMEM;
		l->items = items;
		l->cap = cap;
	}
	struct reaper_entry *e = &l->items[l->len++];
	e->pid = n->ref.pid;
	e->subtree = n->subtree;
	e->starttime = n->ref.starttime;
	e->flags = reaper_pidinfo_flags(&n->stat, n->depth == 1);

	/* A nested reaper is listed; its own descendants belong to it. */
	struct target t = { .self = false, .ref = n->ref, .stat = n->stat };
	if (!proc_stat_is_zombie(&n->stat) && reaper_holds_status(&t, c->lookup)) {
		e->flags |= REAPER_PIDINFO_REAPER;
		return TREE_RESULT(TREE_PRUNE);
	}
	return TREE_RESULT(TREE_DESCEND);
}

/* Newest first: later start time, then (within one clock tick) higher pid. */
static int newest_first(const void *a, const void *b)
{
	const struct reaper_entry *x = a, *y = b;
	if (x->starttime != y->starttime)
		return x->starttime < y->starttime ? 1 : -1;
	return (x->pid < y->pid) - (x->pid > y->pid);
}

int reaper_list_collect(const struct target *reaper, struct reaper_list *out,
    struct registry_lookup *lookup)
{
	struct collect c = { .out = out, .lookup = lookup };
	out->len = 0;
	reaper_branch_begin(&c.branches, reaper->self);
	/* Listing only: no descriptor held per node, none needed. */
	int r = tree_walk_unpinned(reaper, add_descendant, &c);
	reaper_branch_end(&c.branches, r == 0);
	if (r < 0)
		return r;
	if (out->len > 1)
		qsort(out->items, out->len, sizeof(*out->items), newest_first);
	return 0;
}

void reaper_list_free(struct reaper_list *l)
{
	free(l->items);
	*l = REAPER_LIST_INIT;
}
