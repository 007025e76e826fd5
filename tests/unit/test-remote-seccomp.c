/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The seccomp judge.  Its filter evaluator is checked against the kernel
 * itself: each program is also loaded in a forked child that makes the same
 * call, and the errno the kernel answers must be the one the evaluator
 * computed.
 */
#include "testlib.h"

#include <linux/audit.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "remote_seccomp.h"

#define ERRNO_OF_A \
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfff), \
	BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO), \
	BPF_STMT(BPF_RET | BPF_A, 0)

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define LOAD_ARG(i, half) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
	offsetof(struct seccomp_data, args) + 8 * (i) + 4 * (half))

/* Arithmetic on the arguments, through X and scratch memory. */
static const struct sock_filter arithmetic[] = {
	LOAD_ARG(0, 0),
	BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 7),
	BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 3),
	BPF_STMT(BPF_ST, 0),
	LOAD_ARG(1, 0),
	BPF_STMT(BPF_MISC | BPF_TAX, 0),
	BPF_STMT(BPF_LD | BPF_MEM, 0),
	BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),
	BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 0x55),
	BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
	BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 1),
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x3ff),
	ERRNO_OF_A,
};

/* Branches on the number, the architecture and both halves of an argument. */
static const struct sock_filter branches[] = {
	LOAD(arch),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
	LOAD(nr),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpid, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 2),
	LOAD_ARG(2, 1),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 3),
	LOAD_ARG(2, 0),
	BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 100, 0, 2),
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 200, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 4),
	BPF_STMT(BPF_LDX | BPF_IMM, 50),
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 1, 0),
	BPF_STMT(BPF_JMP | BPF_JA, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 5),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 6),
};

/* Division by X, which ends the program with 0 when X is 0. */
static const struct sock_filter division[] = {
	LOAD_ARG(1, 0),
	BPF_STMT(BPF_MISC | BPF_TAX, 0),
	LOAD_ARG(0, 0),
	BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
	BPF_STMT(BPF_ALU | BPF_NEG, 0),
	BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 0x100),
	BPF_STMT(BPF_MISC | BPF_TXA, 0),
	BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
	BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	ERRNO_OF_A,
};

struct program {
	const char *name;
	const struct sock_filter *insns;
	size_t len;
};

/*
 * Each program is run behind this guard, so that the child's own write()
 * and exit stay allowed and only getpid() meets the program.
 */
static const struct sock_filter only_getpid[] = {
	LOAD(nr),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpid, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
#define GUARD_LEN (sizeof(only_getpid) / sizeof(only_getpid[0]))

static size_t guarded(const struct program *p, struct sock_filter *out)
{
	memcpy(out, only_getpid, sizeof(only_getpid));
	memcpy(out + GUARD_LEN, p->insns, p->len * sizeof(*p->insns));
	return GUARD_LEN + p->len;
}

#define PROGRAM(p) { #p, p, sizeof(p) / sizeof(p[0]) }
static const struct program programs[] = {
	PROGRAM(arithmetic), PROGRAM(branches), PROGRAM(division),
};

static const long arg_sets[][3] = {
	{ 0, 0, 0 }, { 5, 3, 0x100000000L + 150 }, { 1000, 7, 99 },
	{ 123456, 0, 250 }, { -1, 1, 0x100000001L }, { 9, 2, 200 }, { 42, 1000, 150 },
};

/* Answers that are not an errno: the call ran, or the program killed. */
#define ANSWER_RAN    (-1)
#define ANSWER_KILLED (-100)
#define NO_SECCOMP    (-200)

/* What the kernel answers: the errno of getpid() under the program. */
static int kernel_answer(const struct program *p, const long args[3])
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct sock_filter prog[64];
	size_t len = guarded(p, prog);
	pid_t pid = tl_fork();
	if (pid == 0) {
		struct sock_fprog fprog = { .len = (unsigned short)len, .filter = prog };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
			_exit(2);
		errno = 0;
		long r = syscall(SYS_getpid, args[0], args[1], args[2]);
		int answer = r == -1 ? errno : (r == 0 ? 0 : ANSWER_RAN);
		if (write(fds[1], &answer, sizeof(answer)) != sizeof(answer))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	int answer = -2;
	ssize_t n = read(fds[0], &answer, sizeof(answer));
	close(fds[0]);
	int status = tl_wait(pid, 5000);
	/* Classic BPF ends with 0 on a division by zero: KILL_THREAD. */
	if (status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		return ANSWER_KILLED;
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 2)
		return NO_SECCOMP;
	if (n != sizeof(answer) || status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s: the kernel would not run it (status %#x)", p->name, status);
	return answer;
}

static int evaluator_answer(const struct program *p, const long args[3])
{
	struct seccomp_data d = { .nr = SYS_getpid, .arch = AUDIT_ARCH_X86_64 };
	for (int i = 0; i < 3; i++)
		d.args[i] = (uint64_t)args[i];
	struct sock_filter prog[64];
	size_t len = guarded(p, prog);
	uint32_t ret;
	assert_int_equal(seccomp_run_filter(prog, len, &d, &ret), 0);
	struct seccomp_verdict v = seccomp_verdict_of(ret);
	if (v.fate == SECCOMP_CALL_RUNS)
		return ANSWER_RAN;
	if (v.fate == SECCOMP_CALL_UNSAFE)
		return ANSWER_KILLED;
	return v.error;
}

static void the_evaluator_agrees_with_the_kernel(void **state)
{
	(void)state;
#if defined(__x86_64__)
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		for (size_t j = 0; j < sizeof(arg_sets) / sizeof(arg_sets[0]); j++) {
			int kernel = kernel_answer(&programs[i], arg_sets[j]);
			if (kernel == NO_SECCOMP)
				tl_skip("seccomp(2) cannot be used here to ask the kernel "
				    "(valgrind 3.19 does not support it)");
			int ours = evaluator_answer(&programs[i], arg_sets[j]);
			if (kernel != ours)
				fail_msg("%s on args set %zu: kernel %d, evaluator %d",
				    programs[i].name, j, kernel, ours);
		}
	}
#else
	tl_skip("the programs are written for x86_64 system-call numbers");
#endif
}

/*
 * The rule the judge copies: of two filters returning the same action, the
 * kernel answers with the newest one's data.
 */
static void the_kernel_takes_the_newest_filters_data(void **state)
{
	(void)state;
#if defined(__x86_64__)
	struct sock_filter older[] = {
		LOAD(nr),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getsid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOENT),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter newer[4];
	memcpy(newer, older, sizeof(older));
	newer[2].k = SECCOMP_RET_ERRNO | EACCES;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = tl_fork();
	if (pid == 0) {
		struct sock_fprog a = { .len = 4, .filter = older }, b = { .len = 4, .filter = newer };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &a) != 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &b) != 0)
			_exit(2);
		errno = 0;
		int answer = syscall(SYS_getsid, 0) == -1 ? errno : 0;
		_exit(write(fds[1], &answer, sizeof(answer)) == sizeof(answer) ? 0 : 3);
	}
	close(fds[1]);
	int answer = -1;
	ssize_t n = read(fds[0], &answer, sizeof(answer));
	close(fds[0]);
	int status = tl_wait(pid, 5000);
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 2)
		tl_skip("seccomp(2) cannot be used here to ask the kernel");
	assert_int_equal(n, (ssize_t)sizeof(answer));
	assert_int_equal(answer, EACCES);
