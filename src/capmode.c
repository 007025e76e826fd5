/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cap_enter(2) and cap_getmode(2), FreeBSD's entry into capability mode,
 * and the arming of the trap layer that PROC_TRAPCAP_CTL needs.  The
 * layers themselves are described in capmode.h.
 */
#include <errno.h>
#include <stdatomic.h>
#include <sys/capsicum.h>
#include <unistd.h>

#include "capmode.h"
#include "errors.h"
#include "export.h"
#include "trapcap.h"
#include "usermem.h"

/* The trap layer is loaded in this image (fork children inherit it). */
static atomic_bool trap_armed;

/*
 * process_vm_readv/writev name a pid, so the layers deny them; the trap
 * layer would even raise SIGTRAP for the library's own copies.  From now
 * on procctl() copies its data after asking the kernel about the pages.
 */
static void avoid_denied_copies(void)
{
	usermem_avoid_process_vm(1);
}

int capmode_arm_trap(void)
{
	if (atomic_load(&trap_armed))
		return 0;
	/*
	 * Two threads arming at once both load the layer; the second copy
	 * changes nothing, and the handler is installed once.
	 */
	int r = capmode_trap_install_handler();
	if (r < 0)
		return r;
	r = capmode_load_layer(CAPMODE_TRAP_LAYER);
	if (r < 0) {
		capmode_trap_remove_handler();
		return r;
	}
	avoid_denied_copies();
	atomic_store(&trap_armed, true);
	return 0;
}

/* Capability mode itself: the seccomp layers. */
static int load_layers(void)
{
	/*
	 * The trap layer goes first, so that a failure leaves the process as
	 * it was.  It carries the whole policy: once it is in, the process is
	 * in capability mode even if the errno layer then failed to load.
	 */
	bool trapping = trapcap_enabled();
	if (trapping) {
		int r = capmode_arm_trap();
		if (r < 0)
			return r;
	}
	int r = capmode_load_layer(CAPMODE_ERRNO_LAYER);
	if (r < 0 && !trapping)
		return r;
	avoid_denied_copies();
	return 0;
}

static int enter_capability_mode(void)
{
	/* FreeBSD: in capability mode already, cap_enter() does nothing. */
	if (capmode_active())
		return 0;
	/*
	 * The lookup ruleset is built first: it reads /proc/self/fd, which
	 * the layers deny, and changes nothing.  The layers come next, so that
	 * their failures (no seccomp, threads holding different filters) still
	 * leave the process as it was; they turn NO_NEW_PRIVS on where the
	 * kernel demands it, and Landlock demands the same.  The ruleset is
	 * enforced last.  Should that fail (a process already under Landlock's
	 * limit of 16 layers), the process is in capability mode with its
	 * lookups unconfined, and cap_enter() says so by failing.
	 */
	int ruleset = capmode_lookup_ruleset();
	if (ruleset < 0 && ruleset != -ENOSYS)
		return ruleset;
	int r = load_layers();
	if (ruleset >= 0) {
		if (r == 0)
			r = capmode_confine_lookups(ruleset);
		close(ruleset);
	}
	return r;
}

LPC_EXPORT int cap_enter(void)
{
	int caller_errno = errno;
	return public_result(enter_capability_mode(), caller_errno);
}

LPC_EXPORT int cap_getmode(unsigned int *modep)
{
	int caller_errno = errno;
	unsigned int mode = capmode_active() ? 1 : 0;
	return public_result(usermem_copyout(modep, &mode, sizeof(mode)), caller_errno);
}
