/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One use of the remote engine, as the helper process carries it out:
 * hold every thread of the target (remote_threads.h), judge the call
 * against the target's seccomp policy, run it, give back every signal that
 * arrived meanwhile, put every register back, let go.
 *
 * The caller (remote.c) allocates everything here before the helper
 * starts, because the helper shares the caller's memory and must not touch
 * its heap.
 */
#ifndef LIBPROCCTL_REMOTE_SESSION_H
#define LIBPROCCTL_REMOTE_SESSION_H

#include <linux/filter.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "pidref.h"
#include "remote_threads.h"

/* A signal taken out of a thread while it ran an injected call. */
struct kept_signal {
	pid_t tid;
	siginfo_t info;
};

/* Bytes of one thread's FPU state, at most (AMX needs 11 KiB). */
#define FPSTATE_MAX 32768

/* More signals than this arriving during one use of the engine: EBUSY. */
#define KEPT_SIGNALS_MAX 64

struct remote_job {
	/* What to do. */
	struct pidref target;
	int procdir;                    /* its /proc/TGID, pinned: every /proc read goes here */
	unsigned int flags;             /* REMOTE_ALL_THREADS */
	long nr;
	long args[6];
	bool may_read_filters;          /* the caller could read seccomp filters */
	struct sleep_patience patience; /* for uninterruptible sleeps; waited_ms comes back */

	/* Room for the work, allocated by the caller. */
	struct thread_set threads;
	struct kept_signal *kept;
	size_t kept_count;
	struct sock_filter *filter;     /* BPF_MAXINSNS entries */

	/* Found while the target is held. */
	uintptr_t insn;                 /* a syscall instruction in its memory */
	uintptr_t gadget, restorer;     /* remote_frame.h: `syscall; ret`, rt_sigreturn */
	bool shadow_stack;              /* frames are not for it */
	unsigned char *fpstate;         /* FPSTATE_MAX bytes */
	int mem_fd;                     /* /proc/TGID/mem, opened as its tracer */

	long result;
};

/*
 * For the unit tests: called in the helper once every thread of the target
 * is held and nothing is changed yet (a test sends a signal from here, to
 * see it given back).  NULL in normal use.
 */
extern void (*remote_session_held_hook)(pid_t tgid);

/*
 * For the unit tests: called in the helper at each step of an injection
 * (0: the target is checked and nothing is stopped yet, 1: the call's
 * registers are set, 2: the call has returned, at its exit stop); a test
 * kills the helper, or makes the target exit, from here.  NULL in normal
 * use.
 */
extern void (*remote_session_step_hook)(int step);

/*
 * The helper's whole task.  Returns 0 with job->result set, or -errno as
 * remote_syscall() documents; whatever it returns, the target is released
 * with its registers and pending signals as they were.
 */
int remote_session_run(struct remote_job *job);

/* Read or write the target's memory, through /proc/TGID/mem as its tracer. */
int remote_mem_access(struct remote_job *job, uintptr_t addr, void *buf, size_t len,
    bool write);

#endif
