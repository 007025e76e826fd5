/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>

#include "remote.h"

/* Until the ptrace engine lands (issue 5). */
int remote_syscall(const struct target *t, unsigned int flags, long nr,
    const long args[6], long *result)
{
	(void)t; (void)flags; (void)nr; (void)args; (void)result;
	return -ENOTSUP;
}
