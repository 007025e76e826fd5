/* SPDX-License-Identifier: BSD-2-Clause */
/* The remote engine's x86_64 registers (see remote_arch.h). */
#include "remote_arch.h"

#if defined(__x86_64__)
#include <elf.h>
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

int arch_get_regs(pid_t tid, struct arch_regs *regs)
{
	struct iovec io = { .iov_base = &regs->r, .iov_len = sizeof(regs->r) };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &io) != 0)
		return -errno;
	/* The kernel answers with the ia32 layout for a thread in 32-bit mode. */
	return io.iov_len == sizeof(regs->r) ? 0 : -ENOTSUP;
}

int arch_set_regs(pid_t tid, const struct arch_regs *regs)
{
	struct iovec io = { .iov_base = (void *)&regs->r, .iov_len = sizeof(regs->r) };
	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &io) == 0 ? 0 : -errno;
}

long arch_interrupted_syscall(const struct arch_regs *regs)
{
	return (long)regs->r.orig_rax;
}

uintptr_t arch_syscall_insn_before(const struct arch_regs *regs)
{
	return (uintptr_t)regs->r.rip - ARCH_SYSCALL_INSN_LEN;
}

bool arch_is_syscall_insn(const unsigned char *code)
{
	return code[0] == 0x0f && code[1] == 0x05;
}

void arch_prepare_call(struct arch_regs *call, const struct arch_regs *saved,
    uintptr_t insn, long nr, const long args[6])
{
	*call = *saved;
	call->r.rip = insn;
	call->r.rax = (unsigned long long)nr;
	/*
	 * orig_rax is what the kernel's restart logic looks at: -1 says "not
	 * in a system call", so the interrupted call is not restarted onto
	 * our registers and ours is never restarted.
	 */
	call->r.orig_rax = (unsigned long long)-1;
	call->r.rdi = (unsigned long long)args[0];
	call->r.rsi = (unsigned long long)args[1];
	call->r.rdx = (unsigned long long)args[2];
	call->r.r10 = (unsigned long long)args[3];
	call->r.r8 = (unsigned long long)args[4];
	call->r.r9 = (unsigned long long)args[5];
}

long arch_entered_syscall(const struct arch_regs *regs)
{
	return (long)regs->r.orig_rax;
}

long arch_syscall_result(const struct arch_regs *regs)
{
	return (long)regs->r.rax;
}

uintptr_t arch_stack_pointer(const struct arch_regs *regs)
{
	return (uintptr_t)regs->r.rsp;
}

static unsigned long long *arg_register(struct arch_regs *regs, int i)
{
	unsigned long long *const args[6] = { &regs->r.rdi, &regs->r.rsi, &regs->r.rdx,
	    &regs->r.r10, &regs->r.r8, &regs->r.r9 };
	return args[i];
}

long arch_syscall_arg(const struct arch_regs *regs, int i)
{
	return (long)*arg_register((struct arch_regs *)regs, i);
}

void arch_set_syscall_arg(struct arch_regs *regs, int i, long value)
{
	*arg_register(regs, i) = (unsigned long long)value;
}

void arch_reissue(struct arch_regs *regs)
{
	regs->r.rip -= ARCH_SYSCALL_INSN_LEN;
	regs->r.rax = regs->r.orig_rax;
}

uint64_t arch_seccomp_ip(uintptr_t insn)
{
	/* The kernel reports the address after the syscall instruction. */
	return (uint64_t)insn + ARCH_SYSCALL_INSN_LEN;
}

#endif
