/* SPDX-License-Identifier: BSD-2-Clause */
#include "caps.h"

#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifecycle.h"

/* The cap_t allocated at load, and whether a thread is using it now. */
static cap_t held;
static atomic_flag held_busy = ATOMIC_FLAG_INIT;

void caps_at_load(void)
{
	held = cap_init();
}

static bool effective_in(cap_t caps, cap_value_t cap)
{
	cap_flag_value_t value = CAP_CLEAR;
	if (cap_get_flag(caps, cap, CAP_EFFECTIVE, &value) != 0)
		return false;   /* a capability this libcap does not know */
	return value == CAP_SET;
}

bool caps_effective_has(cap_value_t cap)
{
	bool has = false;
	if (held != NULL && !atomic_flag_test_and_set(&held_busy)) {
		if (capgetp(0, held) == 0)
			has = effective_in(held, cap);
		atomic_flag_clear(&held_busy);
		return has;
	}
	/* Another thread is asking at this instant: a cap_t of our own. */
	cap_t mine = cap_get_proc();
	if (mine == NULL)
		return false;
	has = effective_in(mine, cap);
	cap_free(mine);
	return has;
}

/* The kernel gives the initial user namespace this fixed inode number. */
#define INITIAL_USER_NS_INO 0xEFFFFFFDU

bool caps_effective_has_in_initial_userns(cap_value_t cap)
{
	struct stat st;
	if (!caps_effective_has(cap))
		return false;
	/* Without /proc the namespace cannot be named; the kernel will judge. */
	if (stat("/proc/self/ns/user", &st) != 0)
		return true;
	return st.st_ino == INITIAL_USER_NS_INO;
}
