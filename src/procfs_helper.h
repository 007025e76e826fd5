/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A second thread that shares the reading of a batch of /proc files with
 * the caller, so that a walk of a large tree uses two CPUs.
 *
 * Why a thread: what a walk costs is the kernel's work inside /proc (on
 * the machines measured, the stat file alone costs 1.5 times what the
 * children file costs), and that work is one CPU's unless two threads do
 * it.  io_uring hands it to its io-wq workers, but one hand-over per
 * chain costs more than the reads themselves on a virtual machine whose
 * wake-ups are dear (docs/BENCH.md); a thread of our own, woken once per
 * batch, reads with plain system calls as fast as the caller does.
 *
 * The helper lives for one walk: started by the first batch worth sharing
 * and joined when the walk ends, so a procctl() call leaves no thread
 * behind.  It blocks every signal (a signal for the process goes to one
 * of the caller's own threads), takes no lock the caller could hold, and
 * touches only the items it is handed.  Where it cannot be started (a
 * pids limit, a filter refusing clone, one CPU) the caller reads alone.
 */
#ifndef LIBPROCCTL_PROCFS_HELPER_H
#define LIBPROCCTL_PROCFS_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct procfs_helper;

/* Read item i of what ctx names; run by either thread, once per item. */
typedef void procfs_helper_fn(void *ctx, size_t i);

/* NULL where no helper can run (and errno says why). */
struct procfs_helper *procfs_helper_start(void);

/*
 * Run fn on every i in [0, n), shared between the caller and the helper
 * (each takes the next item not yet taken); returns once all are done.
 */
void procfs_helper_share(struct procfs_helper *h, procfs_helper_fn *fn, void *ctx, size_t n);

/*
 * The same in two steps, for a caller with other work meanwhile: post
 * hands the items to the helper alone and returns at once; finish takes
 * the items still left, and returns once all are done.  Nothing else may
 * be posted or shared in between.
 */
void procfs_helper_post(struct procfs_helper *h, procfs_helper_fn *fn, void *ctx, size_t n);
void procfs_helper_finish(struct procfs_helper *h);

/*
 * Join the helper and free it, once the kernel no longer lists its thread
 * (or after a bounded wait); returns its thread id (0 for none).
 */
pid_t procfs_helper_stop(struct procfs_helper *h);

/* Whether this process may use more than one CPU (its affinity mask). */
bool procfs_helper_worth_it(void);

#endif
