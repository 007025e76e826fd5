/* SPDX-License-Identifier: BSD-2-Clause */
#include "procfs_helper.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procfs.h"

/* Enough for read_item_syscalls() under the sanitizers; reserved, barely touched. */
#define HELPER_STACK (256 * 1024)
/*
 * How long either side spins before it sleeps: about the time the caller
 * spends between two batches of a walk (visiting what the last one read),
 * so that the helper is awake for the next one without a wake-up.
 */
#define SPINS 4096

struct procfs_helper {
	pthread_t thread;
	procfs_helper_fn *fn;
	void *ctx;
	size_t n;
	atomic_size_t next;         /* the next item not yet taken */
	atomic_uint job;            /* bumped for each batch, and to stop */
	/*
	 * Who has a job: (job << 2) | OPEN, then HELPER_IN (the helper takes
	 * items) or CLOSED (the caller took them all before the helper woke;
	 * the helper then stays out).  The job number in it keeps a helper
	 * that wakes late from entering a later job as if it were its own.
	 */
	atomic_uint claim;
	atomic_uint done;           /* the last job the helper finished */
	atomic_bool quit;
	atomic_int tid;             /* the helper's, written first thing */
	atomic_bool helper_asleep;  /* in FUTEX_WAIT on job */
	atomic_bool caller_asleep;  /* in FUTEX_WAIT on done */
};

enum { OPEN, HELPER_IN, CLOSED };
#define CLAIM(job, phase) (((job) << 2) | (phase))

bool procfs_helper_worth_it(void)
{
	cpu_set_t set;
	return sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) >= 2;
}

static void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

static void futex_wait(atomic_uint *word, unsigned int expected)
{
	(void)syscall(SYS_futex, (unsigned int *)word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG,
	    expected, NULL, NULL, 0);
}

static void futex_wake(atomic_uint *word)
{
	(void)syscall(SYS_futex, (unsigned int *)word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1,
	    NULL, NULL, 0);
}

/*
 * Wait until *word differs from seen: spin first, then sleep with *asleep
 * set (the other side wakes a sleeper only: seq_cst makes the flag and the
 * word a Dekker pair, so no wake-up is lost).
 */
static unsigned int wait_change(atomic_uint *word, unsigned int seen, atomic_bool *asleep)
{
	unsigned int now;
	for (int i = 0; i < SPINS; i++) {
		if ((now = atomic_load(word)) != seen)
			return now;
		relax();
	}
	for (;;) {
		atomic_store(asleep, true);
		if ((now = atomic_load(word)) != seen) {
			atomic_store(asleep, false);
			return now;
		}
		futex_wait(word, seen);
		atomic_store(asleep, false);
		if ((now = atomic_load(word)) != seen)
			return now;
	}
}

static void post(atomic_uint *word, unsigned int value, atomic_bool *asleep)
{
	atomic_store(word, value);
	if (atomic_load(asleep))
		futex_wake(word);
}

static void take_items(struct procfs_helper *h)
{
	size_t i;
	while ((i = atomic_fetch_add(&h->next, 1)) < h->n)
		h->fn(h->ctx, i);
}

static void *helper_main(void *arg)
{
	struct procfs_helper *h = arg;
	atomic_store(&h->tid, (int)gettid());
	unsigned int seen = 0;
	for (;;) {
		seen = wait_change(&h->job, seen, &h->helper_asleep);
		if (atomic_load(&h->quit))
			return NULL;
		unsigned int open = CLAIM(seen, OPEN);
		if (!atomic_compare_exchange_strong(&h->claim, &open, CLAIM(seen, HELPER_IN)))
			continue;   /* done without it, or a later job is posted */
		take_items(h);
		post(&h->done, seen, &h->caller_asleep);
	}
}

struct procfs_helper *procfs_helper_start(void)
{
	struct procfs_helper *h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	pthread_attr_t attr;
	int r = pthread_attr_init(&attr);
	if (r == 0) {
		(void)pthread_attr_setstacksize(&attr, HELPER_STACK);
		/* Born with every signal blocked: none is ever delivered to it. */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		r = pthread_create(&h->thread, &attr, helper_main, h);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_attr_destroy(&attr);
	}
	if (r != 0) {
		free(h);
		errno = r;
		return NULL;
	}
	return h;
}

void procfs_helper_post(struct procfs_helper *h, procfs_helper_fn *fn, void *ctx, size_t n)
{
	h->fn = fn;
	h->ctx = ctx;
	h->n = n;
	atomic_store(&h->next, 0);
	unsigned int job = (atomic_load(&h->job) + 1) & (UINT_MAX >> 2);
	atomic_store(&h->claim, CLAIM(job, OPEN));
	/* The job number is the release: the helper reads fn, ctx, n after it. */
	post(&h->job, job, &h->helper_asleep);
}

void procfs_helper_finish(struct procfs_helper *h)
{
	unsigned int job = atomic_load(&h->job);
	take_items(h);
	/* Not woken yet: the job is closed, and the helper never touches it. */
	unsigned int open = CLAIM(job, OPEN);
	if (atomic_compare_exchange_strong(&h->claim, &open, CLAIM(job, CLOSED)))
		return;
	/* In it: it may still be in its last item. */
	unsigned int done = atomic_load(&h->done);
	while (done != job)
		done = wait_change(&h->done, done, &h->caller_asleep);
}

void procfs_helper_share(struct procfs_helper *h, procfs_helper_fn *fn, void *ctx, size_t n)
{
	procfs_helper_post(h, fn, ctx, n);
	procfs_helper_finish(h);
}

/*
 * A joined thread is still listed for a moment: the kernel wakes the
 * joiner (clearing the thread id) before it lets the thread go.  Until
 * then the caller would count one thread too many, and a command that
 * follows could take it for a threaded caller (NO_NEW_PRIVS spreads itself
 * by a filter there).  The wait is bounded: a thread the kernel keeps
 * longer is reported by procfs_helper_stop() anyway.
 */
static void wait_released(pid_t tid)
{
	if (tid <= 0)
		return;
	for (int i = 0; i < 10000 && procfs_own_thread_listed(tid); i++)
		sched_yield();
}

pid_t procfs_helper_stop(struct procfs_helper *h)
{
	if (h == NULL)
		return 0;
	atomic_store(&h->quit, true);
	post(&h->job, (atomic_load(&h->job) + 1) & (UINT_MAX >> 2), &h->helper_asleep);
	pthread_join(h->thread, NULL);
	pid_t tid = (pid_t)atomic_load(&h->tid);
	free(h);
	wait_released(tid);
	return tid;
}
