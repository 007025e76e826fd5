/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PROC_ASLR_CTL and PROC_ASLR_STATUS on personality(ADDR_NO_RANDOMIZE).
 *
 * Both systems read the choice at the next execve and leave the running
 * image as it is; fork copies it; a set-id execve ignores it.  Linux keeps
 * personality per thread: execve uses the execing thread's, and fork copies
 * the forking thread's.  For another process the remote engine sets it in
 * every thread.
 *
 * FORCE_ENABLE and NOFORCE both clear the bit; the kernel cannot tell them
 * apart, so the library remembers which one the process asked for (and
 * reports FORCE_ENABLE only while the kernel agrees).  Linux cannot force
 * randomisation on when the administrator turned it off system-wide
 * (kernel.randomize_va_space = 0): that request is ENOTSUP.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/procctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "errors.h"
#include "handlers.h"
#include "linux_compat.h"
#include "remote.h"

#define PERSONALITY_QUERY 0xffffffffUL

static atomic_bool force_enable_requested;

static bool randomisation_allowed(void)
{
	long v;
	/* Unreadable (a locked-down container): assume the default, on. */
	if (procfs_read_long("/proc/sys/kernel/randomize_va_space", &v) < 0)
		return true;
	return v != 0;
}

static int read_personality(const struct target *t, unsigned long *persona)
{
	if (t->self) {
		int p = personality(PERSONALITY_QUERY);
		if (p < 0)
			return unavailable(errno);
		*persona = (unsigned long)(unsigned int)p;
		return 0;
	}
	char buf[32];
	int dir = target_procdir(t);
	if (dir < 0)
		return dir;
	ssize_t n = procfs_read_small_at(dir, "personality", buf, sizeof(buf));
	close(dir);
	if (n < 0)
		return (int)n;
	*persona = strtoul(buf, NULL, 16);
	return 0;
}

/* personality(0xffffffff) only reads; it runs in the leader. */
static int ask_personality(const struct target *t, unsigned long *persona)
{
	const long args[6] = { (long)PERSONALITY_QUERY };
	long result;
	int r = remote_syscall(t, 0, __NR_personality, args, &result);
	if (r < 0)
		return r;
	if (result < 0)
		return unavailable((int)-result);
	*persona = (unsigned long)result;
	return 0;
}

static int write_personality(const struct target *t, unsigned long persona)
{
	if (t->self) {
		if (personality(persona) < 0)
			return unavailable(errno);
		return 0;
	}
	const long args[6] = { (long)persona };
	long result;
	int r = remote_syscall(t, REMOTE_ALL_THREADS, __NR_personality, args, &result);
	if (r < 0)
		return r;
	return result < 0 ? unavailable((int)-result) : 0;
}

int aslr_ctl(struct target *t, union procctl_data *d)
{
	int v = d->value;
	if (v != PROC_ASLR_FORCE_ENABLE && v != PROC_ASLR_FORCE_DISABLE &&
	    v != PROC_ASLR_NOFORCE)
		return -EINVAL;
	if (v == PROC_ASLR_FORCE_ENABLE && !randomisation_allowed())
		return -ENOTSUP;

	unsigned long persona;
	int r = read_personality(t, &persona);
	if (r < 0)
		return r;
	unsigned long wanted = v == PROC_ASLR_FORCE_DISABLE ?
	    persona | ADDR_NO_RANDOMIZE : persona & ~(unsigned long)ADDR_NO_RANDOMIZE;
	if (wanted != persona) {
		r = write_personality(t, wanted);
		if (r < 0)
			return r;
	}
	if (t->self)
		atomic_store(&force_enable_requested, v == PROC_ASLR_FORCE_ENABLE);
	return 0;
}

int aslr_status(struct target *t, union procctl_data *d)
{
	struct proc_stat st;
	int r = t->self ? procfs_read_stat(0, &st) : pidref_read_stat(&t->ref, &st);
	if (r < 0)
		return r == -ENOENT ? -ENOTSUP : r;

	unsigned long persona = 0;
	r = read_personality(t, &persona);
	/*
	 * The file needs the right to debug, checked with the caller's
	 * filesystem credentials; the engine asks inside, with its real ones.
	 * Where neither may look, the forced part reads NOFORCE.
	 */
	if (r == -EACCES || r == -EPERM) {
		r = 0;
		if (ask_personality(t, &persona) < 0)
			persona = 0;
	}
	if (r < 0)
		return r;

	int v;
	if (persona & ADDR_NO_RANDOMIZE)
		v = PROC_ASLR_FORCE_DISABLE;
	else if (t->self && atomic_load(&force_enable_requested) && randomisation_allowed())
		v = PROC_ASLR_FORCE_ENABLE;
	else
		v = PROC_ASLR_NOFORCE;
	if (st.flags & LPC_PF_RANDOMIZE)
		v |= (int)PROC_ASLR_ACTIVE;
	d->value = v;
	return 0;
}
