/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * wx-policy: start a command in which no memory can be writable and
 * executable at once (W^X), the usual hardening for programs without a
 * JIT compiler.
 *
 *     wx-policy command [argument ...]
 *
 * On FreeBSD PROC_WX_MAPPINGS_DISALLOW_EXEC applies to the program the
 * next execve starts.  Linux's memory-deny-write-execute (6.3 and later;
 * ENOTSUP before) applies at once and cannot be undone, so make the
 * request where nothing needs W+X any more: here, just before execvp.
 */
#include <sys/procctl.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: wx-policy command [argument ...]\n");
		return 2;
	}

	int request = PROC_WX_MAPPINGS_DISALLOW_EXEC;
	if (procctl(P_PID, 0, PROC_WXMAP_CTL, &request) != 0)
		err(1, "procctl(PROC_WXMAP_CTL)");

	/* From here on the kernel refuses writable+executable memory. */
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page != MAP_FAILED)
		errx(1, "a W+X mapping was still allowed");
	int refusal = errno;

	int status;
	if (procctl(P_PID, 0, PROC_WXMAP_STATUS, &status) != 0)
		err(1, "procctl(PROC_WXMAP_STATUS)");
	fprintf(stderr, "wx-policy: W+X mappings refused (%s)%s\n", strerror(refusal),
	    (status & (int)PROC_WXORX_ENFORCE) ? ", W^X enforced" : "");

	execvp(argv[1], argv + 1);
	err(127, "%s", argv[1]);
}
