/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading the stat and the children of many processes at once.
 *
 * For each pid of a batch: /proc/PID/stat, parsed, and the main thread's
 * children file /proc/PID/task/PID/children, as text, both known to be
 * the same process's.  The proof is the order of the reads: the stat file
 * is opened first, then the children file (and, when asked for, the
 * /proc/PID directory), then the stat is read.  A /proc file refuses every
 * read once its process has been reaped, so a stat read that succeeds
 * shows the process was alive, and held the pid, from the first open to
 * that read: whatever was opened between is its own.
 *
 * Three engines:
 *
 *   io_uring   one submission for the whole batch: per process a linked
 *              chain openat, openat, read, read, close, close on direct
 *              descriptors (nothing enters the descriptor table), so the
 *              batch costs one system call, whatever its size.  Needs
 *              Linux 5.17 (IORING_FEAT_LINKED_FILE); refused by many
 *              container seccomp profiles, by io_uring_disabled, or by
 *              RLIMIT_MEMLOCK on older kernels.
 *   threads    the syscalls engine's reads, shared between the caller and
 *              a helper thread for the walk (procfs_helper.h): two CPUs.
 *              The helper can also read a batch ahead, alone, while the
 *              caller does other work (procfs_batch_read_ahead()).
 *   syscalls   the same reads, one system call each, every small file read
 *              with one read(2) where it fits.
 *
 * Which is cheapest depends on the machine far more than on the kernel
 * (one virtual machine read a batch through io_uring in a third of the
 * time the syscalls engine took, another in 1.3 times it), and on the
 * moment (the threads engine needs a second CPU free), so the engine is
 * chosen by measure: every batch of eight items or more is timed; each
 * engine that can run here is tried first, then the one with the lowest
 * recent cost per item reads, but for one batch in 32, which goes to
 * another engine, so that the choice follows the machine's load.  The
 * first refusal of io_uring_setup() is remembered for the life of the
 * process, so the fallback then costs nothing more than the engines left.
 * Any item the ring could not read as it should (a file longer than its
 * buffer, an opcode the kernel refuses) is read again with system calls:
 * the results never depend on the engine.
 */
#ifndef LIBPROCCTL_PROCFS_BATCH_H
#define LIBPROCCTL_PROCFS_BATCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "procfs.h"

/*
 * The most items one procfs_batch_read() takes: enough for the threads
 * engine to share a family of a hundred siblings in one hand-over, where
 * 32 left a quarter of its cost in waits for the other thread.
 */
#define PROCFS_BATCH_MAX 128
/*
 * The children text kept per item (about 150 pids); a longer file is
 * reported truncated, for the caller to read whole.
 */
#define PROCFS_BATCH_CHILDREN_MAX 1024

struct procfs_batch_item {
	pid_t pid;              /* in: a process (a thread group leader) */
	int result;             /* 0, -ESRCH (gone, or hidden), or -errno */
	int dirfd;              /* its /proc/PID directory, when asked for, else -1 */
	struct proc_stat stat;
	/*
	 * Its main thread's children file, NUL-terminated, valid until the
	 * next read of the batch.  Truncated: longer than the buffer, only
	 * its start is here; read the whole file again to know them all.
	 */
	const char *children;
	bool children_truncated;
};

struct procfs_batch_ring;
struct procfs_batch;

/* What one engine reads of a batch: items[from, from + n), then closes. */
struct procfs_batch_job {
	struct procfs_batch *b;
	struct procfs_batch_item *items;    /* the whole batch's */
	size_t from, n;
	const int *closes;                  /* directories closed first */
	size_t n_closes;
	bool children_only;
	atomic_bool cancelled;              /* the reads not begun are skipped */
};

