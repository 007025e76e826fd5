/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <sys/procctl.h> for Linux: FreeBSD's procctl(2) interface, provided by
 * libprocctl.  Names, values, field names, field types and structure layouts
 * are those of the newest FreeBSD, so that FreeBSD source builds unmodified.
 *
 * Found through `pkg-config --cflags libprocctl`, which adds an include
 * directory holding only this header (and <sys/capsicum.h>), so that nothing
 * else in /usr/include is shadowed.
 */
#ifndef LIBPROCCTL_SYS_PROCCTL_H
#define LIBPROCCTL_SYS_PROCCTL_H

#include <sys/types.h>
#include <sys/wait.h>

/*
 * idtype_t (with P_PID and P_PGID) and id_t are glibc's.  glibc hides them
 * in strict ISO modes (-std=c99 without feature macros); bring in exactly
 * glibc's own definitions, under glibc's own guards, so that a later
 * #include <sys/wait.h> or <sys/types.h> in another mode does not clash.
 */
#if defined(__GLIBC__) && !defined(__idtype_t_defined)
#include <bits/types/idtype_t.h>
#endif
#if defined(__GLIBC__) && !defined(__id_t_defined)
typedef __id_t id_t;
#define __id_t_defined
#endif

/* Commands.  Machine-independent ones are numbered from 1. */
#define PROC_SPROTECT            1  /* set or clear OOM protection */
#define PROC_REAP_ACQUIRE        2  /* become a reaper of descendants */
#define PROC_REAP_RELEASE        3  /* stop being a reaper */
#define PROC_REAP_STATUS         4  /* describe the reaper of a process */
#define PROC_REAP_GETPIDS        5  /* list the descendants of a reaper */
#define PROC_REAP_KILL           6  /* signal the descendants of a reaper */
#define PROC_TRACE_CTL           7  /* allow or forbid debugging */
#define PROC_TRACE_STATUS        8
#define PROC_TRAPCAP_CTL         9  /* SIGTRAP on capability-mode errors */
#define PROC_TRAPCAP_STATUS      10
#define PROC_PDEATHSIG_CTL       11 /* signal on parent death */
#define PROC_PDEATHSIG_STATUS    12
#define PROC_ASLR_CTL            13 /* address space randomisation at exec */
#define PROC_ASLR_STATUS         14
#define PROC_PROTMAX_CTL         15 /* implicit PROT_MAX for mmap */
#define PROC_PROTMAX_STATUS      16
#define PROC_STACKGAP_CTL        17 /* stack guard gaps */
#define PROC_STACKGAP_STATUS     18
#define PROC_NO_NEW_PRIVS_CTL    19 /* ignore set-id bits at exec */
#define PROC_NO_NEW_PRIVS_STATUS 20
#define PROC_WXMAP_CTL           21 /* W^X policy */
#define PROC_WXMAP_STATUS        22
#define PROC_LOGSIGEXIT_CTL      23 /* log deaths by core-dumping signals */
#define PROC_LOGSIGEXIT_STATUS   24

/* Commands from here on are specific to one machine architecture. */
#define PROC_PROCCTL_MD_MIN      0x10000000

#if defined(__x86_64__)
#define PROC_KPTI_CTL            (PROC_PROCCTL_MD_MIN + 0)
#define PROC_KPTI_STATUS         (PROC_PROCCTL_MD_MIN + 1)
#define PROC_LA_CTL              (PROC_PROCCTL_MD_MIN + 2)
#define PROC_LA_STATUS           (PROC_PROCCTL_MD_MIN + 3)

#define PROC_KPTI_CTL_ENABLE_ON_EXEC  1
#define PROC_KPTI_CTL_DISABLE_ON_EXEC 2
#define PROC_KPTI_STATUS_ACTIVE       0x80000000

#define PROC_LA_CTL_LA48_ON_EXEC      1
#define PROC_LA_CTL_LA57_ON_EXEC      2
#define PROC_LA_CTL_DEFAULT_ON_EXEC   3
#define PROC_LA_STATUS_LA48           0x01000000
#define PROC_LA_STATUS_LA57           0x02000000
#endif

/* PROC_SPROTECT: an operation in the low four bits, flags above them. */
#define PPROT_OP(x)     ((x) & 0xf)
#define PPROT_SET       1
#define PPROT_CLEAR     2
#define PPROT_FLAGS(x)  ((x) & ~0xf)
#define PPROT_DESCEND   0x10
#define PPROT_INHERIT   0x20

