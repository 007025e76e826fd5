/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Holding every thread of a process still under ptrace, for the remote
 * engine.  This runs in the engine's helper process (see remote.c), which
 * is the tracer; nothing here runs in the caller.
 *
 * threads_freeze() seizes each thread and interrupts it, then lists the
 * threads again.  Linux has no ptrace by pidfd, so a thread is seized by
 * its number, but interrupted only once the process's pinned /proc/TGID
 * directory shows the number as one of its threads *after* the seize: a
 * number reused meanwhile by another process is never stopped or touched
 * (docs/COMPAT.md, "A recycled pid").  A thread we trace and have seen
 * stopped stays a zombie until we wait for it, so its number cannot be
 * reused while we act on it.  The listing: once every known thread is stopped no new one can be
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
#include <stdint.h>
#include <sys/types.h>

#include "remote_arch.h"

enum thread_state {
	THREAD_RUNNING,         /* seized and interrupted, not yet stopped */
	THREAD_STOPPED,
	THREAD_GONE,            /* exited, or never seizable because it was exiting */
	THREAD_FOREIGN,         /* seized by a number that no longer named a thread of
	                         * ours: never interrupted, never waited for; the
	                         * kernel detaches it when the helper exits */
};

enum stop_kind {
	STOP_INTERRUPT,
	STOP_SIGNAL,
	STOP_GROUP,
	STOP_SYSCALL,
};

/* A thread's se.exec_start and se.nr_migrations, from /proc/TID/sched. */
struct sched_reading {
	int64_t exec_start_ns;
	long long migrations;
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
	/* For remote_restart.c: */
	bool reissue;               /* stopped with a spurious -EINTR: re-issue its call */
	struct sched_reading slept; /* its scheduler's clock before the interrupt */
	bool slept_known;           /* whether that reading was made */
	int64_t stop_seen_ns;       /* CLOCK_MONOTONIC when its interrupt stop was collected */
	int64_t waited_ns;          /* in its call before the interrupt */
	/* For remote_frame.c: */
	uintptr_t frame_at;         /* its restore frame, or 0 */
	uint64_t frame_mask;        /* the signal mask the frame gives back */
	bool mask_known;            /* frame_mask is its own, not a lent one */
	bool reissued_early;        /* only held: `saved` has its -EINTR registers */
};

struct thread_set {
	pid_t tgid;
	int procdir;                /* /proc/TGID, pinned (pidref_procdir) */
	struct remote_thread *v;
	size_t count, capacity;     /* capacity: more threads than this is EBUSY */
};

/* Listings of /proc/TGID/task before a process counts as creating threads forever. */
#define FREEZE_ROUNDS 8

/* How long a thread may take to reach a ptrace stop. */
#define STOP_TIMEOUT_MS 2000

/*
 * How long, in all, one procctl call waits for threads to leave
 * uninterruptible sleep: over a process group, for all its members
 * together (remote_patience_begin()).
 */
#define UNINTERRUPTIBLE_WAIT_MS 100

/*
 * What a freeze may wait for threads in uninterruptible sleep (allowed_ms:
 * what its call has left), and what it waited (added to waited_ms).
 */
struct sleep_patience {
	int64_t allowed_ms;
	int64_t waited_ms;
};

/*
 * Seize and stop every thread of ts->tgid.  0 with every live thread
 * THREAD_STOPPED; -EBUSY, -EPERM (the kernel refuses ptrace) or -ESRCH
 * (the process is gone).  On failure the threads already seized stay so;
 * threads_release() lets them go.
 */
int threads_freeze(struct thread_set *ts, struct sleep_patience *patience);

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

/*
 * For the unit tests: called in the helper between a thread's first
 * scheduler reading and its PTRACE_INTERRUPT (a test sleeps here, to make
 * the interrupt late).  NULL in normal use.
 */
extern void (*remote_threads_interrupt_hook)(pid_t tid);

#endif
