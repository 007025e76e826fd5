/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Holding every thread of a process still under ptrace, for the remote
 * engine.  This runs in the engine's helper process (see remote.c), which
 * is the tracer; nothing here runs in the caller.
 *
 * threads_freeze() seizes each thread and interrupts it, then lists the
 * threads again: once every known thread is stopped no new one can be
 * created, so a listing that finds nobody new is the whole process.  A
 * thread seized without PTRACE_O_TRACECLONE never drags a new thread or
 * child into the trace.  A process that keeps creating threads through
 * FREEZE_ROUNDS listings, or that is stopped, traced, or has a thread in
 * uninterruptible sleep, is refused with EBUSY.
 *
 * A thread can be stopped in four ways, and leaves ptrace from each in a way
 * that keeps what it was doing:
 *
 *   STOP_INTERRUPT  our PTRACE_INTERRUPT, inside the kernel's signal code;
 *                   detached with no signal.
 *   STOP_SIGNAL     about to receive `signal`; detached with that signal,
 *                   which the kernel then delivers with its own siginfo.
 *   STOP_GROUP      a group stop (SIGSTOP and kin): the process is stopped;
 *                   detached, it stays stopped.
 *   STOP_SYSCALL    entering or leaving a call the engine injected.
 */
#ifndef LIBPROCCTL_REMOTE_THREADS_H
#define LIBPROCCTL_REMOTE_THREADS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "remote_arch.h"

enum thread_state {
	THREAD_RUNNING,         /* seized and interrupted, not yet stopped */
	THREAD_STOPPED,
	THREAD_GONE,            /* exited, or never seizable because it was exiting */
};

enum stop_kind {
	STOP_INTERRUPT,
	STOP_SIGNAL,
	STOP_GROUP,
	STOP_SYSCALL,
};

struct remote_thread {
	pid_t tid;
	enum thread_state state;
	enum stop_kind stop;        /* while THREAD_STOPPED */
	int signal;                 /* STOP_SIGNAL, STOP_GROUP: which signal */
	/* Kept for the session (remote_session.c): */
	bool runs_call;             /* chosen to run the injected call */
	bool reached_call;          /* has entered an injected call at least once */
	bool injected;              /* registers changed: `saved` must go back */
	struct arch_regs saved;
};

struct thread_set {
	pid_t tgid;
	struct remote_thread *v;
	size_t count, capacity;     /* capacity: more threads than this is EBUSY */
};

/* Listings of /proc/TGID/task before a process counts as creating threads forever. */
#define FREEZE_ROUNDS 8

/* How long a thread may take to reach a ptrace stop. */
#define STOP_TIMEOUT_MS 2000

/*
 * Seize and stop every thread of ts->tgid.  0 with every live thread
 * THREAD_STOPPED; -EBUSY, -EPERM (the kernel refuses ptrace) or -ESRCH
 * (the process is gone).  On failure the threads already seized stay so;
 * threads_release() lets them go.
 */
int threads_freeze(struct thread_set *ts);

/*
 * Restart a stopped thread with PTRACE_SYSCALL or PTRACE_CONT, without
 * delivering the signal it may be stopped for (the caller has kept it).
 */
int threads_resume(struct remote_thread *th, int request);

/* Wait until th stops or exits: -ETIMEDOUT after timeout_ms. */
int threads_wait(struct thread_set *ts, struct remote_thread *th, int timeout_ms);

/*
 * Detach every thread still traced, each with what its stop calls for (see
 * above).  Threads not yet stopped are interrupted and waited for; one that
 * never stops is left to the kernel, which detaches it when the tracer
 * exits.  Injected threads must have their registers back before this.
 */
void threads_release(struct thread_set *ts);

struct remote_thread *threads_find(struct thread_set *ts, pid_t tid);

#endif
