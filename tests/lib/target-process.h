/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Driving tests/helpers/remote-target (path in $LPC_REMOTE_TARGET) from a
 * test: start it in a state, read what it reports, end and reap it.  Every
 * function fails the cmocka test on its own errors and bounds its waits.
 */
#ifndef LIBPROCCTL_TARGET_PROCESS_H
#define LIBPROCCTL_TARGET_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct target_process {
	pid_t pid;
	int in;                 /* its stdin */
	int out;                /* its stdout */
	char pending[1024];     /* output read but not yet returned as lines */
	size_t pending_len;
};

#define TP_TIMEOUT_MS 10000

/*
 * Start remote-target with args (NULL-terminated, without argv[0]) and wait
 * for its "ready" line.  Returns false, with the reason printed, when the
 * helper could not get into its state (e.g. a filter it may not install).
 */
bool tp_start(struct target_process *tp, const char *const args[]);

/* Whether every thread of pid sleeps (S): none starting, faulting (D) or running. */
bool tp_all_threads_asleep(pid_t pid);

/* Wait (bounded) until its main thread sleeps (S), spins (R) or ... */
void tp_wait_state(struct target_process *tp, const char *states);
/*
 * Until every thread of the target sleeps (S): a threaded target's leader
 * may sleep while its other threads are still starting, and the engine
 * refuses a thread that is not at rest (EBUSY).  Fails after TP_TIMEOUT_MS.
 */
void tp_wait_all_asleep(struct target_process *tp);

/* Write a line to its stdin. */
void tp_send(struct target_process *tp, const char *line);

/*
 * The next output line that starts with prefix (earlier ones are skipped),
 * without its newline; fails the test after TP_TIMEOUT_MS.
 */
void tp_expect(struct target_process *tp, const char *prefix, char *line, size_t size);

/* tp_expect(), and the line must then be exactly want. */
void tp_expect_exactly(struct target_process *tp, const char *prefix, const char *want);

/*
 * A target in a vfork state: the pid its child reports ("vfork-child
 * PID"), once the target is in its uninterruptible sleep.
 */
pid_t tp_vfork_child(struct target_process *tp);

/* Wait for it to exit by itself; returns the wait status. */
int tp_finish(struct target_process *tp);

/* Wait for it to exit by itself, with status 0. */
void tp_finish_cleanly(struct target_process *tp);

/*
 * End a target in the read state: it must read a line intact, report its
 * attributes as want_attrs (unless NULL) and exit 0.
 */
void tp_end_reading(struct target_process *tp, const char *want_attrs);

/* Whether the remote engine, run from here, may read a target's seccomp filters. */
bool tp_can_judge_filters(void);

/* Start a target with these arguments, or skip the test saying why. */
#define TP_START(tp, ...) do { \
	const char *const tp_args_[] = { __VA_ARGS__, NULL }; \
	if (!tp_start((tp), tp_args_)) \
		tl_skip("the target could not be put in its state"); \
} while (0)

/* SIGKILL it (it is our child) and reap it. */
void tp_kill(struct target_process *tp);

#endif