/* PROC_REAP_STATUS */
struct procctl_reaper_status {
	unsigned int rs_flags;       /* REAPER_STATUS_* */
	unsigned int rs_children;    /* descendants whose parent is the reaper */
	unsigned int rs_descendants; /* every process the reaper reaps */
	pid_t        rs_reaper;
	pid_t        rs_pid;         /* one descendant, or -1 */
	unsigned int rs_pad0[15];
};

#define REAPER_STATUS_OWNED     0x00000001
#define REAPER_STATUS_REALINIT  0x00000002

/* PROC_REAP_GETPIDS: one entry per descendant. */
struct procctl_reaper_pidinfo {
	pid_t        pi_pid;
	pid_t        pi_subtree;     /* the reaper's child this one descends from */
	unsigned int pi_flags;       /* REAPER_PIDINFO_* */
	unsigned int pi_pad0[15];
};

#define REAPER_PIDINFO_VALID    0x00000001
#define REAPER_PIDINFO_CHILD    0x00000002
#define REAPER_PIDINFO_REAPER   0x00000004
#define REAPER_PIDINFO_ZOMBIE   0x00000008
#define REAPER_PIDINFO_STOPPED  0x00000010
#define REAPER_PIDINFO_EXITING  0x00000020

struct procctl_reaper_pids {
	unsigned int rp_count;       /* entries rp_pids has room for */
	unsigned int rp_pad0[15];
	struct procctl_reaper_pidinfo *rp_pids;
};

/* PROC_REAP_KILL */
struct procctl_reaper_kill {
	int          rk_sig;         /* in: signal to send */
	unsigned int rk_flags;       /* in: REAPER_KILL_* */
	pid_t        rk_subtree;     /* in: with REAPER_KILL_SUBTREE */
	unsigned int rk_killed;      /* out: processes signalled */
	pid_t        rk_fpid;        /* out: first pid that failed, or -1 */
	unsigned int rk_pad0[15];
};

#define REAPER_KILL_CHILDREN    0x00000001
#define REAPER_KILL_SUBTREE     0x00000002

/* PROC_TRACE_CTL */
#define PROC_TRACE_CTL_ENABLE        1
#define PROC_TRACE_CTL_DISABLE       2
#define PROC_TRACE_CTL_DISABLE_EXEC  3

/* PROC_TRAPCAP_CTL */
#define PROC_TRAPCAP_CTL_ENABLE      1
#define PROC_TRAPCAP_CTL_DISABLE     2

/* PROC_ASLR_CTL; PROC_ASLR_STATUS adds PROC_ASLR_ACTIVE */
#define PROC_ASLR_FORCE_ENABLE       1
#define PROC_ASLR_FORCE_DISABLE      2
#define PROC_ASLR_NOFORCE            3
#define PROC_ASLR_ACTIVE             0x80000000

/* PROC_PROTMAX_CTL; PROC_PROTMAX_STATUS adds PROC_PROTMAX_ACTIVE */
#define PROC_PROTMAX_FORCE_ENABLE    1
#define PROC_PROTMAX_FORCE_DISABLE   2
#define PROC_PROTMAX_NOFORCE         3
#define PROC_PROTMAX_ACTIVE          0x80000000

/* PROC_STACKGAP_CTL and PROC_STACKGAP_STATUS: a bit mask */
#define PROC_STACKGAP_ENABLE         0x0001
#define PROC_STACKGAP_DISABLE        0x0002
#define PROC_STACKGAP_ENABLE_EXEC    0x0004
#define PROC_STACKGAP_DISABLE_EXEC   0x0008

/* PROC_NO_NEW_PRIVS_CTL accepts ENABLE only; STATUS reports either. */
#define PROC_NO_NEW_PRIVS_ENABLE     1
#define PROC_NO_NEW_PRIVS_DISABLE    2

/* PROC_WXMAP_CTL; PROC_WXMAP_STATUS may add PROC_WXORX_ENFORCE */
#define PROC_WX_MAPPINGS_PERMIT          0x0001
#define PROC_WX_MAPPINGS_DISALLOW_EXEC   0x0002
#define PROC_WXORX_ENFORCE               0x80000000

/* PROC_LOGSIGEXIT_CTL (NOFORCE is 1 here, unlike ASLR and PROTMAX) */
#define PROC_LOGSIGEXIT_CTL_NOFORCE       1
#define PROC_LOGSIGEXIT_CTL_FORCE_ENABLE  2
#define PROC_LOGSIGEXIT_CTL_FORCE_DISABLE 3

#ifdef __cplusplus
extern "C" {
#endif

int procctl(idtype_t idtype, id_t id, int cmd, void *data);

#ifdef __cplusplus
}
#endif

#endif /* LIBPROCCTL_SYS_PROCCTL_H */