struct procfs_batch {
	bool want_dirs;
	struct procfs_batch_ring *ring;     /* NULL: the syscalls engine */
	char *stat_buf, *children_buf;      /* PROCFS_BATCH_MAX buffers each */
	int closing[PROCFS_BATCH_MAX];      /* directories to close with the next batch */
	size_t n_closing;
	struct procfs_helper *helper;       /* the threads engine's, once started */
	bool may_share;                     /* the threads engine can run in this walk */
	pid_t helper_ended;                 /* the helper's thread id once fini joined it */
	int last_engine;                    /* enum procfs_batch_engine of the last batch */
	/* A batch read ahead by the helper (procfs_batch_read_ahead()), while pending. */
	struct procfs_batch_job ahead;
	bool ahead_pending;
	int ahead_closes[PROCFS_BATCH_MAX];
};

enum procfs_batch_engine {
	PROCFS_BATCH_IO_URING,
	PROCFS_BATCH_SYSCALLS,
	PROCFS_BATCH_THREADS,
	PROCFS_BATCH_ENGINES,
	PROCFS_BATCH_AUTO = -1,     /* procfs_batch_force_engine(): chosen by measure */
};

/*
 * Set up a batch reader; want_dirs: also hold each process's /proc/PID
 * directory, which the caller then owns.  -ENOMEM only: a refused ring
 * means the syscalls engine.
 */
int procfs_batch_init(struct procfs_batch *b, bool want_dirs);

/* Fill items[0..n) (n <= PROCFS_BATCH_MAX); each item has its own result. */
void procfs_batch_read(struct procfs_batch *b, struct procfs_batch_item *items, size_t n);

/*
 * Children only, for a walk that looks again below processes it knows:
 * each item's main-thread children file (by pid: whose it is, the caller
 * checks), and in stat.num_threads its thread count now (from the link
 * count of /proc/PID/task; 0 when not known), no other stat field.  More
 * than one thread: the other threads' children files are the caller's to
 * read.  result -ESRCH: gone.
 */
void procfs_batch_read_children(struct procfs_batch *b, struct procfs_batch_item *items,
    size_t n);

/*
 * Read items[0..n) ahead, in the background: the threads engine's helper
 * reads them alone while the caller goes on, if the measure prefers that
 * engine (or it is forced) and it can run.  Until procfs_batch_wait() or
 * procfs_batch_drop(), the caller must not touch items[0..n), and no
 * other read may start (one that does drops this one first).  False: not
 * started, nothing done.
 */
bool procfs_batch_read_ahead(struct procfs_batch *b, struct procfs_batch_item *items, size_t n);

/* For the tests: how many batches read ahead were used, and dropped, in this process. */
void procfs_batch_ahead_counts(unsigned long *used, unsigned long *dropped);

/* The items of the batch read ahead, 0 when none is pending. */
size_t procfs_batch_pending(const struct procfs_batch *b);

/* Finish reading it (the caller takes the items left): as procfs_batch_read() leaves them. */
void procfs_batch_wait(struct procfs_batch *b);

/*
 * Let it go unused: the reads not begun are skipped, the directories of
 * those done are closed.
 */
void procfs_batch_drop(struct procfs_batch *b);

/*
 * Close a directory the batch handed over (item.dirfd) once done with it:
 * with the ring, in the next submission (no system call of its own); with
 * the threads engine, shared with the next batch's reads; else at once.
 * procfs_batch_fini() closes what is left.
 */
void procfs_batch_close_later(struct procfs_batch *b, int fd);

void procfs_batch_fini(struct procfs_batch *b);

/* The engine that read b's last batch. */
enum procfs_batch_engine procfs_batch_engine(const struct procfs_batch *b);

/*
 * For the benchmark and the unit tests: read with this engine wherever it
 * can run (else with system calls), or PROCFS_BATCH_AUTO.
 */
void procfs_batch_force_engine(enum procfs_batch_engine e);
/* The same with PROCFS_BATCH_SYSCALLS (on) or PROCFS_BATCH_AUTO. */
void procfs_batch_force_syscalls(bool on);

/* The engine the measure now prefers (PROCFS_BATCH_AUTO before it knows). */
enum procfs_batch_engine procfs_batch_chosen_engine(void);

/* How many samples of engine e the measure has taken in this process. */
unsigned int procfs_batch_samples(enum procfs_batch_engine e);

#endif
