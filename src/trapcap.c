/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_TRAPCAP_CTL and PROC_TRAPCAP_STATUS: the per-process flag.  The
 * capability-mode machinery reads it through trapcap_enabled().
 *
 * The flag lives in this library's memory: fork copies it, as FreeBSD's
 * children inherit it.  Nothing in the kernel can hold it for another
 * process, so it is set and read for the caller only; docs/COMPAT.md says
 * what that means for other processes and for execve.
 */
#include <errno.h>
#include <stdatomic.h>
#include <sys/procctl.h>

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
