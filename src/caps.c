/* SPDX-License-Identifier: BSD-2-Clause */
#include "caps.h"

#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

bool caps_effective_has(int cap)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};

	if (cap < 0 || cap >= 32 * _LINUX_CAPABILITY_U32S_3)
		return false;
	if (syscall(SYS_capget, &header, data) != 0)
		return false;
	return (data[cap / 32].effective & (1u << (cap % 32))) != 0;
}

/* The kernel gives the initial user namespace this fixed inode number. */
#define INITIAL_USER_NS_INO 0xEFFFFFFDU

bool caps_effective_has_in_initial_userns(int cap)
{
	struct stat st;
	if (!caps_effective_has(cap))
		return false;
	/* Without /proc the namespace cannot be named; the kernel will judge. */
	if (stat("/proc/self/ns/user", &st) != 0)
		return true;
	return st.st_ino == INITIAL_USER_NS_INO;
}
