/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A seccomp filter like a container runtime's default profile, loaded into
 * the calling process (for good: run it in a child), so that the VM shows
 * what Docker, Podman and systemd-nspawn do to the library:
 *
 *   TL_REFUSE_PROCESS_VM    process_vm_readv/writev fail with EPERM (Docker)
 *   TL_PERSONALITY_EPERM    personality() with ADDR_NO_RANDOMIZE fails with
 *                           EPERM (Docker), or
 *   TL_PERSONALITY_ENOSYS   with ENOSYS (Podman), or
 *   TL_PERSONALITY_KILL     kills the process (a stricter profile)
 *
 * Everything else is allowed.  As in a runtime the filter is loaded without
 * no_new_privs where the caller may (CAP_SYS_ADMIN), with it otherwise.
 */
#ifndef LIBPROCCTL_RUNTIME_PROFILE_H
#define LIBPROCCTL_RUNTIME_PROFILE_H

#include <stdbool.h>

#define TL_REFUSE_PROCESS_VM  0x1
#define TL_PERSONALITY_EPERM  0x2
#define TL_PERSONALITY_ENOSYS 0x4
#define TL_PERSONALITY_KILL   0x8

/* False (nothing loaded) where seccomp is unavailable: valgrind does not implement it. */
bool tl_enter_runtime_profile(unsigned int flags);

#define TL_NO_SECCOMP_REASON "seccomp(2) is unavailable here (valgrind does not implement it)"

#endif
