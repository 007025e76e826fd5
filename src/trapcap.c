/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_TRAPCAP_CTL and PROC_TRAPCAP_STATUS: the per-process flag that the
 * trap layer's SIGSYS handler consults (capmode_trap.c) before it raises
 * FreeBSD's SIGTRAP for a capability-mode violation.
 *
 * The flag lives in this library's memory: fork copies it, as FreeBSD's
 * children inherit it, and execve forgets it (the new image could have no
 * handler to act on it anyway).  Enabling it in capability mode loads the
 * trap layer, which stays: disabling only stops the SIGTRAP, and denied
 * calls keep failing with ECAPMODE.
 *
 * Another process's flag is out of reach: it is a variable in that
 * process's memory, not a kernel attribute that the remote engine could set
 * with a system call, and the trap layer needs a handler inside the target.
 */
#include <errno.h>
#include <stdatomic.h>
#include <sys/procctl.h>

#include "capmode.h"
#include "handlers.h"
#include "trapcap.h"

static atomic_int trapcap_flag = PROC_TRAPCAP_CTL_DISABLE;

bool trapcap_enabled(void)
{
	return atomic_load_explicit(&trapcap_flag, memory_order_relaxed) ==
	    PROC_TRAPCAP_CTL_ENABLE;
}

int trapcap_ctl(struct target *t, union procctl_data *d)
{
	if (d->value != PROC_TRAPCAP_CTL_ENABLE && d->value != PROC_TRAPCAP_CTL_DISABLE)
		return -EINVAL;
	if (!t->self)
		return -ENOTSUP;
	if (d->value == PROC_TRAPCAP_CTL_ENABLE && capmode_active()) {
		int r = capmode_arm_trap();
		if (r < 0)
			return r;
	}
	atomic_store(&trapcap_flag, d->value);
	return 0;
}

int trapcap_status(struct target *t, union procctl_data *d)
{
	if (!t->self)
		return -ENOTSUP;
	d->value = atomic_load(&trapcap_flag);
	return 0;
}
