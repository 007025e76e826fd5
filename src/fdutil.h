/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LIBPROCCTL_FDUTIL_H
#define LIBPROCCTL_FDUTIL_H

#include <errno.h>
#include <unistd.h>

/* close(2) on an error path, keeping the errno being reported. */
static inline void close_preserving_errno(int fd)
{
	int saved = errno;
	(void)close(fd);
	errno = saved;
}

/* Close *fd if open and mark it closed. */
static inline void fd_closep(int *fd)
{
	if (*fd >= 0) {
		close_preserving_errno(*fd);
		*fd = -1;
	}
}

#endif
