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
long arch_syscall_arg(const struct arch_regs *regs, int i)
{
	(void)regs; (void)i;
	return 0;
}

void arch_set_syscall_arg(struct arch_regs *regs, int i, long value)
{
	(void)regs; (void)i; (void)value;
}

void arch_reissue(struct arch_regs *regs) { (void)regs; }
void arch_apply_restart(struct arch_regs *regs) { (void)regs; }
long arch_get_fpstate(pid_t tid, void *buf, size_t size)
{
	(void)tid; (void)buf; (void)size;
	return -ENOTSUP;
}

size_t arch_build_frame(void *out, const struct arch_regs *back, uint64_t mask,
    uintptr_t frame_at, uintptr_t restorer, uintptr_t fp_at, size_t fp_len)
{
	(void)out; (void)back; (void)mask; (void)frame_at; (void)restorer; (void)fp_at; (void)fp_len;
	return 0;
}
size_t arch_seal_fpstate(void *buf, size_t len, size_t size) { (void)buf; (void)size; return len; }
void arch_set_stack_pointer(struct arch_regs *regs, uintptr_t sp) { (void)regs; (void)sp; }
bool arch_is_syscall_ret(const unsigned char *code) { (void)code; return false; }
bool arch_is_sigreturn(const unsigned char *code, size_t *off)
{
	(void)code; (void)off;
	return false;
}
