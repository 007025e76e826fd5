/* SPDX-License-Identifier: BSD-2-Clause */
#include "remote_seccomp.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "procfs.h"
#include "remote_seccomp_peer.h"

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#ifndef SECCOMP_RET_LOG
#define SECCOMP_RET_LOG          0x7ffc0000U
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF   0x7fc00000U
#endif
#ifndef SECCOMP_RET_ACTION_FULL
#define SECCOMP_RET_ACTION_FULL  0xffff0000U
#endif

/* The kernel caps the errno a filter can return at MAX_ERRNO. */
#define SECCOMP_ERRNO_MAX 4095

int seccomp_mode_of(pid_t tgid, pid_t tid, long *mode)
{
	char path[PROCFS_PATH_MAX + 32];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)tgid, (int)tid);
	int r = procfs_keyed_number(path, "Seccomp", mode);
	if (r == -ENOENT) {
		/* The file is there but has no Seccomp line: CONFIG_SECCOMP is off. */
		*mode = SECCOMP_SHOWN_DISABLED;
		return 0;
	}
	return r;
}

static bool jump_ok(size_t pc, uint32_t offset, size_t len)
{
	return offset < len && pc + 1 + offset < len;
}

/* Seccomp accepts word loads only: from seccomp_data, its length, a constant, scratch memory. */
static int load(uint16_t code, uint32_t k, const struct seccomp_data *data,
    const uint32_t *mem, uint32_t *reg)
{
	if (BPF_SIZE(code) != BPF_W)
		return -EINVAL;
	switch (BPF_MODE(code)) {
	case BPF_ABS:
		if (BPF_CLASS(code) != BPF_LD || k % 4 != 0 || k > sizeof(*data) - 4)
			return -EINVAL;
		memcpy(reg, (const char *)data + k, sizeof(*reg));
		return 0;
	case BPF_LEN:
		*reg = sizeof(*data);
		return 0;
	case BPF_IMM:
		*reg = k;
		return 0;
	case BPF_MEM:
		if (k >= BPF_MEMWORDS)
			return -EINVAL;
		*reg = mem[k];
		return 0;
	default:
		return -EINVAL;
	}
}

static int alu(uint16_t op, uint32_t *a, uint32_t operand, bool *div_by_zero)
{
	switch (op) {
	case BPF_ADD: *a += operand; break;
	case BPF_SUB: *a -= operand; break;
	case BPF_MUL: *a *= operand; break;
	case BPF_DIV:
		if (operand == 0) {
			*div_by_zero = true;
			break;
		}
		*a /= operand;
		break;
	case BPF_OR:  *a |= operand; break;
	case BPF_AND: *a &= operand; break;
	case BPF_XOR: *a ^= operand; break;
	case BPF_LSH: *a = operand < 32 ? *a << operand : 0; break;
	case BPF_RSH: *a = operand < 32 ? *a >> operand : 0; break;
	case BPF_NEG: *a = -*a; break;
	default:
		/* BPF_MOD included: seccomp never accepts it. */
		return -EINVAL;
	}
	return 0;
}

static int jump_taken(uint16_t op, uint32_t a, uint32_t operand, bool *taken)
{
	switch (op) {
	case BPF_JEQ:  *taken = a == operand; break;
	case BPF_JGT:  *taken = a > operand; break;
	case BPF_JGE:  *taken = a >= operand; break;
	case BPF_JSET: *taken = (a & operand) != 0; break;
	default:
		return -EINVAL;
	}
	return 0;
}

int seccomp_run_filter(const struct sock_filter *prog, size_t len,
    const struct seccomp_data *data, uint32_t *ret)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint16_t cls = BPF_CLASS(f->code);
		uint32_t operand = BPF_SRC(f->code) == BPF_X ? x : f->k;
		bool div_by_zero = false, taken = false;
		int r = 0;

		switch (cls) {
		case BPF_LD:
		case BPF_LDX:
			r = load(f->code, f->k, data, mem, cls == BPF_LD ? &a : &x);
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return -EINVAL;
			mem[f->k] = cls == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			r = alu(BPF_OP(f->code), &a, operand, &div_by_zero);
			/* Classic BPF ends the program with 0 on a division by zero. */
			if (r == 0 && div_by_zero) {
				*ret = 0;
				return 0;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				if (!jump_ok(pc, f->k, len))
					return -EINVAL;
				pc += f->k;
				break;
			}
			r = jump_taken(BPF_OP(f->code), a, operand, &taken);
			if (r == 0) {
				uint8_t offset = taken ? f->jt : f->jf;
				if (!jump_ok(pc, offset, len))
					return -EINVAL;
				pc += offset;
			}
			break;
		case BPF_RET:
			if (BPF_RVAL(f->code) == BPF_K)
				*ret = f->k;
			else if (BPF_RVAL(f->code) == BPF_A)
				*ret = a;
			else
				return -EINVAL;
			return 0;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else if (BPF_MISCOP(f->code) == BPF_TXA)
				a = x;
			else
				r = -EINVAL;
			break;
		default:
			r = -EINVAL;
		}
		if (r < 0)
			return r;
	}
	return -EINVAL;
}

