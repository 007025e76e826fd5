/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_SPROTECT on /proc/PID/oom_score_adj: protected is -1000, the value the
 * OOM killer never picks; cleared is 0.
 *
 * FreeBSD requires privilege for either operation; here that is
 * CAP_SYS_RESOURCE in the initial user namespace, which Linux itself requires
 * to lower oom_score_adj.
 * Each process is written only if the caller may write its file (FreeBSD's
 * p_cansched), and the call fails with EPERM if no process was changed.
 *
 * Linux copies oom_score_adj into every child.  FreeBSD protects future
 * children only with PPROT_INHERIT, so after a plain PPROT_SET on itself the
 * caller's fork children are given back the value the caller had before
 * (a pthread_atfork child handler).  Children created without fork(3)
 * (vfork, posix_spawn, clone), and the children of other protected
 * processes, keep the protection; docs/COMPAT.md says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/procctl.h>
#include <unistd.h>

#include "caps.h"
#include "fdutil.h"
#include "handlers.h"
#include "lifecycle.h"
#include "linux_compat.h"
#include "tree.h"

#define OOM_ADJ_PROTECTED  (-1000)
#define OOM_ADJ_CLEARED    0

/* Set by a plain PPROT_SET on the caller: children start unprotected. */
static atomic_bool children_unprotected;
static atomic_int children_adj;

/* path relative to dirfd: another process's only through its pinned /proc/PID. */
static int write_adj(int dirfd, const char *path, int value)
{
	char text[16];
	int len = snprintf(text, sizeof(text), "%d", value);

	int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -ESRCH : -EPERM;
	ssize_t n = write(fd, text, (size_t)len);
	int err = n == len ? 0 : errno;
	close(fd);
	if (err == 0)
		return 0;
	/* EACCES: lowering without CAP_SYS_RESOURCE in the initial namespace. */
	return err == ESRCH ? -ESRCH : -EPERM;
}

/* Runs in the child of fork(3): async-signal-safe calls only. */
void protect_fork_child(void)
{
	if (!atomic_load(&children_unprotected))
		return;
	atomic_store(&children_unprotected, false);
	(void)write_adj(AT_FDCWD, "/proc/self/oom_score_adj", atomic_load(&children_adj));
}

static int protect_self(int op, int flags)
{
	long before = OOM_ADJ_CLEARED;
	if (op == PPROT_SET)
		(void)procfs_read_long("/proc/self/oom_score_adj", &before);

	int r = write_adj(AT_FDCWD, "/proc/self/oom_score_adj",
	    op == PPROT_SET ? OOM_ADJ_PROTECTED : OOM_ADJ_CLEARED);
	if (r < 0)
		return r;
	if (op == PPROT_SET && !(flags & PPROT_INHERIT)) {
		/* A second plain SET keeps the value from before the first. */
		if (!atomic_load(&children_unprotected))
			atomic_store(&children_adj, before == OOM_ADJ_PROTECTED ?
			    OOM_ADJ_CLEARED : (int)before);
		atomic_store(&children_unprotected, true);
	} else {
		atomic_store(&children_unprotected, false);
	}
	return 0;
}

static int protect_one(const struct target *t, int op, int flags)
{
	if (t->self)
		return protect_self(op, flags);
	/* Never by number: a process that took over the pid must not be changed. */
	int dir = target_procdir(t);
	if (dir < 0)
		return dir;
	int r = write_adj(dir, "oom_score_adj", op == PPROT_SET ? OOM_ADJ_PROTECTED : OOM_ADJ_CLEARED);
	close(dir);
	return r;
}

struct descend {
	int op, flags;
	bool changed;
};

static int protect_descendant(struct tree_node *n, void *ctx)
{
	struct descend *d = ctx;
	struct target t = { .self = false, .ref = n->ref, .stat = n->stat };
	/* Kernel threads and processes the caller may not touch are skipped. */
	if (!(n->stat.flags & LPC_PF_KTHREAD) && protect_one(&t, d->op, d->flags) == 0)
		d->changed = true;
	return TREE_RESULT(TREE_DESCEND);
}

int protect_ctl(struct target *t, union procctl_data *d)
{
	int op = PPROT_OP(d->value);
	int flags = PPROT_FLAGS(d->value);

	if ((op != PPROT_SET && op != PPROT_CLEAR) ||
	    (flags & ~(PPROT_DESCEND | PPROT_INHERIT)) != 0)
		return -EINVAL;
	if (!caps_effective_has_in_initial_userns(CAP_SYS_RESOURCE))
		return -EPERM;

	int r = protect_one(t, op, flags);
	if (!(flags & PPROT_DESCEND))
		return r;

	struct descend walk = { .op = op, .flags = flags, .changed = r == 0 };
	int w = tree_walk(t, protect_descendant, &walk);
	if (w < 0 && !walk.changed)
		return w;
	return walk.changed ? 0 : (r < 0 ? r : -EPERM);
}
