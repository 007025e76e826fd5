/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LIBPROCCTL_ERRORS_H
#define LIBPROCCTL_ERRORS_H

#include <errno.h>

/*
 * A Linux primitive refused a request FreeBSD would have carried out: the
 * kernel is too old (ENOSYS, EINVAL for an unknown prctl option) or a
 * container's seccomp profile blocks the call (EPERM).  libprocctl reports
 * ENOTSUP for every "Linux cannot do this here", as FreeBSD itself does for
 * PROC_LA_CTL on a CPU without LA57; docs/COMPAT.md lists each case.
 */
static inline int unavailable(int err)
{
	if (err == ENOSYS || err == EPERM || err == EINVAL || err == EOPNOTSUPP)
		return -ENOTSUP;
	return -err;
}

#endif
