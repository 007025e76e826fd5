/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Would a system call injected into a thread survive that thread's seccomp
 * policy?  A filter can kill the whole process for a call it does not
 * expect (Docker's profile, systemd's SystemCallFilter=), so the remote
 * engine asks before it injects anything.
 *
 * Strict mode allows read, write, exit and rt_sigreturn only.  In filter
 * mode the filters themselves are read with PTRACE_SECCOMP_GET_FILTER and
 * run here on exactly the seccomp_data the kernel will build for the call
 * (number, architecture, instruction pointer, arguments), so the answer is
 * the kernel's answer.  Reading filters needs CAP_SYS_ADMIN in the initial
 * user namespace and a caller that is not itself under seccomp; without
 * that a filtered thread cannot be judged, and the engine refuses it.
 */
#ifndef LIBPROCCTL_REMOTE_SECCOMP_H
#define LIBPROCCTL_REMOTE_SECCOMP_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum seccomp_fate {
	SECCOMP_CALL_RUNS,      /* ALLOW, LOG: the call runs */
	SECCOMP_CALL_FAILS,     /* ERRNO, TRACE: it returns -error and nothing else happens */
	SECCOMP_CALL_UNSAFE,    /* KILL, TRAP, USER_NOTIF or unknown: never inject it */
};

struct seccomp_verdict {
	enum seccomp_fate fate;
	int error;              /* SECCOMP_CALL_FAILS: the errno the call returns */
};

/* Seccomp modes as /proc/PID/status shows them. */
#define SECCOMP_SHOWN_DISABLED 0
#define SECCOMP_SHOWN_STRICT   1
#define SECCOMP_SHOWN_FILTER   2

/* A thread's mode from /proc/TGID/task/TID/status; 0 on kernels without seccomp. */
int seccomp_mode_of(pid_t tgid, pid_t tid, long *mode);

/*
 * Run one classic BPF seccomp program on data.  -EINVAL for a program the
 * kernel would not have accepted (out-of-range jump or load, an opcode
 * seccomp forbids, no final return).
 */
int seccomp_run_filter(const struct sock_filter *prog, size_t len,
    const struct seccomp_data *data, uint32_t *ret);

/* What a filter return value (or the most restrictive of several) means. */
struct seccomp_verdict seccomp_verdict_of(uint32_t ret);

/*
 * Judge call in tid, a thread of tgid stopped under the caller's ptrace.
 * buf receives one filter at a time and must hold BPF_MAXINSNS entries.
 * -EPERM when the thread is filtered and its filters cannot be read.
 */
int seccomp_judge_call(pid_t tgid, pid_t tid, const struct seccomp_data *call,
    struct sock_filter *buf, struct seccomp_verdict *verdict);

#endif
