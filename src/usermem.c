/* SPDX-License-Identifier: BSD-2-Clause */
#include "usermem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/capsicum.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fdutil.h"

/*
 * process_vm_writev on oneself is, to valgrind's memcheck, a write into
 * another process: the caller's variable would stay "uninitialised" and
 * the caller's program would get false reports.  Tell memcheck (a few
 * instructions that do nothing outside valgrind).
 */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define MARK_DEFINED(p, n) VALGRIND_MAKE_MEM_DEFINED(p, n)
#endif
#endif
#ifndef MARK_DEFINED
#define MARK_DEFINED(p, n) ((void)0)
#endif

static _Atomic bool use_pipe;

void usermem_force_pipe(int on)
{
	atomic_store(&use_pipe, on != 0);
}

/*
 * A refusal that says "this call is not available" rather than "this
 * memory is bad": an old kernel, or a seccomp profile (which answers EPERM,
 * never ENOSYS, in Docker's default), or capability mode (ECAPMODE: the
 * call names a pid).  Access to oneself is never EPERM.
 */
static bool call_unavailable(int err)
{
	return err == ENOSYS || err == EPERM || err == ECAPMODE;
}

/* Through a pipe: write(2) checks the source, read(2) the destination. */
static int copy_through_pipe(void *dst, const void *src, size_t len)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;

	int result = 0;
	const char *s = src;
	char *d = dst;
	while (len > 0 && result == 0) {
		size_t chunk = len < PIPE_BUF ? len : PIPE_BUF;
		ssize_t w = write(p[1], s, chunk);
		if (w < 0) {
			result = errno == EFAULT ? -EFAULT : -errno;
			break;
		}
		size_t got = 0;
		while (got < (size_t)w) {
			ssize_t r = read(p[0], d + got, (size_t)w - got);
			if (r <= 0) {
				result = (r < 0 && errno != EFAULT) ? -errno : -EFAULT;
				break;
			}
			got += (size_t)r;
		}
		s += w;
		d += w;
		len -= (size_t)w;
	}
	close(p[0]);
	close(p[1]);
	return result;
}

/* Whether [p, p+len) wraps around the address space. */
static bool range_wraps(const void *p, size_t len)
{
	return (uintptr_t)p + len < (uintptr_t)p;
}

static int copy_checked(void *dst, const void *src, size_t len, bool in)
{
	if (len == 0)
		return 0;
	if (range_wraps(in ? src : dst, len))
		return -EFAULT;

	if (!atomic_load(&use_pipe)) {
		struct iovec local = { .iov_base = in ? dst : (void *)src, .iov_len = len };
		struct iovec remote = { .iov_base = in ? (void *)src : dst, .iov_len = len };
		ssize_t n = in ? process_vm_readv(getpid(), &local, 1, &remote, 1, 0)
			       : process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len) {
			if (!in)
				MARK_DEFINED(dst, len);
			return 0;
		}
		if (n >= 0 || errno == EFAULT)
			return -EFAULT;
		if (!call_unavailable(errno))
			return -errno;
		atomic_store(&use_pipe, true);
	}
	return copy_through_pipe(dst, src, len);
}

int usermem_copyin(void *dst, const void *src, size_t len)
{
	return copy_checked(dst, src, len, true);
}

int usermem_copyout(void *dst, const void *src, size_t len)
{
	return copy_checked(dst, src, len, false);
}