struct seccomp_verdict seccomp_verdict_of(uint32_t ret)
{
	struct seccomp_verdict v = { .fate = SECCOMP_CALL_UNSAFE };
	uint32_t data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		v.fate = SECCOMP_CALL_RUNS;
		break;
	case SECCOMP_RET_ERRNO:
		v.fate = SECCOMP_CALL_FAILS;
		v.error = data > SECCOMP_ERRNO_MAX ? SECCOMP_ERRNO_MAX : (int)data;
		break;
	case SECCOMP_RET_TRACE:
		/* The engine's tracer does not ask for seccomp events: ENOSYS. */
		v.fate = SECCOMP_CALL_FAILS;
		v.error = ENOSYS;
		break;
	default:
		/*
		 * KILL kills; TRAP forces SIGSYS on the thread (unblocking it);
		 * USER_NOTIF hands the call to a supervisor.  None of them may
		 * happen because of us.
		 */
		break;
	}
	return v;
}

/* The calls strict mode lets through; anything else kills the thread. */
static bool allowed_in_strict_mode(int nr)
{
	return nr == SYS_read || nr == SYS_write || nr == SYS_exit ||
	    nr == SYS_rt_sigreturn;
}

/*
 * The kernel keeps the most restrictive action, and of equal actions the
 * data of the newest filter (it runs the newest first and replaces only on
 * a strictly more restrictive one).  PTRACE_SECCOMP_GET_FILTER's index 0
 * is the oldest, so walking up the indexes a candidate replaces an equal
 * action: an older ERRNO(ENOENT) and a newer ERRNO(EACCES) give EACCES.
 */
static bool replaces(uint32_t newer, uint32_t current)
{
	return (int32_t)(newer & SECCOMP_RET_ACTION_FULL) <=
	    (int32_t)(current & SECCOMP_RET_ACTION_FULL);
}

int seccomp_judge_call(pid_t tgid, pid_t tid, const struct seccomp_data *call,
    struct sock_filter *buf, struct seccomp_verdict *verdict)
{
	long mode;
	int r = seccomp_mode_of(tgid, tid, &mode);
	if (r < 0)
		return r == -ENOENT ? -ESRCH : r;

	if (mode == SECCOMP_SHOWN_DISABLED) {
		*verdict = seccomp_verdict_of(SECCOMP_RET_ALLOW);
		return 0;
	}
	if (mode == SECCOMP_SHOWN_STRICT) {
		*verdict = seccomp_verdict_of(allowed_in_strict_mode(call->nr) ?
		    SECCOMP_RET_ALLOW : SECCOMP_RET_KILL_PROCESS);
		return 0;
	}

	uint32_t combined = SECCOMP_RET_ALLOW;
	for (unsigned long index = 0;; index++) {
		long n = ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)index, buf);
		if (n < 0) {
			if (errno == ENOENT && index > 0)
				break;
			if (errno == ESRCH)
				return -ESRCH;
			/*
			 * EACCES: no CAP_SYS_ADMIN, or the caller is itself
			 * filtered (EPERM: its filter refuses the request).  A
			 * child of the caller may still know the answer.
			 */
			if (index == 0 && (errno == EACCES || errno == EPERM))
				return seccomp_peer_judge(tgid, tid, call, verdict);
			return -EPERM;
		}
		if (n == 0 || n > BPF_MAXINSNS)
			return -EPERM;
		uint32_t ret;
		if (seccomp_run_filter(buf, (size_t)n, call, &ret) < 0)
			return -EPERM;
		if (replaces(ret, combined))
			combined = ret;
	}
	*verdict = seccomp_verdict_of(combined);
	return 0;
}
