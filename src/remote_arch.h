/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the remote engine needs to know about one CPU architecture: how a
 * stopped thread's registers are read and written through ptrace, where a
 * system call's number, arguments and result live, what the system-call
 * instruction looks like, and how seccomp names the architecture.
 *
 * remote_x86_64.c implements it.  A port to aarch64 is one more file:
 * NT_PRSTATUS holds struct user_pt_regs, the instruction is "svc #0" (4
 * bytes), the number goes in x8 and the arguments in x0..x5, and a pending
 * restart is cancelled by writing -1 through NT_ARM_SYSTEM_CALL where
 * x86_64 writes -1 to orig_rax.
 */
#ifndef LIBPROCCTL_REMOTE_ARCH_H
#define LIBPROCCTL_REMOTE_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#if defined(__x86_64__)
#include <linux/audit.h>
#include <sys/user.h>

#define ARCH_SUPPORTED        1
#define ARCH_SYSCALL_INSN_LEN 2
/* Bytes below the stack pointer that code may use without moving it. */
#define ARCH_RED_ZONE         128
#define ARCH_AUDIT_ARCH       AUDIT_ARCH_X86_64
#define ARCH_GADGET_LEN       3     /* syscall; ret */
#define ARCH_SIGRETURN_LEN    9     /* mov $15,%rax; syscall */
#define ARCH_GADGET_BYTES     "\x0f\x05\xc3"
#define ARCH_SIGRETURN_BYTES  "\x48\xc7\xc0\x0f\x00\x00\x00\x0f\x05"
#define ARCH_SIGRETURN_BYTES_2 "\xb8\x0f\x00\x00\x00\x0f\x05"

struct arch_regs {
	struct user_regs_struct r;
};
#else
#define ARCH_SUPPORTED        0
#define ARCH_SYSCALL_INSN_LEN 1
#define ARCH_RED_ZONE         0
#define ARCH_AUDIT_ARCH       0
#define ARCH_GADGET_LEN       1
#define ARCH_SIGRETURN_LEN    1
#define ARCH_GADGET_BYTES     "\xff"
#define ARCH_SIGRETURN_BYTES  "\xff"
#define ARCH_SIGRETURN_BYTES_2 "\xff"

struct arch_regs {
	int unused;
};
#endif

/*
 * Read the registers of a thread in a ptrace stop.  -ENOTSUP when the
 * thread does not run native 64-bit code (an ia32 program): the engine
 * refuses those rather than guess at their system-call convention.
 */
int arch_get_regs(pid_t tid, struct arch_regs *regs);
int arch_set_regs(pid_t tid, const struct arch_regs *regs);

/* The system call the thread was inside when it stopped, or -1. */
long arch_interrupted_syscall(const struct arch_regs *regs);

/* Where the instruction that entered that system call starts. */
uintptr_t arch_syscall_insn_before(const struct arch_regs *regs);

/* Whether ARCH_SYSCALL_INSN_LEN bytes of code are the native syscall instruction. */
bool arch_is_syscall_insn(const unsigned char *code);

/*
 * Registers that make the thread run nr(args) at insn.  They start from the
 * saved ones and take the thread out of any restart of the call it was
 * blocked in, so that the kernel neither restarts that call now nor sees
 * ours as restartable.
 */
void arch_prepare_call(struct arch_regs *call, const struct arch_regs *saved,
    uintptr_t insn, long nr, const long args[6]);

/* At a syscall-enter stop: the number of the call about to run. */
long arch_entered_syscall(const struct arch_regs *regs);

/* At a syscall-exit stop: the call's return value (-errno on failure). */
long arch_syscall_result(const struct arch_regs *regs);

uintptr_t arch_stack_pointer(const struct arch_regs *regs);

/* Argument i (0..5) of the system call the thread was inside when it stopped. */
long arch_syscall_arg(const struct arch_regs *regs, int i);
void arch_set_syscall_arg(struct arch_regs *regs, int i, long value);

/*
 * Registers that enter the interrupted call again: back to its syscall
 * instruction with its number, as the kernel's own restart does.
 */
void arch_reissue(struct arch_regs *regs);

/*
 * Self-restoring calls (remote_frame.c).  The registers the thread would
 * leave a ptrace stop with, with the kernel's restart of an interrupted
 * call applied as it is when no handler runs: what the thread must get back
 * on its own if the tracer vanishes.
 */
void arch_apply_restart(struct arch_regs *regs);

/* The thread's FPU/vector state (xsave layout): its length, or -errno. */
long arch_get_fpstate(pid_t tid, void *buf, size_t size);

/*
 * Bytes of a signal frame at frame_at that rt_sigreturn turns back into
 * `back`, mask and the FPU state already written at fp_at (fp_len bytes,
 * 0: none), entered by a return to restorer: written into out (at least
 * ARCH_FRAME_MAX bytes); returns its length.
 */
#define ARCH_FRAME_MAX 1024
size_t arch_build_frame(void *out, const struct arch_regs *back, uint64_t mask,
    uintptr_t frame_at, uintptr_t restorer, uintptr_t fp_at, size_t fp_len);

/* Make the fpstate at buf (len bytes) one rt_sigreturn accepts; its full length. */
size_t arch_seal_fpstate(void *buf, size_t len, size_t size);

/* The call's registers with the stack pointer at the frame. */
void arch_set_stack_pointer(struct arch_regs *regs, uintptr_t sp);

/* Bytes that end in a syscall instruction followed by a return, and rt_sigreturn. */
bool arch_is_syscall_ret(const unsigned char *code);    /* ARCH_GADGET_LEN bytes */
bool arch_is_sigreturn(const unsigned char *code, size_t *syscall_off);  /* ARCH_SIGRETURN_LEN */

/* The instruction_pointer seccomp's filters see for a call entered at insn. */
uint64_t arch_seccomp_ip(uintptr_t insn);

#endif
