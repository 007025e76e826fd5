/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The trap layer's SIGSYS handler: FreeBSD's TRAPCAP on Linux.
 *
 * The kernel stops a denied call before it runs and raises SIGSYS with
 * si_code SYS_SECCOMP and, from our layer only, si_errno ECAPMODE.  The
 * handler makes the call return -ECAPMODE, as the errno layer would, and
 * when TRAPCAP is enabled queues FreeBSD's signal to the same thread:
 * SIGTRAP with si_code TRAP_CAP, si_errno ECAPMODE and si_syscall.  SIGTRAP
 * is blocked while this handler runs, so it is delivered as the handler
 * returns, in the context of the interrupted call: the application's
 * SIGTRAP handler sees the call's registers with the error already in the
 * return register, as FreeBSD delivers it "immediately before returning
 * from the syscall".
 *
 * Every other SIGSYS (another seccomp filter's, or one sent by kill) goes
 * to the handler that was installed before ours, or gets the default
 * action it would have had.  Everything here is async-signal-safe.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/capsicum.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "capmode.h"
#include "trapcap.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

#if defined(__x86_64__)
#define SET_RETURN_VALUE(uc, v) ((uc)->uc_mcontext.gregs[REG_RAX] = (v))
#elif defined(__aarch64__)
#define SET_RETURN_VALUE(uc, v) ((uc)->uc_mcontext.regs[0] = (unsigned long long)(v))
#endif

#ifdef SET_RETURN_VALUE

/* Written before our handler is installed, read only by it afterwards. */
static struct sigaction previous_sigsys;

static void pass_on(int sig, siginfo_t *si, void *ctx)
{
	const struct sigaction *prev = &previous_sigsys;
	if (prev->sa_flags & SA_SIGINFO) {
		prev->sa_sigaction(sig, si, ctx);
	} else if (prev->sa_handler == SIG_DFL) {
		/* Die of it, as without us: SIGSYS stays blocked until we return. */
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigaction(SIGSYS, &dfl, NULL);
		raise(SIGSYS);
	} else if (prev->sa_handler != SIG_IGN) {
		prev->sa_handler(sig);
	}
}

/*
 * FreeBSD's trapsignal(): a SIGTRAP the thread blocks or ignores is not
 * lost but reset to the default action, which stops the program.
 */
static void make_trap_deliverable(ucontext_t *uc)
{
	struct sigaction cur;
	if (sigaction(SIGTRAP, NULL, &cur) == 0 &&
	    (cur.sa_handler == SIG_IGN || sigismember(&uc->uc_sigmask, SIGTRAP))) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigaction(SIGTRAP, &dfl, NULL);
	}
	sigdelset(&uc->uc_sigmask, SIGTRAP);
}

static void queue_trap_cap(const siginfo_t *sys, ucontext_t *uc)
{
	siginfo_t trap;
	memset(&trap, 0, sizeof(trap));
	trap.si_signo = SIGTRAP;
	trap.si_code = TRAP_CAP;
	trap.si_errno = ECAPMODE;
	trap.si_call_addr = sys->si_call_addr;
	trap.si_syscall = sys->si_syscall;
	trap.si_arch = sys->si_arch;
	make_trap_deliverable(uc);
	/* A positive si_code may be queued only to the calling thread itself. */
	syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGTRAP, &trap);
}

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	if (si->si_code != SYS_SECCOMP || si->si_errno != ECAPMODE) {
		pass_on(sig, si, ctx);
		return;
	}
	int saved_errno = errno;
	ucontext_t *uc = ctx;
	SET_RETURN_VALUE(uc, -ECAPMODE);
	if (trapcap_enabled())
		queue_trap_cap(si, uc);
	errno = saved_errno;
}

int capmode_trap_install_handler(void)
{
	struct sigaction ours = {
		.sa_sigaction = on_sigsys,
		/* On the alternate stack if the thread has one (a stack overflow). */
		.sa_flags = SA_SIGINFO | SA_ONSTACK,
	};
	sigemptyset(&ours.sa_mask);
	sigaddset(&ours.sa_mask, SIGTRAP);

	struct sigaction prev;
	if (sigaction(SIGSYS, NULL, &prev) != 0)
		return -errno;
	if (prev.sa_sigaction == on_sigsys)
		return 0;   /* a fork child, or a second thread arming at once */
	previous_sigsys = prev;
	if (sigaction(SIGSYS, &ours, NULL) != 0)
		return -errno;
	return 0;
}

void capmode_trap_remove_handler(void)
{
	struct sigaction cur;
	if (sigaction(SIGSYS, NULL, &cur) == 0 && cur.sa_sigaction == on_sigsys)
		sigaction(SIGSYS, &previous_sigsys, NULL);
}

#else

/* Without the return register's name the call cannot be failed for it. */
int capmode_trap_install_handler(void)
{
	return -ENOTSUP;
}

void capmode_trap_remove_handler(void)
{
}

#endif
