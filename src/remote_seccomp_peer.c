/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A seccomp verdict learnt from a child of the caller (remote_seccomp_peer.h
 * says when and why).  Everything here runs in the remote engine's helper
 * process: "self" is the helper, a clone of the calling thread with its
 * filters, and its parent is the caller.  Nothing allocates.
 */
#include "remote_seccomp_peer.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


#include "linux_compat.h"
#include "procfs.h"
#include "remote_arch.h"
#include "valgrind_compat.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Processes followed up each line of descent before giving up. */
#define LINEAGE_MAX 64

/* How long the child may take; a notifying filter's supervisor might never answer. */
#define PEER_TIMEOUT_MS 10000

/* The child's exit codes. */
#define PEER_SURVIVED     0x53
#define PEER_CANNOT_PLACE 0x50

struct filters {
	long mode, count;
};

static int read_filters(pid_t tgid, pid_t tid, struct filters *f)
{
	int r = tid == 0 ? procfs_status_number(tgid, "Seccomp", &f->mode) :
	    procfs_task_status_number(tgid, tid, "Seccomp", &f->mode);
	if (r == 0)
		r = tid == 0 ? procfs_status_number(tgid, "Seccomp_filters", &f->count) :
		    procfs_task_status_number(tgid, tid, "Seccomp_filters", &f->count);
	return r;
}

/* ---- are the target's filters provably the caller's? ---- */

struct lineage {
	pid_t pid[LINEAGE_MAX];
	size_t len;
};

/*
 * Follow start's ancestors while each shows the filters `want`.  The walk
 * stops below the first one that does not: the path joining target and
 * caller cannot go through it.  A parent never started after its child, so
 * a pid reused during the walk shows up as a younger "parent".
 */
static int follow_lineage(pid_t start, const struct filters *want, struct lineage *l)
{
	pid_t pid = start;
	uint64_t child_start = UINT64_MAX;
	for (l->len = 0; l->len < LINEAGE_MAX && pid > 0; l->len++) {
		struct proc_stat before, after;
		struct filters f;
		int r = procfs_read_stat(pid, &before);
		if (r == 0)
			r = read_filters(pid, 0, &f);
		if (r == 0)
			r = procfs_read_stat(pid, &after);
		if (r < 0 || before.starttime != after.starttime ||
		    before.starttime > child_start)
			return l->len > 0 ? 0 : (r == -ENOENT ? -ESRCH : -EPERM);
		if (f.mode != want->mode || f.count != want->count)
			return 0;
		l->pid[l->len] = pid;
		child_start = before.starttime;
		pid = before.ppid;
	}
	return 0;
}

static bool lineages_meet(const struct lineage *a, const struct lineage *b)
{
	for (size_t i = 0; i < a->len; i++)
		for (size_t j = 0; j < b->len; j++)
			if (a->pid[i] == b->pid[j])
				return true;
	return false;
}

/*
 * The same mode and count in the target thread, its leader, the calling
 * thread and every process on the path that joins them (the header says
 * what that proves, and what it cannot).
 */
static int same_filters(pid_t tgid, pid_t tid)
{
	struct filters own, thread, leader;
	int r = read_filters(0, 0, &own);
	if (r < 0 || own.mode != SECCOMP_MODE_FILTER)
		return -EPERM;
	r = read_filters(tgid, tid, &thread);
	if (r == 0)
		r = read_filters(tgid, 0, &leader);
	if (r < 0)
		return r == -ENOENT ? -ESRCH : -EPERM;
	if (thread.mode != own.mode || thread.count != own.count ||
	    leader.mode != own.mode || leader.count != own.count)
		return -EPERM;

	struct lineage target, self;
	r = follow_lineage(tgid, &own, &target);
	if (r == 0)
		r = follow_lineage(getpid(), &own, &self);
	if (r < 0)
		return r;
	return lineages_meet(&target, &self) ? 0 : -EPERM;
}

bool seccomp_peer_may_judge(pid_t tgid)
{
	return same_filters(tgid, tgid) == 0;
}

/* ---- the child that makes the call ---- */

/*
 * What the child may make of the call.  Its effect must stay inside the
 * child: personality, the prctl options the commands use, calls that only
 * read.  rt_tgsigqueueinfo, the engine's way of giving a signal back,
 * names the target's thread: in the child its siginfo's pages are unmapped
 * first, so the kernel, once the filters have let the call through, fails
 * to read it (EFAULT) and sends nothing.
 */
enum child_call {
	CALL_REFUSED,
	CALL_AS_IS,
	CALL_WITHOUT_SIGINFO,
};

