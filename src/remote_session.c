/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runs in the remote engine's helper process; see remote_session.h.
 *
 * Registers.  Each thread that runs the call has its registers saved at its
 * first stop and written back, unchanged, before it is let go.  A thread
 * that was blocked in a system call (read, pause, nanosleep...) stopped with
 * the kernel's -ERESTART* code in its registers; the kernel decides what
 * that code becomes (restart, EINTR, restart_syscall) in its signal code,
 * depending on whether a handler runs and on SA_RESTART.  So the saved
 * registers go back as they were, and every thread is released from a stop
 * *inside* that signal code (an interrupt stop or a signal-delivery stop),
 * never from the syscall-exit stop of our own call: the kernel then applies
 * its own restart rules, exactly as if we had never been there.
 *
 * Signals.  While a thread runs our call it passes through the kernel's
 * signal code, and a signal pending for it is taken out and shown to us as
 * a signal-delivery stop.  Each such signal is kept with its siginfo and
 * given back before the thread is let go: the thread itself re-queues it
 * with an injected rt_tgsigqueueinfo(), the one call that may queue any
 * si_code, sender and value to its own thread.  Meanwhile every signal is
 * blocked in that thread (PTRACE_SETSIGMASK), so a re-queued signal is not
 * taken out again by the next injected call.  Where that call cannot be
 * injected (the target's seccomp policy forbids it), the helper re-queues
 * from outside: exactly for si_code < 0 (sigqueue, timers, AIO), as a plain
 * tgkill() otherwise.
 */
#include "remote_session.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdutil.h"
#include "procfs.h"
#include "remote.h"
#include "remote_frame.h"
#include "remote_restart.h"
#include "remote_seccomp.h"
#include "remote_seccomp_peer.h"

/* How long a thread may take from being resumed to its next ptrace stop. */
#define CALL_TIMEOUT_MS STOP_TIMEOUT_MS

/*
 * How long to wait for a thread that holds our registers before giving up
 * on it.  Our calls never block, so it stops as soon as it is scheduled;
 * letting it go with our registers would be far worse than waiting on a
 * starved machine.
 */
#define RESTORE_TIMEOUT_MS 30000

/* Stops on the way to one syscall stop before the thread counts as flooded. */
#define CALL_STOPS_MAX (KEPT_SIGNALS_MAX + 8)

/* Bytes of the vdso searched for a syscall instruction. */
#define VDSO_SCAN_MAX (16 * 4096)

/* ---- the target's memory, through /proc/TGID/mem as its tracer ---- */

int remote_mem_access(struct remote_job *job, uintptr_t addr, void *buf, size_t len,
    bool write)
{
	if (job->mem_fd < 0) {
		job->mem_fd = openat(job->procdir, "mem", O_RDWR | O_CLOEXEC);
		if (job->mem_fd < 0)
			return -errno;
	}
	ssize_t n = write ? pwrite(job->mem_fd, buf, len, (off_t)addr) :
	    pread(job->mem_fd, buf, len, (off_t)addr);
	return n == (ssize_t)len ? 0 : -EIO;
}

/* ---- a system-call instruction to borrow ---- */

static int vdso_base(int procdir, uintptr_t *base)
{
	unsigned long aux[128];
	ssize_t n = procfs_read_small_at(procdir, "auxv", (char *)aux, sizeof(aux));
	if (n < 0)
		return (int)n;
	for (size_t i = 0; i + 1 < (size_t)n / sizeof(aux[0]) && aux[i] != AT_NULL; i += 2) {
		if (aux[i] == AT_SYSINFO_EHDR) {
			*base = aux[i + 1];
			return 0;
		}
	}
	return -ENOTSUP;
}

static int find_in_vdso(struct remote_job *job)
{
	uintptr_t base = 0;
	int r = vdso_base(job->procdir, &base);
	if (r < 0)
		return r;
	unsigned char page[4096];
	for (size_t off = 0; off < VDSO_SCAN_MAX; off += sizeof(page)) {
		if (remote_mem_access(job, base + off, page, sizeof(page), false) < 0)
			break;
		for (size_t i = 0; i + ARCH_SYSCALL_INSN_LEN <= sizeof(page); i++) {
			if (arch_is_syscall_insn(page + i)) {
				job->insn = base + off + i;
				return 0;
			}
		}
	}
	return -ENOTSUP;
}

/*
 * A thread stopped inside a system call has just executed a syscall
 * instruction; any other thread can borrow the one in the vdso, which the
 * kernel maps into every process.
 */
static int find_syscall_insn(struct remote_job *job)
{
	unsigned char code[ARCH_SYSCALL_INSN_LEN];
	for (size_t i = 0; i < job->threads.count; i++) {
		struct remote_thread *th = &job->threads.v[i];
		if (!th->runs_call || arch_interrupted_syscall(&th->saved) < 0)
			continue;
		uintptr_t at = arch_syscall_insn_before(&th->saved);
		if (remote_mem_access(job, at, code, sizeof(code), false) == 0 &&
		    arch_is_syscall_insn(code)) {
			job->insn = at;
			return 0;
		}
	}
	return find_in_vdso(job);
}

/* The instruction, and a way back for each thread should the helper die (remote_frame.h). */
static int find_entry(struct remote_job *job)
{
	int r = find_syscall_insn(job);
	if (r == 0 && frame_find_gadgets(job) == 0)
		job->insn = job->gadget;
	return r;
}

/* ---- who runs the call, and may it ---- */

static int choose_threads(struct remote_job *job)
{
	struct thread_set *ts = &job->threads;
	struct remote_thread *chosen = threads_find(ts, ts->tgid);
	if (chosen == NULL || chosen->state != THREAD_STOPPED) {
		chosen = NULL;
		for (size_t i = 0; i < ts->count && chosen == NULL; i++)
			if (ts->v[i].state == THREAD_STOPPED)
				chosen = &ts->v[i];
	}
	if (chosen == NULL)
		return -ESRCH;

	for (size_t i = 0; i < ts->count; i++) {
		struct remote_thread *th = &ts->v[i];
		th->runs_call = th->state == THREAD_STOPPED &&
		    ((job->flags & REMOTE_ALL_THREADS) || th == chosen);
		if (!th->runs_call)
			continue;
		int r = arch_get_regs(th->tid, &th->saved);
		if (r < 0)
			return r;
	}
	return find_entry(job);
}

static int judge(struct remote_job *job, const struct remote_thread *th, long nr,
    const long args[6], struct seccomp_verdict *verdict)
{
	struct seccomp_data data = {
		.nr = (int)nr,
		.arch = ARCH_AUDIT_ARCH,
		.instruction_pointer = arch_seccomp_ip(job->insn),
	};
	for (int i = 0; i < 6; i++)
		data.args[i] = (uint64_t)args[i];
	return seccomp_judge_call(job->threads.tgid, th->tid, &data, job->filter, verdict);
}

/*
 * Never inject a call the target's seccomp policy would punish.  A call it
 * would merely fail (ERRNO, TRACE) fails in every thread without effect:
 * that answer is reported without injecting anything.  A call that would
 * run in some threads and fail in others is refused, rather than applied
 * to part of the process.
 */
static int judge_everywhere(struct remote_job *job, bool *answered)
{
	size_t runs = 0, fails = 0;
	int first_error = 0;
	for (size_t i = 0; i < job->threads.count; i++) {
		struct remote_thread *th = &job->threads.v[i];
		if (!th->runs_call)
			continue;
		struct seccomp_verdict v;
		int r = judge(job, th, job->nr, job->args, &v);
		if (r < 0)
			return r;
		if (v.fate == SECCOMP_CALL_UNSAFE)
			return -EPERM;
		if (v.fate == SECCOMP_CALL_RUNS) {
			runs++;
		} else if (fails++ == 0) {
			first_error = v.error;
		}
	}
	if (fails == 0)
		return 0;
	if (runs > 0)
		return -EPERM;
	job->result = -first_error;
	*answered = true;
	return 0;
}

/* ---- running a call in one thread ---- */

/* The thread is stopped for a signal we are about to suppress: keep it. */
static int keep_signal(struct remote_job *job, struct remote_thread *th)
{
	if (th->stop != STOP_SIGNAL || th->signal == 0)
		return 0;
	if (job->kept_count == KEPT_SIGNALS_MAX)
		return -EBUSY;
	struct kept_signal *k = &job->kept[job->kept_count];
	if (ptrace(PTRACE_GETSIGINFO, th->tid, NULL, &k->info) != 0)
		return -errno;
	k->tid = th->tid;
	job->kept_count++;
	th->signal = 0;
	return 0;
}

/* Resume th until its next syscall stop, and read its registers there. */
static int next_syscall_stop(struct remote_job *job, struct remote_thread *th,
    struct arch_regs *regs)
{
	for (int stops = 0; stops < CALL_STOPS_MAX; stops++) {
		int r = threads_resume(th, PTRACE_SYSCALL);
		if (r == 0)
			r = threads_wait(&job->threads, th, CALL_TIMEOUT_MS);
		if (r < 0)
			return r == -ETIMEDOUT ? -EBUSY : r;
		if (th->state == THREAD_GONE)
			return -ESRCH;
		switch (th->stop) {
		case STOP_SYSCALL:
			return arch_get_regs(th->tid, regs);
		case STOP_INTERRUPT:
			break;          /* the interrupt that froze it, still due */
		case STOP_SIGNAL:
			r = keep_signal(job, th);
			if (r < 0)
				return r;
			break;
		case STOP_GROUP:
			return -EBUSY;
		}
	}
	return -EBUSY;
}

static int call_in_thread(struct remote_job *job, struct remote_thread *th, long nr,
    const long args[6], long *result)
{
	struct arch_regs regs;
	arch_prepare_call(&regs, &th->saved, job->insn, nr, args);
	frame_prepare(job, th, &regs);
	int r = keep_signal(job, th);
	if (r == 0)
		r = arch_set_regs(th->tid, &regs);
	if (r < 0)
		return r;
	th->injected = true;
	if (remote_session_step_hook != NULL)
		remote_session_step_hook(1);

	r = next_syscall_stop(job, th, &regs);
	/* Anything but our call at the entry stop: stop before it runs. */
	if (r == 0 && arch_entered_syscall(&regs) != nr)
		r = -EIO;
	if (r < 0)
		return r;
	th->reached_call = true;
	frame_learn_mask(job, th);
	r = next_syscall_stop(job, th, &regs);
	if (r == 0)
		*result = arch_syscall_result(&regs);
	if (r == 0 && remote_session_step_hook != NULL)
		remote_session_step_hook(2);
	return r;
}

static int run_everywhere(struct remote_job *job)
{
	bool ran = false;
	for (size_t i = 0; i < job->threads.count; i++) {
		struct remote_thread *th = &job->threads.v[i];
		if (!th->runs_call || th->state != THREAD_STOPPED)
			continue;
		long result;
		int r = call_in_thread(job, th, job->nr, job->args, &result);
		if (r < 0)
			return r;
		if (!ran || result < 0)
			job->result = result;
		ran = true;
		/* The kernel refused it: leave the other threads as they are. */
		if (result < 0)
			return 0;
	}
	return ran ? 0 : -ESRCH;
}

/* ---- giving back signals and registers ---- */

static void give_back_from_outside(pid_t tgid, const struct kept_signal *k)
{
	siginfo_t info = k->info;
	/* Only negative codes may be sent to another process as they are. */
	if (info.si_code < 0 && info.si_code != SI_TKILL &&
	    syscall(SYS_rt_tgsigqueueinfo, tgid, k->tid, info.si_signo, &info) == 0)
		return;
	(void)syscall(SYS_tgkill, tgid, k->tid, info.si_signo);
}

/* The thread re-queues the signal to itself, siginfo and all. */
static int give_back_from_inside(struct remote_job *job, struct remote_thread *th,
    const struct kept_signal *k)
{
	/* Below the red zone, where the thread's own code keeps nothing. */
	uintptr_t scratch = (arch_stack_pointer(&th->saved) - ARCH_RED_ZONE -
	    sizeof(siginfo_t)) & ~(uintptr_t)15;
	const long args[6] = { job->threads.tgid, th->tid, k->info.si_signo, (long)scratch };

	struct seccomp_verdict v;
	int r = judge(job, th, SYS_rt_tgsigqueueinfo, args, &v);
	if (r < 0 || v.fate != SECCOMP_CALL_RUNS)
		return -EPERM;

	unsigned char original[sizeof(siginfo_t)];
	r = remote_mem_access(job, scratch, original, sizeof(original), false);
	if (r == 0)
		r = remote_mem_access(job, scratch, (void *)&k->info, sizeof(k->info), true);
	if (r < 0)
		return r;
	long result = -1;
	r = call_in_thread(job, th, SYS_rt_tgsigqueueinfo, args, &result);
	int restored = remote_mem_access(job, scratch, original, sizeof(original), true);
	if (r == 0 && result != 0)
		r = (int)result;
	return r < 0 ? r : restored;
}

/* A thread left running by a call that failed: stop it again. */
static void hold_again(struct remote_job *job, struct remote_thread *th)
{
	if (th->state == THREAD_RUNNING &&
	    ptrace(PTRACE_INTERRUPT, th->tid, NULL, NULL) == 0)
		(void)threads_wait(&job->threads, th, RESTORE_TIMEOUT_MS);
}

static void give_back_signals(struct remote_job *job, struct remote_thread *th)
{
	/*
	 * Blocking everything is safe only once the thread has left the
	 * signal code through our call: by then the kernel has put back any
	 * mask a sigsuspend() or ppoll() had lent it.
	 */
	uint64_t mask = 0, all = ~(uint64_t)0;
	bool inside = th->reached_call &&
	    ptrace(PTRACE_GETSIGMASK, th->tid, (void *)sizeof(mask), &mask) == 0 &&
	    ptrace(PTRACE_SETSIGMASK, th->tid, (void *)sizeof(all), &all) == 0;

	/* The list may grow as we go: a SIGSTOP cannot be blocked. */
	for (size_t i = 0; i < job->kept_count; i++) {
		struct kept_signal *k = &job->kept[i];
		if (k->tid != th->tid)
			continue;
		if (!inside || give_back_from_inside(job, th, k) < 0)
			give_back_from_outside(job->threads.tgid, k);
		k->tid = 0;
		hold_again(job, th);
	}
	if (inside)
		(void)ptrace(PTRACE_SETSIGMASK, th->tid, (void *)sizeof(mask), &mask);
}

static bool has_kept_signals(const struct remote_job *job, const struct remote_thread *th)
{
	for (size_t i = 0; i < job->kept_count; i++)
		if (job->kept[i].tid == th->tid)
			return true;
	return false;
}

static void restore_thread(struct remote_job *job, struct remote_thread *th)
{
	hold_again(job, th);
	if (th->state != THREAD_STOPPED)
		return;

	if (has_kept_signals(job, th))
		give_back_signals(job, th);
	struct arch_regs back = th->saved;
	(void)restart_prepare(job, th, &back);
	/*
	 * Leave from inside the signal code, where the restart rules run.  The
	 * interrupt is asked for first: should the helper die right after the
	 * registers go back, the thread still passes through that code.
	 */
	bool interrupted = th->stop == STOP_SYSCALL &&
	    ptrace(PTRACE_INTERRUPT, th->tid, NULL, NULL) == 0;
	if (arch_set_regs(th->tid, &back) < 0)
		return;
	th->injected = false;
	if (interrupted && threads_resume(th, PTRACE_CONT) == 0)
		(void)threads_wait(&job->threads, th, STOP_TIMEOUT_MS);
}

/*
 * A thread that is only held gets the registers that re-issue its call at
 * once, not when it is let go: should the helper die meanwhile, the kernel
 * detaches it with them.  Its -EINTR registers are kept in `saved`.
 */
static void reissue_early(struct remote_job *job)
{
	for (size_t i = 0; i < job->threads.count; i++) {
		struct remote_thread *th = &job->threads.v[i];
		if (!th->reissue || th->runs_call || th->state != THREAD_STOPPED ||
		    th->stop != STOP_INTERRUPT || arch_get_regs(th->tid, &th->saved) < 0)
			continue;
		struct arch_regs again = th->saved;
		if (restart_prepare(job, th, &again) && arch_set_regs(th->tid, &again) == 0)
			th->reissued_early = true;
	}
}

/*
 * Letting go of a thread only held: its call re-issued with what is left of
 * its timeout now, or its -EINTR back if a signal came meanwhile.
 */
static void reissue_untouched(struct remote_job *job, struct remote_thread *th)
{
	if (!th->reissued_early || th->state != THREAD_STOPPED || th->stop != STOP_INTERRUPT)
		return;
	struct arch_regs regs = th->saved;
	(void)restart_prepare(job, th, &regs);
	(void)arch_set_regs(th->tid, &regs);
}

/* ---- the whole task ---- */

void (*remote_session_held_hook)(pid_t tgid);
void (*remote_session_step_hook)(int step);

struct early_look {
	long tracer, seccomp;
	bool shadow_stack;
	unsigned int found;     /* 1: TracerPid, 2: Seccomp, 4: x86_Thread_features */
};

static int match_early_look(const char *line, size_t len, void *ctx)
{
	(void)len;
	struct early_look *look = ctx;
	if (strncmp(line, "TracerPid:", 10) == 0) {
		look->tracer = strtol(line + 10, NULL, 10);
		look->found |= 1;
	} else if (strncmp(line, "Seccomp:", 8) == 0) {
		look->seccomp = strtol(line + 8, NULL, 10);
		look->found |= 2;
	} else if (strncmp(line, "x86_Thread_features:", 20) == 0) {
		look->shadow_stack = strstr(line, "shstk") != NULL;
		look->found |= 4;
	}
	return look->found == 7;
}

/*
 * Refuse what is bound to fail before stopping anything, from one read of
 * the leader's status.  Other threads rarely differ; once everything is
 * held, each thread that runs the call is judged on its own.
 */
static int refuse_early(struct remote_job *job)
{
	struct early_look look = { 0 };
	int r = procfs_for_each_line_at(job->procdir, "status", match_early_look, &look);
	if (r < 0)
		return r == -ENOENT || r == -EACCES ? -ESRCH : r;
	if (look.tracer != 0)
		return -EBUSY;
	job->shadow_stack = look.shadow_stack;
	if (look.seccomp == SECCOMP_SHOWN_FILTER && !job->may_read_filters &&
	    !seccomp_peer_may_judge(job->threads.tgid))
		return -EPERM;
	/*
	 * Its memory takes the kernel's check with the effective capabilities,
	 * attaching with the permitted ones: a caller holding CAP_SYS_PTRACE
	 * only as permitted could stop a process it may not read.
	 */
	if (job->mem_fd < 0) {
		job->mem_fd = openat(job->procdir, "mem", O_RDWR | O_CLOEXEC);
		if (job->mem_fd < 0)
			return errno == ENOENT || errno == ESRCH ? -ESRCH : -EPERM;
	}
	return 0;
}

int remote_session_run(struct remote_job *job)
{
	bool answered = false;
	int r = refuse_early(job);
	if (r == 0 && remote_session_step_hook != NULL)
		remote_session_step_hook(0);
	/* Only numbers the pinned /proc/TGID shows as its threads are ever stopped. */
	if (r == 0)
		r = threads_freeze(&job->threads, &job->patience);
	for (size_t i = 0; r == 0 && i < job->threads.count; i++)
		restart_judge(job->procdir, &job->threads.v[i]);
	if (r == 0 && remote_session_held_hook != NULL)
		remote_session_held_hook(job->threads.tgid);
	if (r == 0)
		r = choose_threads(job);
	if (r == 0)
		reissue_early(job);
	if (r == 0)
		r = judge_everywhere(job, &answered);
	if (r == 0 && !answered)
		r = run_everywhere(job);

	for (size_t i = 0; i < job->threads.count; i++) {
		struct remote_thread *th = &job->threads.v[i];
		if (th->injected || has_kept_signals(job, th))
			restore_thread(job, th);
		else
			reissue_untouched(job, th);
	}
	threads_release(&job->threads);
	fd_closep(&job->mem_fd);
	return r;
}
