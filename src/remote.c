/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The remote engine's entry (remote.h): it prepares the work and hands it
 * to a helper process, which traces the target (remote_session.c).
 *
 * Why a helper process, and not the calling thread: a tracer's process gets
 * SIGCHLD for every ptrace stop of its tracees, and any wait() in it may
 * collect those stops.  Done in the caller, that would run the caller's
 * SIGCHLD handler for stops it never asked for, and a waitpid(-1) in any of
 * its threads could swallow a stop the engine is waiting for and leave the
 * target stopped.  The helper is created with clone(CLONE_VM) and exit
 * signal 0: it shares the caller's memory (nothing is copied), its exit
 * sends no SIGCHLD, and wait() without __WALL never reports it.  It starts
 * with every signal blocked, so no handler of the caller ever runs in it.
 * If the caller is killed meanwhile, the helper still puts the target back
 * before it exits.
 *
 * A signal to the helper.  Blocked signals wait; only SIGKILL and SIGSTOP
 * reach it, from anyone with the caller's uid (or a REAP_KILL that reaches
 * its caller).  The calling thread waits for the helper's exit *or stop*
 * (not CLONE_VFORK, which would sleep through a stop for ever): a stopped
 * helper is killed at once by the caller, its parent.  A dead tracer's
 * tracees are detached by the kernel, and every state the helper leaves a
 * thread in is one it can leave in on its own (remote_session.c, "If the
 * helper dies"): no target is left stopped, traced or with changed
 * registers.  A stop makes the kernel send the caller one SIGCHLD
 * (CLD_STOPPED): the only trace of such an attack.
 *
 * The helper shares the heap but must not use it (another thread of the
 * caller may hold malloc's locks), so everything it needs is allocated
 * here, and its answer comes back through a pipe: under valgrind, which
 * runs the clone as a fork, shared memory is not shared.
 */
#include "remote.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "fdutil.h"
#include "linux_compat.h"
#include "reaper_exempt.h"
#include "remote_session.h"
#include "valgrind_compat.h"

/* gcc's name for an ASan build; clang (the fuzz build) says it only this way. */
#if !defined(__SANITIZE_ADDRESS__) && defined(__has_feature)
#if __has_feature(address_sanitizer)
#define __SANITIZE_ADDRESS__ 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

/* Room for threads created between the count and the freeze. */
#define THREAD_SLACK 64

#define HELPER_STACK_SIZE (256 * 1024)

struct remote_outcome {
	int error;
	long result;
	int64_t waited_ms;      /* spent waiting out uninterruptible sleeps */
};

/*
 * The calling thread's patience for uninterruptible sleeps, for the whole
 * procctl() call it is in (remote_patience_begin()); closed (a caller
 * inside the library, outside procctl()), each remote call has
 * UNINTERRUPTIBLE_WAIT_MS of its own.
 */
static __thread struct remote_patience call_patience;

struct remote_patience remote_patience_begin(void)
{
	struct remote_patience outer = call_patience;
	call_patience = (struct remote_patience){ .open = true,
	    .left_ms = UNINTERRUPTIBLE_WAIT_MS };
	return outer;
}

void remote_patience_end(struct remote_patience outer)
{
	call_patience = outer;
}

struct helper {
	struct remote_job *job;
	int answer_fd;
};

static int helper_main(void *arg)
{
	struct helper *h = arg;
	/* No reaper command counts, lists or signals it (reaper_exempt.h). */
	exempt_name_self();

	/*
	 * The caller's SIGCHLD disposition was copied: an ignored SIGCHLD, or
	 * SA_NOCLDSTOP, would keep ptrace stops from waking the helper.
	 * Blocked (as everything is here), SIGCHLD stays pending for
	 * sigtimedwait() instead of running anything.
	 */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	(void)sigaction(SIGCHLD, &dfl, NULL);

	struct remote_outcome out;
	memset(&out, 0, sizeof(out));
	out.error = remote_session_run(h->job);
	out.result = h->job->result;
	out.waited_ms = h->job->patience.waited_ms;
	/* Should this fail, the caller reads no answer and reports EIO. */
	ssize_t written = write(h->answer_fd, &out, sizeof(out));
	(void)written;
	/* Not _exit(): that would run sanitizer and stdio hooks of the caller's image. */
	syscall(SYS_exit_group, 0);
	return 0;
}

/* Whether the caller could read a filtered target's seccomp filters. */
static bool may_read_filters(void)
{
	long mode = 0;
	if (procfs_status_number(0, "Seccomp", &mode) == 0 && mode != 0)
		return false;
	return caps_effective_has_in_initial_userns(CAP_SYS_ADMIN);
}

static void job_free(struct remote_job *job)
{
	fd_closep(&job->procdir);
	free(job->threads.v);
	free(job->kept);
	free(job->filter);
	free(job->fpstate);
}

static int job_init(struct remote_job *job, const struct target *t, unsigned int flags,
    long nr, const long args[6])
{
	memset(job, 0, sizeof(*job));
	job->target = t->ref;
	job->flags = flags;
	job->nr = nr;
	memcpy(job->args, args, sizeof(job->args));
	job->may_read_filters = may_read_filters();
	job->mem_fd = -1;
	job->procdir = pidref_procdir(&t->ref);
	if (job->procdir < 0)
		return job->procdir;

	struct proc_stat st;
	long threads = t->stat.num_threads;
	if (pidref_read_stat(&t->ref, &st) == 0 && st.num_threads > threads)
		threads = st.num_threads;
	job->threads.tgid = t->ref.pid;
	job->threads.procdir = job->procdir;
	job->threads.capacity = (size_t)(threads > 0 ? threads : 1) + THREAD_SLACK;
	job->threads.v = calloc(job->threads.capacity, sizeof(*job->threads.v));
	job->kept = calloc(KEPT_SIGNALS_MAX, sizeof(*job->kept));
	job->filter = calloc(BPF_MAXINSNS, sizeof(*job->filter));
	job->fpstate = aligned_alloc(64, FPSTATE_MAX);
	if (job->threads.v == NULL || job->kept == NULL || job->filter == NULL ||
	    job->fpstate == NULL) {
		job_free(job);
		return -ENOMEM;
	}
	return 0;
}

/* The helper's stack, with a guard page below it. */
static void *stack_map(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *base = mmap(NULL, HELPER_STACK_SIZE + page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	(void)mprotect(base, page, PROT_NONE);
	return base;
}

static void stack_unmap(void *base)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
#if defined(__SANITIZE_ADDRESS__)
	/* The helper exited inside frames whose redzones are still poisoned. */
	ASAN_UNPOISON_MEMORY_REGION((char *)base + page, HELPER_STACK_SIZE);
#endif
	munmap(base, HELPER_STACK_SIZE + page);
}

/*
 * Until the helper has exited: a stop (SIGSTOP, SIGTSTP... from anyone) is
 * answered with SIGKILL, so that neither the target nor the caller waits
 * on it.  By pidfd where there is one: a __WALL waiter elsewhere in the
 * caller may reap the helper, and its number must then not be trusted.
 */
static void wait_for_helper(pid_t pid)
{
	int pidfd = sys_pidfd_open(pid, 0);
	for (;;) {
		siginfo_t info;
		memset(&info, 0, sizeof(info));
		int r = pidfd >= 0 ?
		    (int)syscall(SYS_waitid, P_PIDFD, pidfd, &info, WEXITED | WSTOPPED | __WALL, NULL) :
		    waitid(P_PID, (id_t)pid, &info, WEXITED | WSTOPPED | __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		/* Linux 5.3 has pidfds but no P_PIDFD: by number then. */
		if (r < 0 && errno == EINVAL && pidfd >= 0) {
			close(pidfd);
			pidfd = -1;
			continue;
		}
		/* ECHILD: reaped by another waiter of the caller; gone either way. */
		if (r < 0 || info.si_code == CLD_EXITED || info.si_code == CLD_KILLED ||
		    info.si_code == CLD_DUMPED)
			break;
		if (info.si_code == CLD_STOPPED) {
			if (pidfd >= 0)
				(void)sys_pidfd_send_signal(pidfd, SIGKILL);
			else
				(void)kill(pid, SIGKILL);   /* our unreaped child: the number is its */
		}
	}
	if (pidfd >= 0)
		close(pidfd);
}

static int run_helper(struct remote_job *job, struct remote_outcome *out)
{
	int pipe_fds[2];
	if (pipe2(pipe_fds, O_CLOEXEC) != 0)
		return -errno;
	void *stack = stack_map();
	if (stack == NULL) {
		close(pipe_fds[0]);
		close(pipe_fds[1]);
		return -ENOMEM;
	}

	struct helper h = { .job = job, .answer_fd = pipe_fds[1] };
	uint64_t all = ~(uint64_t)0, old;
	/* Raw, so that glibc's internal signals are blocked too. */
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof(all));
	char *top = (char *)stack + (size_t)sysconf(_SC_PAGESIZE) + HELPER_STACK_SIZE;
	/* The kernel writes the helper's pid in the cell before it runs. */
	_Atomic pid_t *cell = exempt_claim();
	/*
	 * Valgrind ends the program on CLONE_VM alone; it runs a CLONE_VFORK
	 * child as a fork, without the vfork wait, which it would not
	 * survive either.
	 */
	int flags = CLONE_VM | (under_valgrind() ? CLONE_VFORK : 0) |
	    (cell ? CLONE_PARENT_SETTID : 0);
	pid_t pid = clone(helper_main, top, flags, &h, (pid_t *)cell);
	int err = pid < 0 ? -errno : 0;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof(old));
	close(pipe_fds[1]);

	if (err == 0) {
		wait_for_helper(pid);
		ssize_t n = read(pipe_fds[0], out, sizeof(*out));
		/* No answer: the helper was killed, maybe before it let go. */
		err = n == (ssize_t)sizeof(*out) ? 0 : -EIO;
	}
	exempt_release(cell);
	close(pipe_fds[0]);
	stack_unmap(stack);
	return err;
}

/*
 * A target that exits while the engine works fails the engine's steps in
 * ways that name other causes: ptrace refuses to attach to a thread that
 * has exited (EPERM), a thread tearing down its memory sleeps
 * uninterruptibly (EBUSY), a process without memory has empty maps and
 * auxv (ENOTSUP).  Whatever failed, a target that is now exiting, a
 * zombie or gone is reported gone, as FreeBSD reports a process in exit.
 */
static int blame_exit(const struct target *t, int err)
{
	return err == -ESRCH || target_still_alive(t) < 0 ? -ESRCH : err;
}

int remote_syscall(const struct target *t, unsigned int flags, long nr,
    const long args[6], long *result)
{
	/* A process cannot trace itself; commands on the caller never come here. */
	if (t->self)
		return -EINVAL;
	if (!ARCH_SUPPORTED)
		return -ENOTSUP;

	struct remote_job job;
	int r = job_init(&job, t, flags, nr, args);
	if (r < 0)
		return r;
	job.patience.allowed_ms = call_patience.open ? call_patience.left_ms :
	    UNINTERRUPTIBLE_WAIT_MS;
	struct remote_outcome out = { .error = 0 };
	r = run_helper(&job, &out);
	job_free(&job);
	/* Without an answer (EIO) what the helper waited is not known. */
	if (call_patience.open && r == 0) {
		int64_t left = call_patience.left_ms - out.waited_ms;
		call_patience.left_ms = left > 0 ? left : 0;
	}
	if (r < 0)
		return blame_exit(t, r);
	if (out.error < 0)
		return blame_exit(t, out.error);
	*result = out.result;
	return 0;
}
