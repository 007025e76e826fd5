/* SPDX-License-Identifier: BSD-2-Clause */
#include "runtime-profile.h"

#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdint.h>
#include <sys/personality.h>

#include "testlib.h"

static int personality_action(unsigned int flags)
{
	if (flags & TL_PERSONALITY_KILL)
		return (int)SCMP_ACT_KILL_PROCESS;
	if (flags & TL_PERSONALITY_ENOSYS)
		return (int)SCMP_ACT_ERRNO(ENOSYS);
	return (int)SCMP_ACT_ERRNO(EPERM);
}

bool tl_enter_runtime_profile(unsigned int flags)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	CHECK(ctx != NULL);
	CHECK(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, tl_has_cap(CAP_SYS_ADMIN) ? 0 : 1) == 0);
	/* The kernel's own errno (ENOSYS under valgrind), not libseccomp's ECANCELED. */
	CHECK(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1) == 0);
	/*
	 * The runtimes' profiles list x86_64's sub-architectures too (Docker's
	 * and Podman's archMap): 32-bit code in a container may make system
	 * calls, where a filter of the native architecture alone kills it.
	 */
#if defined(__x86_64__)
	CHECK(seccomp_arch_add(ctx, SCMP_ARCH_X86) == 0);
	CHECK(seccomp_arch_add(ctx, SCMP_ARCH_X32) == 0);
#endif
	if (flags & TL_REFUSE_PROCESS_VM) {
		CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(process_vm_readv), 0) == 0);
		CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(process_vm_writev), 0) == 0);
	}
	if (flags & (TL_PERSONALITY_EPERM | TL_PERSONALITY_ENOSYS | TL_PERSONALITY_KILL)) {
		/* Bit 31 is set only in the query, 0xffffffff, which the runtimes allow. */
		struct scmp_arg_cmp no_randomize = SCMP_A0(SCMP_CMP_MASKED_EQ,
		    ADDR_NO_RANDOMIZE | 0x80000000UL, ADDR_NO_RANDOMIZE);
		uint32_t action = (uint32_t)personality_action(flags);
		int r = seccomp_rule_add(ctx, action, SCMP_SYS(personality), 1, no_randomize);
		/* Where libseccomp cannot ask the kernel about KILL_PROCESS (valgrind): KILL_THREAD. */
		if (r != 0 && action == SCMP_ACT_KILL_PROCESS)
			r = seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(personality), 1, no_randomize);
		CHECK(r == 0);
	}
	int r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r == -ENOSYS || r == -EINVAL || r == -ECANCELED)
		return false;
	CHECK(r == 0);
	return true;
}
