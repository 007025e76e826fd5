/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <sys/capsicum.h> for Linux: FreeBSD's capability mode, as far as
 * libprocctl emulates it (cap_enter, cap_getmode), and the error and signal
 * codes that go with it.  Capability rights on descriptors
 * (cap_rights_limit and friends) are not provided; docs/COMPAT.md says why.
 *
 * Found through `pkg-config --cflags libprocctl`, beside <sys/procctl.h>.
 */
#ifndef LIBPROCCTL_SYS_CAPSICUM_H
#define LIBPROCCTL_SYS_CAPSICUM_H

/*
 * FreeBSD numbers these 93 and 94, which Linux already uses (EPROTONOSUPPORT
 * and ESOCKTNOSUPPORT).  These are FreeBSD's numbers plus 1000: no Linux
 * architecture uses them (x86 stops at 133, MIPS at 168 plus EDQUOT 1133),
 * they are clear of the kernel's internal 512-530 range, and below 4096, so
 * that a raw system call's -errno is still recognised as an error.
 * strerror() does not know them: it says "Unknown error 1094".
 */
#ifndef ENOTCAPABLE
#define ENOTCAPABLE 1093        /* capabilities insufficient (never returned) */
#endif
#ifndef ECAPMODE
#define ECAPMODE    1094        /* not permitted in capability mode */
#endif

/*
 * si_code of the SIGTRAP raised for a capability-mode violation when
 * PROC_TRAPCAP_CTL is enabled.  FreeBSD's value, 4, is Linux's TRAP_HWBKPT;
 * this is 4 with bit 8 set, clear of Linux's own TRAP_* codes (1 to 6) and
 * of SI_KERNEL (0x80).
 */
#ifndef TRAP_CAP
#define TRAP_CAP    0x104
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Enter capability mode: from now on this process and every process it
 * forks or executes may not reach global namespaces.  Where the kernel has
 * Landlock, a path given with a directory descriptor must also lead beneath
 * a directory held at this moment, or it fails with EACCES (docs/COMPAT.md
 * says which threads and calls that covers).  Irreversible.
 * Returns 0, or -1 with errno ENOSYS where the kernel cannot enforce it.
 */
int cap_enter(void);

/* Store 1 in *modep when the process is in capability mode, else 0. */
int cap_getmode(unsigned int *modep);

#ifdef __cplusplus
}
#endif

#endif
