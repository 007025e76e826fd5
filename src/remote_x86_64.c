/* SPDX-License-Identifier: BSD-2-Clause */
/* The remote engine's x86_64 registers (see remote_arch.h). */
#include "remote_arch.h"

#if defined(__x86_64__)
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
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

/* The kernel's restart of an interrupted call when no handler runs (arch/x86 signal.c). */
void arch_apply_restart(struct arch_regs *regs)
{
	if ((long)regs->r.orig_rax < 0)
		return;
	switch ((long)regs->r.rax) {
	case -512:      /* ERESTARTSYS */
	case -513:      /* ERESTARTNOINTR */
	case -514:      /* ERESTARTNOHAND */
		arch_reissue(regs);
		break;
	case -516:      /* ERESTART_RESTARTBLOCK: rt_sigreturn forgets the block, so EINTR */
		regs->r.rax = (unsigned long long)SYS_restart_syscall;
		regs->r.rip -= ARCH_SYSCALL_INSN_LEN;
		break;
	default:
		break;
	}
}

long arch_get_fpstate(pid_t tid, void *buf, size_t size)
{
	struct iovec io = { .iov_base = buf, .iov_len = size };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_X86_XSTATE, &io) != 0)
		return -errno;
	/* Under 512 bytes is no fxsave area: nothing rt_sigreturn could use. */
	return io.iov_len >= 512 && io.iov_len < size ? (long)io.iov_len : -ENOTSUP;
}

#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U

size_t arch_seal_fpstate(void *buf, size_t len, size_t size)
{
	/*
	 * PTRACE_GETREGSET fills the fxsave area's software bytes (offset 464)
	 * as a signal frame has them: magic1, extended size, features, size;
	 * a frame also ends with magic2.  A state without them restores as
	 * legacy fxsave only.
	 */
	unsigned char *p = buf;
	uint32_t magic1, xsize;
	memcpy(&magic1, p + 464, 4);
	memcpy(&xsize, p + 464 + 16, 4);
	if (magic1 != FP_XSTATE_MAGIC1 || xsize > len || xsize + 4 > size)
		return len;
	uint32_t magic2 = FP_XSTATE_MAGIC2;
	memcpy(p + xsize, &magic2, 4);
	return xsize + 4;
}

/* The kernel's struct rt_sigframe (arch/x86/include/asm/sigframe.h), 64-bit. */
struct k_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2, fpstate, reserved1[8];
};

struct k_rt_sigframe {
	uint64_t pretcode;
	uint64_t uc_flags, uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, ss_pad;
	uint64_t ss_size;
	struct k_sigcontext mc;
	uint64_t uc_sigmask;
	unsigned char info[128];
};

_Static_assert(sizeof(struct k_sigcontext) == 256, "struct sigcontext is 256 bytes");
_Static_assert(sizeof(struct k_rt_sigframe) <= ARCH_FRAME_MAX, "frame fits");

#define UC_FP_XSTATE         0x1
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4

size_t arch_build_frame(void *out, const struct arch_regs *back, uint64_t mask,
    uintptr_t frame_at, uintptr_t restorer, uintptr_t fp_at, size_t fp_len)
{
	(void)frame_at;
	struct k_rt_sigframe f;
	memset(&f, 0, sizeof(f));
	const struct user_regs_struct *r = &back->r;
	f.pretcode = restorer;
	f.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (fp_len > 512 ? UC_FP_XSTATE : 0);
	/* An invalid mode: rt_sigreturn leaves the thread's sigaltstack as it is. */
	f.ss_flags = 3;
	f.mc = (struct k_sigcontext){
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12,
		.r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rdi = r->rdi, .rsi = r->rsi,
		.rbp = r->rbp, .rbx = r->rbx, .rdx = r->rdx, .rax = r->rax, .rcx = r->rcx,
		.rsp = r->rsp, .rip = r->rip, .eflags = r->eflags,
		.cs = (uint16_t)r->cs, .gs = (uint16_t)r->gs, .fs = (uint16_t)r->fs,
		.ss = (uint16_t)r->ss, .fpstate = fp_len > 0 ? fp_at : 0,
	};
	f.uc_sigmask = mask;
	memcpy(out, &f, sizeof(f));
	return sizeof(f);
}

void arch_set_stack_pointer(struct arch_regs *regs, uintptr_t sp)
{
	regs->r.rsp = sp;
}

bool arch_is_syscall_ret(const unsigned char *code)
{
	return code[0] == 0x0f && code[1] == 0x05 && code[2] == 0xc3;
}

bool arch_is_sigreturn(const unsigned char *code, size_t *syscall_off)
{
	/* mov $15,%rax; syscall (glibc's __restore_rt) or mov $15,%eax; syscall (musl, Go). */
	static const unsigned char q[] = { 0x48, 0xc7, 0xc0, 0x0f, 0, 0, 0, 0x0f, 0x05 };
	static const unsigned char d[] = { 0xb8, 0x0f, 0, 0, 0, 0x0f, 0x05 };
	if (memcmp(code, q, sizeof(q)) == 0) {
		*syscall_off = 7;
		return true;
	}
	if (memcmp(code, d, sizeof(d)) == 0) {
		*syscall_off = 5;
		return true;
	}
	return false;
}

uint64_t arch_seccomp_ip(uintptr_t insn)
{
	/* The kernel reports the address after the syscall instruction. */
	return (uint64_t)insn + ARCH_SYSCALL_INSN_LEN;
}

#endif
