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

/*
 * The public boundary (procctl, cap_enter, cap_getmode): an internal -errno
 * becomes -1 with errno set; success returns 0 with errno as the caller had
 * it (saved before the call), whatever the work in between left there.
 */
static inline int public_result(int r, int caller_errno)
{
	if (r < 0) {
		errno = -r;
		return -1;
	}
	errno = caller_errno;
	return 0;
}

#endif
