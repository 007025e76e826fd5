/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A FreeBSD-style use of every name <sys/capsicum.h> declares, compiled in
 * each language mode the header promises (-pedantic -Werror).  The
 * behaviour tests run the calls.
 */
#include <sys/capsicum.h>

#include <errno.h>

int sandbox(void);

int sandbox(void)
{
	unsigned int mode = 0;
	if (cap_getmode(&mode) != 0)
		return -1;
	if (mode == 0 && cap_enter() < 0 && errno != ENOSYS)
		return -1;
	return errno == ECAPMODE || errno == ENOTCAPABLE ? TRAP_CAP : 0;
}
