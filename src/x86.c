/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * amd64's machine-dependent commands.
 *
 *   KPTI  Linux isolates kernel page tables for every process or for none
 *         (the pti= boot option), never per process.  A request for the
 *         state the system is in succeeds; the other is ENOTSUP.  Changing
 *         it needs FreeBSD's PRIV_IO, CAP_SYS_RAWIO here (checked by the
 *         dispatcher before anything else, as FreeBSD does).
 *   LA    Linux gives every x86_64 image a 47-bit user address space (LA48)
 *         and lets a program reach 57 bits only by passing a high hint to
 *         mmap(2) on LA57 hardware.  LA48 and DEFAULT are what happens
 *         anyway and succeed; LA57 for a whole image cannot be had: ENOTSUP,
 *         FreeBSD's own answer on a CPU without LA57.
 */
#if defined(__x86_64__)
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/procctl.h>

#include "handlers.h"
#include "procfs.h"

/* The highest user address of a 4-level (LA48) address space. */
#define LA48_USER_END ((uintptr_t)1 << 47)

static atomic_int la_choice = PROC_LA_CTL_DEFAULT_ON_EXEC;

static bool kpti_active(void)
{
	char buf[128];
	if (procfs_read_small("/sys/devices/system/cpu/vulnerabilities/meltdown",
	    buf, sizeof(buf)) < 0)
		return false;   /* a kernel too old to know of PTI has none */
	return strncmp(buf, "Mitigation: PTI", 15) == 0;
}

int kpti_check_value(int value)
{
	return value == PROC_KPTI_CTL_ENABLE_ON_EXEC ||
	    value == PROC_KPTI_CTL_DISABLE_ON_EXEC ? 0 : -EINVAL;
}

int kpti_ctl(struct target *t, union procctl_data *d)
{
	(void)t;
	bool want = d->value == PROC_KPTI_CTL_ENABLE_ON_EXEC;
	return want == kpti_active() ? 0 : -ENOTSUP;
}

int kpti_status(struct target *t, union procctl_data *d)
{
	(void)t;
	d->value = kpti_active() ?
	    (int)(PROC_KPTI_CTL_ENABLE_ON_EXEC | PROC_KPTI_STATUS_ACTIVE) :
	    PROC_KPTI_CTL_DISABLE_ON_EXEC;
	return 0;
}

int la_check_value(int value)
{
	return value >= PROC_LA_CTL_LA48_ON_EXEC &&
	    value <= PROC_LA_CTL_DEFAULT_ON_EXEC ? 0 : -EINVAL;
}

int la_ctl(struct target *t, union procctl_data *d)
{
	if (d->value == PROC_LA_CTL_LA57_ON_EXEC)
		return -ENOTSUP;
	if (t->self)
		atomic_store(&la_choice, d->value);
	return 0;
}

static int find_high_mapping(const struct proc_mapping *m, void *ctx)
{
	(void)ctx;
	/* The legacy vsyscall page sits in kernel space, above any LA57 limit. */
	if (strcmp(m->name, "[vsyscall]") == 0)
		return 0;
	return m->end > LA48_USER_END;
}

int la_status(struct target *t, union procctl_data *d)
{
	int r = target_for_each_mapping(t, find_high_mapping, NULL);
	if (r < 0 && r != -EACCES)
		return r == -ENOENT ? -ENOTSUP : r;
	int choice = t->self ? atomic_load(&la_choice) : PROC_LA_CTL_DEFAULT_ON_EXEC;
	d->value = choice | (r > 0 ? PROC_LA_STATUS_LA57 : PROC_LA_STATUS_LA48);
	return 0;
}
#endif
