/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capability checks on the calling thread.  capget(2) directly: libcap's
 * cap_get_proc() allocates, and commands on the caller allocate nothing.
 */
#ifndef LIBPROCCTL_CAPS_H
#define LIBPROCCTL_CAPS_H

#include <stdbool.h>
#include <linux/capability.h>

/* Whether cap is in the caller's effective set. */
bool caps_effective_has(int cap);

/*
 * Whether the caller holds cap where the kernel checks it for resource
 * limits: in the initial user namespace.  Inside a container's user
 * namespace the bit is set, yet the kernel refuses to lower oom_score_adj.
 */
bool caps_effective_has_in_initial_userns(int cap);

#endif
