/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LPC_TESTS_EXITING_PROCESS_H
#define LPC_TESTS_EXITING_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * A child whose exit takes milliseconds, for a test to act on it while the
 * kernel has marked it exiting (PF_EXITING: ptrace refuses to attach, its
 * memory is being torn down) and before it is a zombie: what a call racing
 * with an exit meets.  Its exit is slow because it has many pages to free.
 * Nothing in Linux holds a process in that state for good (a socket's
 * linger, for one, is skipped by an exiting process), so a test that
 * misses the window tries again.
 */
struct tl_exiting {
	pid_t pid;
	int go;         /* a byte written here makes the child exit */
};

/* The child, alive and ready to exit. */
void tl_exiting_start(struct tl_exiting *e);

/*
 * Make it exit; true once it is seen exiting, false if it was already a
 * zombie when first looked at.  Async-signal-safe, for the engine's hooks,
 * which may run in a forked helper.
 */
bool tl_exiting_enter(const struct tl_exiting *e);

/* Reap it. */
void tl_exiting_end(struct tl_exiting *e);

#endif
