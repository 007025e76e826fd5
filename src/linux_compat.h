/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel interfaces newer than the headers Debian 12 ships (linux-libc-dev
 * 6.1).  Each is probed at run time: an old kernel answers EINVAL, ENOTTY or
 * ENOSYS, and a container's seccomp profile may answer EPERM.
 */
#ifndef LIBPROCCTL_LINUX_COMPAT_H
#define LIBPROCCTL_LINUX_COMPAT_H

#include <linux/landlock.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* prctl(2) memory-deny-write-execute, Linux 6.3 */
#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_GET_MDWE
#define PR_GET_MDWE 66
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN (1UL << 0)
#endif
#ifndef PR_MDWE_NO_INHERIT
#define PR_MDWE_NO_INHERIT (1UL << 1)
#endif

/* ioctl(pidfd, PIDFD_GET_INFO), Linux 6.13 */
#define LPC_PIDFD_INFO_PID       (1ULL << 0)
#define LPC_PIDFD_INFO_CREDS     (1ULL << 1)
#define LPC_PIDFD_INFO_CGROUPID  (1ULL << 2)
#define LPC_PIDFD_INFO_EXIT      (1ULL << 3)
#define LPC_PIDFD_INFO_COREDUMP  (1ULL << 4)

#define LPC_PIDFD_COREDUMPED     (1U << 0)
#define LPC_PIDFD_COREDUMP_SKIP  (1U << 1)
#define LPC_PIDFD_COREDUMP_USER  (1U << 2)
#define LPC_PIDFD_COREDUMP_ROOT  (1U << 3)

/*
 * The kernel copies out no more than the caller's size: coredump_mask sits
 * at offset 64, so the structure must be at least 72 bytes to receive it.
 */
struct lpc_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid;
	uint32_t tgid;
	uint32_t ppid;
	uint32_t ruid;
	uint32_t rgid;
	uint32_t euid;
	uint32_t egid;
	uint32_t suid;
	uint32_t sgid;
	uint32_t fsuid;
	uint32_t fsgid;
	int32_t  exit_code;
	uint32_t coredump_mask;
	uint32_t spare1;
};

#define LPC_PIDFD_GET_INFO _IOWR(0xFF, 11, struct lpc_pidfd_info)

static inline int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static inline int sys_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/*
 * Landlock (Linux 5.13): the rights and flags added after Debian's headers,
 * each with the ABI version that brought it.
 */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE   (1ULL << 14)   /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV  (1ULL << 15)   /* ABI 5 */
#endif
#ifndef LANDLOCK_RESTRICT_SELF_TSYNC
#define LANDLOCK_RESTRICT_SELF_TSYNC  (1U << 3)      /* ABI 8: every thread at once */
#endif

static inline int sys_landlock_create_ruleset(const struct landlock_ruleset_attr *attr,
    size_t size, uint32_t flags)
{
	return (int)syscall(SYS_landlock_create_ruleset, attr, size, flags);
}

static inline int sys_landlock_add_rule(int ruleset, enum landlock_rule_type type,
    const void *attr, uint32_t flags)
{
	return (int)syscall(SYS_landlock_add_rule, ruleset, type, attr, flags);
}

static inline int sys_landlock_restrict_self(int ruleset, uint32_t flags)
{
	return (int)syscall(SYS_landlock_restrict_self, ruleset, flags);
}

/* /proc/PID/stat "flags" bits (include/linux/sched.h) */
#define LPC_PF_EXITING    0x00000004u
#define LPC_PF_KTHREAD    0x00200000u
#define LPC_PF_RANDOMIZE  0x00400000u

#endif
