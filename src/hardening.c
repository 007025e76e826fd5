/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FreeBSD controls that Linux has no per-process switch for.  Each request
 * is measured against what Linux does anyway:
 *
 *   PROTMAX     Linux never applies an implicit PROT_MAX to mmap(2), so
 *               FORCE_DISABLE and NOFORCE are already true and succeed, and
 *               FORCE_ENABLE cannot be honoured (ENOTSUP).
 *   STACKGAP    Linux always keeps a guard gap below growing stacks
 *               (stack_guard_gap) and glibc a guard page below thread
 *               stacks, so ENABLE and ENABLE_EXEC succeed; DISABLE cannot be
 *               honoured (ENOTSUP).  DISABLE_EXEC means "after execve, keep
 *               what is in force now", which is "enabled", and succeeds.
 *   LOGSIGEXIT  Linux logs deaths by core-dumping signals only system-wide
 *               (kernel.print-fatal-signals) and logs unhandled faults
 *               (debug.exception-trace).  A forced choice succeeds when those
 *               settings already give it, else ENOTSUP.
 *
 * The choice the process made is remembered so that STATUS reads back what
 * was set; it is copied by fork, as FreeBSD's flags are, and lost at execve,
 * where it never had an effect to lose.  Another process's choice lives in
 * its own memory, out of reach: its STATUS reports the Linux default.
 */
#include <errno.h>
#include <stdatomic.h>
#include <sys/procctl.h>

#include "handlers.h"
#include "procfs.h"

static atomic_int protmax_choice = PROC_PROTMAX_NOFORCE;
static atomic_bool stackgap_disable_exec;
static atomic_int logsigexit_choice = PROC_LOGSIGEXIT_CTL_NOFORCE;

int protmax_ctl(struct target *t, union procctl_data *d)
{
	switch (d->value) {
	case PROC_PROTMAX_FORCE_ENABLE:
		return -ENOTSUP;
	case PROC_PROTMAX_FORCE_DISABLE:
	case PROC_PROTMAX_NOFORCE:
		if (t->self)
			atomic_store(&protmax_choice, d->value);
		return 0;
	default:
		return -EINVAL;
	}
}

int protmax_status(struct target *t, union procctl_data *d)
{
	/* Never PROC_PROTMAX_ACTIVE: no Linux image has implicit PROT_MAX. */
	d->value = t->self ? atomic_load(&protmax_choice) : PROC_PROTMAX_NOFORCE;
	return 0;
}

int stackgap_ctl(struct target *t, union procctl_data *d)
{
	const int now = PROC_STACKGAP_ENABLE | PROC_STACKGAP_DISABLE;
	const int exec = PROC_STACKGAP_ENABLE_EXEC | PROC_STACKGAP_DISABLE_EXEC;
	int v = d->value;

	if ((v & ~(now | exec)) != 0 || (v & now) == now || (v & exec) == exec)
		return -EINVAL;
	if (v & PROC_STACKGAP_DISABLE)
		return -ENOTSUP;
	if (t->self && (v & exec) != 0)
		atomic_store(&stackgap_disable_exec, (v & PROC_STACKGAP_DISABLE_EXEC) != 0);
	return 0;
}

int stackgap_status(struct target *t, union procctl_data *d)
{
	bool disable_exec = t->self && atomic_load(&stackgap_disable_exec);
	d->value = PROC_STACKGAP_ENABLE |
	    (disable_exec ? PROC_STACKGAP_DISABLE_EXEC : PROC_STACKGAP_ENABLE_EXEC);
	return 0;
}

/* A sysctl that is missing or unreadable counts as its default. */
static long sysctl_or(const char *path, long fallback)
{
	long v;
	return procfs_read_long(path, &v) == 0 ? v : fallback;
}

int logsigexit_ctl(struct target *t, union procctl_data *d)
{
	long print_fatal = sysctl_or("/proc/sys/kernel/print-fatal-signals", 0);
	long exception_trace = sysctl_or("/proc/sys/debug/exception-trace", 0);

	switch (d->value) {
	case PROC_LOGSIGEXIT_CTL_NOFORCE:
		break;
	case PROC_LOGSIGEXIT_CTL_FORCE_ENABLE:
		if (print_fatal == 0)
			return -ENOTSUP;
		break;
	case PROC_LOGSIGEXIT_CTL_FORCE_DISABLE:
		if (print_fatal != 0 || exception_trace != 0)
			return -ENOTSUP;
		break;
	default:
		return -EINVAL;
	}
	if (t->self)
		atomic_store(&logsigexit_choice, d->value);
	return 0;
}

int logsigexit_status(struct target *t, union procctl_data *d)
{
	d->value = t->self ? atomic_load(&logsigexit_choice) : PROC_LOGSIGEXIT_CTL_NOFORCE;
	return 0;
}