#else
	tl_skip("the programs are written for x86_64 system-call numbers");
#endif
}

static void each_action_has_its_fate(void **state)
{
	(void)state;
	assert_int_equal(seccomp_verdict_of(SECCOMP_RET_ALLOW).fate, SECCOMP_CALL_RUNS);
	assert_int_equal(seccomp_verdict_of(0x7ffc0000U /* LOG */).fate, SECCOMP_CALL_RUNS);
	struct seccomp_verdict v = seccomp_verdict_of(SECCOMP_RET_ERRNO | 13);
	assert_int_equal(v.fate, SECCOMP_CALL_FAILS);
	assert_int_equal(v.error, 13);
	v = seccomp_verdict_of(SECCOMP_RET_ERRNO | 0xffff);
	assert_int_equal(v.error, 4095);
	v = seccomp_verdict_of(SECCOMP_RET_TRACE | 1);
	assert_int_equal(v.fate, SECCOMP_CALL_FAILS);
	assert_int_equal(v.error, ENOSYS);
	const uint32_t unsafe[] = { 0 /* KILL_THREAD */, 0x80000000U /* KILL_PROCESS */,
	    SECCOMP_RET_TRAP | 5, 0x7fc00000U /* USER_NOTIF */, 0x12340000U };
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		assert_int_equal(seccomp_verdict_of(unsafe[i]).fate, SECCOMP_CALL_UNSAFE);
}

static void programs_the_kernel_would_refuse_are_not_judged(void **state)
{
	(void)state;
	const struct sock_filter jump_out[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter no_return[] = { LOAD(nr) };
	const struct sock_filter unaligned[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter beyond[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, sizeof(struct seccomp_data)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter byte_load[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter modulo[] = {
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter memory[] = {
		BPF_STMT(BPF_ST, BPF_MEMWORDS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct program bad[] = {
		PROGRAM(jump_out), PROGRAM(no_return), PROGRAM(unaligned),
		PROGRAM(beyond), PROGRAM(byte_load), PROGRAM(modulo), PROGRAM(memory),
	};
	struct seccomp_data d = { .nr = SYS_getpid };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t ret;
		if (seccomp_run_filter(bad[i].insns, bad[i].len, &d, &ret) != -EINVAL)
			fail_msg("%s was judged", bad[i].name);
	}
}

static void an_unfiltered_thread_runs_anything(void **state)
{
	(void)state;
	long mode = -1;
	assert_int_equal(seccomp_mode_of(getpid(), (pid_t)syscall(SYS_gettid), &mode), 0);
	if (mode != SECCOMP_SHOWN_DISABLED)
		tl_skip("this test runs under a seccomp filter itself (mode %ld)", mode);
	pid_t pid = tl_spawn_pause();
	struct seccomp_data d = { .nr = SYS_prctl };
	struct sock_filter buf[BPF_MAXINSNS];
	struct seccomp_verdict v;
	/* No ptrace needed: mode 0 is read from /proc. */
	assert_int_equal(seccomp_judge_call(pid, pid, &d, buf, &v), 0);
	assert_int_equal(v.fate, SECCOMP_CALL_RUNS);
	tl_kill_and_reap(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_evaluator_agrees_with_the_kernel),
		cmocka_unit_test(the_kernel_takes_the_newest_filters_data),
		cmocka_unit_test(each_action_has_its_fate),
		cmocka_unit_test(programs_the_kernel_would_refuse_are_not_judged),
		cmocka_unit_test(an_unfiltered_thread_runs_anything),
	};
	return TL_RUN(tests);
}
