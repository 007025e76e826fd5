/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * under-profile docker|podman PROGRAM [ARG...]: run PROGRAM under a filter
 * like that runtime's default profile (tests/lib/runtime-profile.h), so
 * that a whole test program meets on the VM what it meets in a container.
 * Exits 77 (meson's "skipped") where seccomp is unavailable.
 */
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime-profile.h"
#include "testlib.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: under-profile docker|podman PROGRAM [ARG...]\n");
		return 2;
	}
	unsigned int flags = TL_REFUSE_PROCESS_VM;
	if (strcmp(argv[1], "docker") == 0)
		flags |= TL_PERSONALITY_EPERM;
	else if (strcmp(argv[1], "podman") == 0)
		flags |= TL_PERSONALITY_ENOSYS;
	else {
		fprintf(stderr, "under-profile: unknown runtime %s\n", argv[1]);
		return 2;
	}
	/*
	 * A runtime loads its filter while it still holds CAP_SYS_ADMIN, so
	 * the container's processes run without no_new_privs.  Here, without
	 * that capability, the filter would need no_new_privs, which these
	 * tests do not expect of their targets.
	 */
	if (!tl_has_cap(CAP_SYS_ADMIN)) {
		printf("1..0 # SKIP loading a filter as a runtime does needs CAP_SYS_ADMIN\n");
		return 77;
	}
	if (!tl_enter_runtime_profile(flags)) {
		printf("1..0 # SKIP %s\n", TL_NO_SECCOMP_REASON);
		return 77;
	}
	execv(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
