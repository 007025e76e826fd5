/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_signame[] and sys_nsig for glibc, which has neither: FreeBSD's
 * <signal.h> declares them.  Copy this file and bsd-signame.c into the
 * port; compile with -include bsd-signame.h so that the FreeBSD source
 * stays unmodified (docs/PORTING.md).
 */
#ifndef BSD_SIGNAME_H
#define BSD_SIGNAME_H

#include <signal.h>

/* Signal names without "SIG" ("HUP", "TERM"); "" where Linux has none. */
extern const char *sys_signame[NSIG];
/* One more than the highest signal number. */
extern int sys_nsig;

#endif
