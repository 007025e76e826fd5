/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness: what the remote engine decodes from the target, run on
 * bytes of any shape.
 *
 *   byte 0 even: a seccomp filter as PTRACE_SECCOMP_GET_FILTER returns it
 *                (the next 64 bytes are the seccomp_data of the call, the
 *                rest whole instructions), run by the engine's judge;
 *   byte 0 odd:  a thread's registers as PTRACE_GETREGSET returns them,
 *                read and rewritten by the architecture layer.
 *
 * Nothing is done to any process: it can run anywhere.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "remote_arch.h"
#include "remote_seccomp.h"

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void fuzz_filter(const uint8_t *data, size_t size)
{
	struct seccomp_data call;
	if (size < sizeof(call))
		return;
	memcpy(&call, data, sizeof(call));
	data += sizeof(call);
	size -= sizeof(call);

	size_t len = size / sizeof(struct sock_filter);
	if (len > BPF_MAXINSNS)
		len = BPF_MAXINSNS;
	/* Exactly len instructions on the heap: ASan sees a read past the end. */
	struct sock_filter *prog = malloc(len ? len * sizeof(*prog) : 1);
	if (prog == NULL)
		return;
	memcpy(prog, data, len * sizeof(*prog));

	uint32_t ret = 0xdeadbeef, again = 0xfeedface;
	int r = seccomp_run_filter(prog, len, &call, &ret);
	if (r != 0 && r != -EINVAL)
		fuzz_fail("run_filter returned %d", r);
	if (r == 0) {
		/* The same program on the same data always gives the same answer. */
		if (seccomp_run_filter(prog, len, &call, &again) != 0 || again != ret)
			fuzz_fail("run_filter is not deterministic");
		struct seccomp_verdict v = seccomp_verdict_of(ret);
		switch (v.fate) {
		case SECCOMP_CALL_RUNS:
		case SECCOMP_CALL_UNSAFE:
			break;
		case SECCOMP_CALL_FAILS:
			if (v.error < 0 || v.error > 4095)
				fuzz_fail("errno %d out of range", v.error);
			break;
		default:
			fuzz_fail("fate %d", (int)v.fate);
		}
	}
	free(prog);
}

static void fuzz_regs(const uint8_t *data, size_t size)
{
	struct arch_regs saved, call;
	long args[6];
	if (size < sizeof(saved) + sizeof(args) + sizeof(long))
		return;
	memcpy(&saved, data, sizeof(saved));
	memcpy(args, data + sizeof(saved), sizeof(args));
	long nr;
	memcpy(&nr, data + sizeof(saved) + sizeof(args), sizeof(nr));
	const uint8_t *code = data + sizeof(saved) + sizeof(args) + sizeof(nr);
	size_t code_len = size - sizeof(saved) - sizeof(args) - sizeof(nr);

	if (code_len >= ARCH_SYSCALL_INSN_LEN)
		(void)arch_is_syscall_insn(code);
#if ARCH_SUPPORTED
	(void)arch_interrupted_syscall(&saved);
	(void)arch_entered_syscall(&saved);
	(void)arch_syscall_result(&saved);
	(void)arch_stack_pointer(&saved);
	uintptr_t insn = arch_syscall_insn_before(&saved);
	(void)arch_seccomp_ip(insn);

	arch_prepare_call(&call, &saved, insn, nr, args);
	/* The call runs nr(args) at insn, and is no restart of anything. */
	if (arch_entered_syscall(&call) != -1 || arch_interrupted_syscall(&call) != -1)
		fuzz_fail("prepared call still looks like a restart");
	if (arch_stack_pointer(&call) != arch_stack_pointer(&saved))
		fuzz_fail("prepared call moved the stack");
#if defined(__x86_64__)
	if (call.r.rip != insn || (long)call.r.rax != nr ||
	    (long)call.r.rdi != args[0] || (long)call.r.rsi != args[1] ||
	    (long)call.r.rdx != args[2] || (long)call.r.r10 != args[3] ||
	    (long)call.r.r8 != args[4] || (long)call.r.r9 != args[5])
		fuzz_fail("prepared call does not hold nr(args) at insn");
	if (arch_seccomp_ip(insn) != (uint64_t)insn + ARCH_SYSCALL_INSN_LEN)
		fuzz_fail("seccomp ip is not after the instruction");
#endif
#else
	(void)call;
	(void)nr;
	(void)args;
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0)
		fuzz_filter(data + 1, size - 1);
	else
		fuzz_regs(data + 1, size - 1);
	return 0;
}
