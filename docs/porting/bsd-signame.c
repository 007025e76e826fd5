/* SPDX-License-Identifier: BSD-2-Clause */
/* sys_signame[] and sys_nsig, built from glibc's sigabbrev_np() (2.32+). */
#define _GNU_SOURCE
#include <string.h>

#include "bsd-signame.h"

const char *sys_signame[NSIG];
int sys_nsig = NSIG;

/* Filled before main() runs, as FreeBSD's static table is. */
__attribute__((constructor))
static void bsd_signame_fill(void)
{
	for (int sig = 0; sig < NSIG; sig++) {
		/* Real-time signals have no abbreviation in glibc. */
		const char *name = sig == 0 ? NULL : sigabbrev_np(sig);
		sys_signame[sig] = name != NULL ? name : "";
	}
}
