/* SPDX-License-Identifier: BSD-2-Clause */
#include "usermem.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/capsicum.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>


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

static _Atomic bool avoid_process_vm;

void usermem_avoid_process_vm(int on)
{
	atomic_store(&avoid_process_vm, on != 0);
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

/*
 * Without process_vm_readv/writev, the kernel is asked about each page the
 * range touches, with calls that read or write user memory, change nothing
 * and need no descriptor; then the bytes are copied.  Access is decided per
 * page, so one aligned word of each page answers for all of it.
 *
 * Readable: rt_sigprocmask() copies the new mask in before it looks at
 * `how`, so an invalid `how` gives EFAULT for a bad pointer and EINVAL for
 * a good one, and the mask stays as it was.
 *
 * Writable: FUTEX_WAKE_OP adds 0 to the word atomically (a concurrent
 * writer loses nothing), faulting in the page for writing; with a
 * comparison the kernel does not know it then returns ENOSYS and wakes
 * nobody.  EFAULT: the page cannot be written.
 *
 * Another thread unmapping the range between the probe and the copy is
 * the caller's own race; the copy then faults as a memcpy() would.
 */
#define PROBE_BAD_HOW      (-1)
#define FUTEX_OP_ADD_ZERO_NO_CMP ((FUTEX_OP_ADD << 28) | (0xf << 24))

static int probe_word(uintptr_t word, bool write)
{
	/* A null set is no set at all to rt_sigprocmask: ask about the next word. */
	if (word < 8)
		word = 8;
	long r;
	if (write) {
		uint32_t unwatched = 0;
		r = syscall(SYS_futex, &unwatched, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 0, NULL,
		    (uint32_t *)(word & ~(uintptr_t)3), FUTEX_OP_ADD_ZERO_NO_CMP);
	} else {
		r = syscall(SYS_rt_sigprocmask, PROBE_BAD_HOW, (void *)(word & ~(uintptr_t)7),
		    NULL, sizeof(uint64_t));
	}
	if (r == 0)
		return -EIO;    /* an answer a kernel cannot give: trust nothing */
	if (errno == EFAULT)
		return -EFAULT;
	return errno == (write ? ENOSYS : EINVAL) ? 0 : -errno;
}

static int probe_range(const void *p, size_t len, bool write)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t at = (uintptr_t)p, end = at + len;
	while (at < end) {
		int r = probe_word(at, write);
		if (r < 0)
			return r;
		uintptr_t next = (at & ~(page - 1)) + page;
		if (next < at)
			break;          /* the last page of the address space */
		at = next;
	}
	return 0;
}

static int copy_probed(void *dst, const void *src, size_t len, bool in)
{
	int r = in ? probe_range(src, len, false) : probe_range(dst, len, true);
	if (r < 0)
		return r;
	memcpy(dst, src, len);
	return 0;
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

	if (!atomic_load(&avoid_process_vm)) {
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
		atomic_store(&avoid_process_vm, true);
	}
	return copy_probed(dst, src, len, in);
}

int usermem_copyin(void *dst, const void *src, size_t len)
{
	return copy_checked(dst, src, len, true);
}

int usermem_copyout(void *dst, const void *src, size_t len)
{
	return copy_checked(dst, src, len, false);
}
