/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run by fexecve(3) from a test in capability mode: what does an image that
 * execve started there see?  It is linked statically and without
 * libprocctl, so it has no SIGSYS handler and needs no library loaded by
 * path, and it prints, on one line:
 *
 *   <errno of open("/")> <errno of getppid(), 0 when it works> <errno of getcwd(NULL, 0)>
 *
 * Run as `capmode-exec-probe DIRFD PATH...`, it goes on, on the same line,
 * with the errno of openat(DIRFD, PATH, O_RDONLY) for each PATH (0 when the
 * open works): DIRFD is a directory descriptor it inherited.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static int errno_of(long r)
{
	return r < 0 ? errno : 0;
}

int main(int argc, char **argv)
{
	int open_errno = errno_of(open("/", O_RDONLY | O_CLOEXEC));
	int getppid_errno = errno_of(syscall(SYS_getppid));
	int getcwd_errno = errno_of(syscall(SYS_getcwd, NULL, 0));
	printf("%d %d %d", open_errno, getppid_errno, getcwd_errno);
	if (argc > 2) {
		int dirfd = atoi(argv[1]);
		for (int i = 2; i < argc; i++)
			printf(" %d", errno_of(openat(dirfd, argv[i], O_RDONLY | O_CLOEXEC)));
	}
	printf("\n");
	return 0;
}
