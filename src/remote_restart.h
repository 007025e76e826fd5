/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The calls Linux does not restart after a stop (signal(7), "Interruption
 * of system calls and library functions by stop signals"): epoll_wait,
 * epoll_pwait, epoll_pwait2, rt_sigtimedwait (sigwaitinfo, sigtimedwait),
 * semop, semtimedop, io_getevents, io_pgetevents, and a read() that ends
 * with -EINTR (inotify on old kernels).  The engine's PTRACE_INTERRUPT
 * is such a stop: the thread stops with -EINTR in its registers, and would
 * return it although no signal came.
 *
 * So a thread that stopped for our interrupt with -EINTR from one of these,
 * with no signal pending that it would take, is released with registers
 * that issue the call again (the same instruction, the same arguments) and
 * with what is left of its timeout.  How long it had waited before the
 * interrupt comes from the scheduler (se.exec_start in /proc/TID/sched,
 * read just before the interrupt and again at the stop: the time it last
 * went to sleep, which is when the call blocked unless it woke and slept
 * again); how long we held it, from CLOCK_MONOTONIC since we collected the
 * stop (its own clock has counted up to the stop).  A timeout given by
 * value (epoll_wait's milliseconds) is rewritten in its register; one given
 * through a pointer is written, shortened, below the thread's red zone and
 * the pointer register aimed at it (the program's own struct is never
 * written).  docs/COMPAT.md says what remains visible.
 *
 * If a signal is pending when we let go (one that came meanwhile, given
 * back), -EINTR stays: the signal would have interrupted the call anyway.
 */
#ifndef LIBPROCCTL_REMOTE_RESTART_H
#define LIBPROCCTL_REMOTE_RESTART_H

#include <stdbool.h>
#include <stdint.h>

#include "remote_session.h"

/* CLOCK_MONOTONIC in ns: when a thread's interrupt stop is collected. */
int64_t restart_clock_ns(void);

/*
 * A thread's /proc/TID/sched, as text, into *r; false if it is not a
 * reading the engine can use (a field missing, or a thread just moved).
 */
bool restart_parse_sched(const char *text, struct sched_reading *r);

/* In seize_one(), between PTRACE_SEIZE and PTRACE_INTERRUPT. */
void restart_before_interrupt(int procdir, struct remote_thread *th);

/* Once the thread is stopped and nothing is changed yet. */
void restart_judge(int procdir, struct remote_thread *th);

/*
 * Just before the thread gets its registers back: if it is to re-issue its
 * call, change *regs (the registers it would leave with) to do so, and
 * write a shortened timeout into its memory where one is needed.  false
 * when *regs stay as they are.
 */
bool restart_prepare(struct remote_job *job, struct remote_thread *th, struct arch_regs *regs);

#endif