static enum child_call child_call_of(const struct seccomp_data *call)
{
	if (call->arch != ARCH_AUDIT_ARCH)
		return CALL_REFUSED;
	switch (call->nr) {
	case __NR_personality:
	case __NR_getpid:
	case __NR_getppid:
	case __NR_gettid:
	case __NR_getsid:
	case __NR_getpgid:
		return CALL_AS_IS;
	case __NR_rt_tgsigqueueinfo:
		return CALL_WITHOUT_SIGINFO;
	case __NR_prctl:
		break;
	default:
		return CALL_REFUSED;
	}
	switch (call->args[0]) {
	case PR_GET_DUMPABLE:
	case PR_SET_DUMPABLE:
	case PR_GET_NO_NEW_PRIVS:
	case PR_SET_NO_NEW_PRIVS:
	case PR_GET_MDWE:
	case PR_SET_MDWE:
		return CALL_AS_IS;
	default:
		return CALL_REFUSED;
	}
}

#if defined(__x86_64__)
/* A system call that needs nothing of libc, whose pages the child may have replaced. */
static inline __attribute__((always_inline)) long raw_call(long nr, long a0, long a1,
    long a2, long a3, long a4, long a5)
{
	register long rax __asm__("rax") = nr;
	register long rdi __asm__("rdi") = a0;
	register long rsi __asm__("rsi") = a1;
	register long rdx __asm__("rdx") = a2;
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	__asm__ volatile("syscall"
	    : "+r"(rax)
	    : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory", "cc");
	return rax;
}

/* Call `syscall; ret` at `at`, below the red zone since a call pushes. */
static inline __attribute__((always_inline)) void call_stub(uintptr_t at, long nr,
    const long a[6])
{
	register long rax __asm__("rax") = nr;
	register long rdi __asm__("rdi") = a[0];
	register long rsi __asm__("rsi") = a[1];
	register long rdx __asm__("rdx") = a[2];
	register long r10 __asm__("r10") = a[3];
	register long r8 __asm__("r8") = a[4];
	register long r9 __asm__("r9") = a[5];
	__asm__ volatile("sub $128, %%rsp\n\tcall *%[at]\n\tadd $128, %%rsp"
	    : "+r"(rax)
	    : [at] "r"(at), "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory", "cc");
}

/* The child's end; valgrind counts errors again, for it warns of a process that exits without. */
static inline __attribute__((always_inline, noreturn)) void child_exit(int code)
{
	valgrind_resume_reporting();
	(void)raw_call(SYS_exit_group, code, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

struct child_job {
	long nr, args[6];
	uintptr_t at, start;        /* the stub's address, and its pages */
	size_t len;
	uintptr_t unmap_start;      /* pages to take away first, if unmap_len */
	size_t unmap_len;
	bool anywhere;              /* under valgrind: the stub where the kernel likes */
};

/* Whether [start, start + len) holds the child's own code or stack. */
static bool holds_child(uintptr_t start, size_t len, uintptr_t code, uintptr_t stack)
{
	const uintptr_t margin = 64 * 1024;
	return (code + margin > start && code < start + len + margin) ||
	    (stack + margin > start && stack < start + len + margin);
}

/*
 * In the child, a copy of the helper.  The stub goes where the engine's
 * borrowed instruction is in the target, so that the filters see the same
 * instruction pointer.  A target forked from the caller has its vdso and
 * libraries at the caller's addresses, so the pages are replaced in the
 * child, whatever they held (MAP_FIXED), and from then on the child uses
 * raw system calls only.  Only its own code must not be there.
 */
/*
 * Never returns, but is not declared so: ASan would then check the stack
 * before the call, and warn about the helper's own.
 */
static __attribute__((noinline)) void child_main(const struct child_job *cj)
{
	valgrind_stop_reporting();      /* a client request: no call, nothing of libc */
	/* SIGSYS from a TRAP must end the child, whatever handler the caller has. */
	struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } dfl;
	memset(&dfl, 0, sizeof(dfl));
	(void)raw_call(SYS_rt_sigaction, SIGSYS, (long)&dfl, 0, sizeof(dfl.mask), 0, 0);

	struct child_job job = *cj;
	uintptr_t code = (uintptr_t)&child_main, stack = (uintptr_t)&job;
	if ((!job.anywhere && holds_child(job.start, job.len, code, stack)) ||
	    (job.unmap_len > 0 && holds_child(job.unmap_start, job.unmap_len, code, stack)))
		child_exit(PEER_CANNOT_PLACE);
	if (job.unmap_len > 0 &&
	    raw_call(SYS_munmap, (long)job.unmap_start, (long)job.unmap_len, 0, 0, 0, 0) != 0)
		child_exit(PEER_CANNOT_PLACE);
	long m = raw_call(SYS_mmap, job.anywhere ? 0 : (long)job.start, (long)job.len,
	    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (job.anywhere ? 0 : MAP_FIXED),
	    -1, 0);
	if (job.anywhere && m > 0) {    /* user addresses are positive; errors are not */
		job.at = (uintptr_t)m + (job.at - job.start);
		job.start = (uintptr_t)m;
	}
	if (m != (long)job.start)
		child_exit(PEER_CANNOT_PLACE);
	volatile unsigned char *insn = (volatile unsigned char *)job.at;
	insn[0] = 0x0f;         /* syscall */
	insn[1] = 0x05;
	insn[2] = 0xc3;         /* ret */
	if (raw_call(SYS_mprotect, (long)job.start, (long)job.len, PROT_READ | PROT_EXEC,
	    0, 0, 0) != 0)
		child_exit(PEER_CANNOT_PLACE);
	call_stub(job.at, job.nr, job.args);
	child_exit(PEER_SURVIVED);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reap the child, killing it if it does not finish in time. */
static int wait_child(pid_t child, int *status)
{
	int64_t deadline = now_ms() + PEER_TIMEOUT_MS;
	for (;;) {
		pid_t w = waitpid(child, status, __WALL | WNOHANG);
		if (w == child)
			return 0;
		if (w < 0 && errno != EINTR)
			return -errno;
		if (now_ms() >= deadline) {
			(void)kill(child, SIGKILL);
			while (waitpid(child, status, __WALL) < 0 && errno == EINTR)
				;
			return -ETIMEDOUT;
		}
		struct timespec pause = { .tv_nsec = 1000000 };
		(void)nanosleep(&pause, NULL);
	}
}

/* The pages holding [at, at + len). */
static void pages_of(uintptr_t at, size_t len, uintptr_t page, uintptr_t *start, size_t *size)
{
	*start = at & ~(page - 1);
	*size = ((at + len + page - 1) & ~(page - 1)) - *start;
}

static int ask_child(const struct seccomp_data *call, enum child_call how,
    struct seccomp_verdict *verdict)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	struct child_job cj = { .nr = call->nr };
	for (int i = 0; i < 6; i++)
		cj.args[i] = (long)call->args[i];
	cj.at = (uintptr_t)call->instruction_pointer - ARCH_SYSCALL_INSN_LEN;
	pages_of(cj.at, 3, page, &cj.start, &cj.len);
	/*
	 * Valgrind makes every system call from its own code, so the filters
	 * never see the client's instruction pointer; nor does it let the
	 * client map over what it manages.
	 */
	cj.anywhere = under_valgrind();
	if (how == CALL_WITHOUT_SIGINFO) {
		pages_of((uintptr_t)call->args[3], sizeof(siginfo_t), page, &cj.unmap_start,
		    &cj.unmap_len);
		/* The stub's pages are mapped after the unmapping: they must not meet. */
		if (cj.unmap_start < cj.start + cj.len && cj.start < cj.unmap_start + cj.unmap_len)
			return -EPERM;
	}

	/* Exit signal 0: no SIGCHLD to disturb the helper's wait for its tracees. */
	long child = syscall(SYS_clone, 0L, NULL, NULL, NULL, 0L);
	if (child < 0)
		return -EPERM;
	if (child == 0) {
		child_main(&cj);
		(void)syscall(SYS_exit_group, PEER_CANNOT_PLACE);
	}

	int status = 0;
	int r = wait_child((pid_t)child, &status);
	if (r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == PEER_CANNOT_PLACE)
		return -EPERM;
	/*
	 * Survived: the filters let the call run, or fail it without harm
	 * (ERRNO, TRACE), or a supervisor answered it; the target will get
	 * the same treatment, so the call may be injected.  Killed (KILL,
	 * TRAP) or never done: it must not be.
	 */
	bool survived = r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == PEER_SURVIVED;
	verdict->fate = survived ? SECCOMP_CALL_RUNS : SECCOMP_CALL_UNSAFE;
	verdict->error = 0;
	return 0;
}
#else
static int ask_child(const struct seccomp_data *call, enum child_call how,
    struct seccomp_verdict *verdict)
{
	(void)call;
	(void)how;
	(void)verdict;
	return -EPERM;
}
#endif

int seccomp_peer_judge(pid_t tgid, pid_t tid, const struct seccomp_data *call,
    struct seccomp_verdict *verdict)
{
	enum child_call how = child_call_of(call);
	if (how == CALL_REFUSED)
		return -EPERM;
	int r = same_filters(tgid, tid);
	if (r < 0)
		return r;
	return ask_child(call, how, verdict);
}
