/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capability mode on seccomp.  Two filter layers carry one policy (which
 * system calls FreeBSD's capability mode lets through, in Linux terms,
 * capmode_policy.c):
 *
 *   the errno layer   loaded by cap_enter() for every thread (TSYNC).  A
 *                     denied call fails with ECAPMODE.  Nothing needs a
 *                     handler, so it is safe in every image execve starts.
 *   the trap layer    loaded when TRAPCAP is enabled in capability mode.  A
 *                     denied call raises SIGSYS; the library's handler
 *                     (capmode_trap.c) makes it fail with ECAPMODE and, while
 *                     TRAPCAP is on, queues FreeBSD's SIGTRAP.  An image
 *                     started by execve would have no handler and die of
 *                     SIGSYS, so this layer refuses execve with ECAPMODE.
 *
 * The kernel applies the strictest answer of all layers: where the trap
 * layer is loaded, its trap wins over the errno layer's ECAPMODE.
 *
 * The layers let an *at call on a directory descriptor through, whatever
 * its path says.  Where Landlock is available, cap_enter() also confines
 * those lookups beneath the directories the process holds at that moment
 * (capmode_landlock.c); a lookup that leads elsewhere fails with EACCES.
 */
#ifndef LIBPROCCTL_CAPMODE_H
#define LIBPROCCTL_CAPMODE_H

#include <stdbool.h>

enum capmode_layer {
	CAPMODE_ERRNO_LAYER,
	CAPMODE_TRAP_LAYER,
};

/*
 * Whether the calling process is in capability mode: asked of the kernel
 * (a probe the errno layer answers), so it holds in an image execve started
 * too.  Costs one system call.
 */
bool capmode_active(void);

/*
 * Build the layer and load it into every thread of the process.  Turns on
 * NO_NEW_PRIVS first only where the kernel demands it (no CAP_SYS_ADMIN).
 * 0, -ENOSYS where seccomp is unavailable, -ENOTSUP where the threads hold
 * different filters (TSYNC cannot join them), or another -errno.
 */
int capmode_load_layer(enum capmode_layer layer);

/*
 * Load the trap layer and install its SIGSYS handler, once per process
 * (fork children inherit both).  0 or -errno, as capmode_load_layer().
 */
int capmode_arm_trap(void);

/*
 * The trap layer's SIGSYS handler (capmode_trap.c): install it, keeping the
 * application's as the one to pass other SIGSYS on to (0 or -errno); and
 * put the application's back, when the layer could not be loaded.
 */
int capmode_trap_install_handler(void);
void capmode_trap_remove_handler(void);

/*
 * The lookup confinement (capmode_landlock.c), in two steps.
 * capmode_lookup_ruleset() builds a Landlock ruleset from the descriptors
 * held now and changes nothing: a ruleset descriptor, -ENOSYS where Landlock
 * is unavailable, or another -errno.  capmode_confine_lookups() enforces it
 * on the calling thread, or on every thread where the kernel can (0 or
 * -errno); like the layers, it needs NO_NEW_PRIVS or CAP_SYS_ADMIN.
 */
int capmode_lookup_ruleset(void);
int capmode_confine_lookups(int ruleset);

/* The probe the layers answer with ECAPMODE and the kernel alone with ERANGE. */
#define CAPMODE_PROBE_NR  __NR_getcwd   /* getcwd(NULL, 0) */

#endif
