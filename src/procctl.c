/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * procctl(2): the one public entry.  It runs FreeBSD's common path for every
 * command, in FreeBSD's order, so that when two things are wrong the errno
 * is the one FreeBSD would give:
 *
 *   unknown command                          EINVAL
 *   copy data in                             EFAULT
 *   non-NULL data where NULL is required     EINVAL
 *   id type the command does not take        EINVAL
 *   another process, in capability mode      ECAPMODE
 *   look the process up                      ESRCH (EINVAL for PDEATHSIG)
 *   may the caller see / debug it            ESRCH / EPERM
 *   is it exiting                            ESRCH
 *   the handler's own checks and action
 *   copy data out                            EFAULT
 *
 * Internal functions return -errno; only procctl() sets errno, and leaves it
 * untouched on success.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <sys/capsicum.h>
#include <sys/procctl.h>

#include "caps.h"
#include "capmode.h"
#include "command.h"
#include "errors.h"
#include "export.h"
#include "lifecycle.h"
#include "linux_compat.h"
#include "remote.h"
#include "usermem.h"

/*
 * A command that maps a missing pid to EINVAL still reports ESRCH for a
 * process that exists but /proc hides from the caller (hidepid): that is
 * FreeBSD's p_cansee failing after pfind succeeded.
 */
static int missing_pid_errno(pid_t pid)
{
	int fd = sys_pidfd_open(pid, 0);
	if (fd < 0)
		return -EINVAL;
	close(fd);
	struct proc_stat st;
	int r = procfs_read_stat(pid, &st);
	if (r == -ENOENT || r == -EACCES)
		return -ESRCH;
	return -EINVAL;
}

static int run_on_pid(const struct command *c, id_t id, union procctl_data *d)
{
	struct target t;

	if (id == 0 || id == (id_t)getpid()) {
		target_self(&t);
	} else if (capmode_active()) {
		return -ECAPMODE;   /* another pid is a global name */
	} else {
		int r = id > INT_MAX ? -ESRCH : target_open(&t, (pid_t)id, c->access);
		if (r == -ESRCH && c->esrch_is_einval)
			return id > INT_MAX ? -EINVAL : missing_pid_errno((pid_t)id);
		if (r < 0)
			return r;
	}
	/* FreeBSD's handler refuses it first thing; the lookup is done by then. */
	int r = c->denied_in_capmode && capmode_active() ? -ECAPMODE : c->handler(&t, d);
	target_close(&t);
	return r;
}

struct pgrp_call {
	const struct command *c;
	union procctl_data *d;
};

static int run_on_member(struct target *t, void *ctx)
{
	struct pgrp_call *call = ctx;
	return call->c->handler(t, call->d);
}

static int run_on_pgrp(const struct command *c, id_t id, union procctl_data *d)
{
	if (id == 0 || id > INT_MAX)
		return -ESRCH;
	if (capmode_active())
		return -ECAPMODE;
	struct pgrp_call call = { .c = c, .d = d };
	return target_for_each_in_pgrp((pid_t)id, c->access, run_on_member, &call);
}

static int copy_out(const struct command *c, void *data,
    const union procctl_data *d, int result)
{
	if (c->copyout == 0 || (result != 0 && !c->copyout_on_error))
		return result;
	int r = usermem_copyout(data, d, c->copyout);
	return result != 0 ? result : r;
}

/* amd64's cpu_procctl() order: privilege and value come before the lookup. */
static int dispatch_md(const struct command *c, idtype_t idtype, id_t id,
    void *data, union procctl_data *d)
{
	if (idtype != P_PID)
		return -EINVAL;
	if (c->priv == PRIV_RAWIO && !caps_effective_has(CAP_SYS_RAWIO))
		return -EPERM;
	if (c->copyin != 0) {
		int r = usermem_copyin(d, data, c->copyin);
		if (r < 0)
			return r;
	}
	if (c->check_value != NULL) {
		int r = c->check_value(d->value);
		if (r < 0)
			return r;
	}
	return copy_out(c, data, d, run_on_pid(c, id, d));
}

static int dispatch(idtype_t idtype, id_t id, int cmd, void *data)
{
	const struct command *c = command_lookup(cmd);
	if (c == NULL)
		return -EINVAL;

	union procctl_data d;
	memset(&d, 0, sizeof(d));
	if (c->md)
		return dispatch_md(c, idtype, id, data, &d);

	if (c->copyin != 0) {
		int r = usermem_copyin(&d, data, c->copyin);
		if (r < 0)
			return r;
	} else if (c->data_must_be_null && data != NULL) {
		return -EINVAL;
	}

	int r;
	if (idtype == P_PID)
		r = run_on_pid(c, id, &d);
	else if (idtype == P_PGID && c->pgid_ok)
		r = run_on_pgrp(c, id, &d);
	else
		r = -EINVAL;
	return copy_out(c, data, &d, r);
}

static void in_fork_child(void)
{
	registry_fork_child();
	reaper_cache_fork_child();
	reaper_branch_fork_child();
	protect_fork_child();
}

__attribute__((constructor))
static void at_load(void)
{
	(void)pthread_atfork(NULL, NULL, in_fork_child);
	caps_at_load();
	registry_at_load();
}

LPC_EXPORT int procctl(idtype_t idtype, id_t id, int cmd, void *data)
{
	int caller_errno = errno;
	/* One wait for uninterruptible sleeps per call, over a group too. */
	struct remote_patience outer = remote_patience_begin();
	int r = dispatch(idtype, id, cmd, data);
	remote_patience_end(outer);
	return public_result(r, caller_errno);
}
