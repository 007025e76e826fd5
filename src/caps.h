/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capability questions about the calling thread, asked through libcap.
 *
 * libcap's cap_get_proc() allocates a cap_t on every call, and commands on
 * the caller allocate nothing.  So one cap_t is allocated when the library
 * is loaded (caps_at_load, lifecycle.h) and refilled for each question with capgetp(),
 * the libcap call that fills a cap_t the caller already holds (cap_get_pid()
 * is capgetp() on a new one).  Capabilities belong to a thread, so the held
 * cap_t answers one thread at a time; a thread that finds it in use, or a
 * process where the allocation at load failed, asks with cap_get_proc()
 * and frees the answer: only then is there an allocation.
 *
 * No function here compares another process's sets: access to another
 * process is judged by the kernel itself (target.h), whose ptrace check
 * includes that comparison.
 */
#ifndef LIBPROCCTL_CAPS_H
#define LIBPROCCTL_CAPS_H

#include <stdbool.h>
#include <sys/capability.h>

/* Whether cap is in the calling thread's effective set. */
bool caps_effective_has(cap_value_t cap);

/*
 * Whether the caller holds cap where the kernel checks it for resource
 * limits: in the initial user namespace.  Inside a container's user
 * namespace the bit is set, yet the kernel refuses to lower oom_score_adj.
 */
bool caps_effective_has_in_initial_userns(cap_value_t cap);

#endif
