/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An architecture the remote engine has not been ported to: remote.c
 * refuses every request with ENOTSUP before any of these could run; they
 * exist so that the library links.
 */
#include <errno.h>

#include "remote_arch.h"

int arch_get_regs(pid_t tid, struct arch_regs *regs)
{
	(void)tid; (void)regs;
	return -ENOTSUP;
}

int arch_set_regs(pid_t tid, const struct arch_regs *regs)
{
	(void)tid; (void)regs;
	return -ENOTSUP;
}

long arch_interrupted_syscall(const struct arch_regs *regs) { (void)regs; return -1; }
uintptr_t arch_syscall_insn_before(const struct arch_regs *regs) { (void)regs; return 0; }
bool arch_is_syscall_insn(const unsigned char *code) { (void)code; return false; }

void arch_prepare_call(struct arch_regs *call, const struct arch_regs *saved,
    uintptr_t insn, long nr, const long args[6])
{
	(void)insn; (void)nr; (void)args;
	*call = *saved;
}

long arch_entered_syscall(const struct arch_regs *regs) { (void)regs; return -1; }
long arch_syscall_result(const struct arch_regs *regs) { (void)regs; return -ENOSYS; }
uintptr_t arch_stack_pointer(const struct arch_regs *regs) { (void)regs; return 0; }
uint64_t arch_seccomp_ip(uintptr_t insn) { return insn; }
long arch_syscall_arg(const struct arch_regs *regs, int i) { (void)regs; (void)i; return 0; }
void arch_set_syscall_arg(struct arch_regs *regs, int i, long value) { (void)regs; (void)i; (void)value; }
void arch_reissue(struct arch_regs *regs) { (void)regs; }
