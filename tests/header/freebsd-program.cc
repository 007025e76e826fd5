/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A FreeBSD-style use of every name <sys/procctl.h> declares, compiled in
 * each language mode the header promises (-pedantic -Werror).  It is only
 * compiled; the behaviour tests run the calls.
 */
#include <sys/procctl.h>

int use_every_name(void);

int use_every_name(void)
{
	struct procctl_reaper_status rs;
	struct procctl_reaper_pidinfo pi[2];
	struct procctl_reaper_pids rp;
	struct procctl_reaper_kill rk;
	idtype_t idtype = P_PID;
	id_t id = 0;
	int v = 0;

	rs.rs_flags = REAPER_STATUS_OWNED | REAPER_STATUS_REALINIT;
	pi[0].pi_flags = REAPER_PIDINFO_VALID | REAPER_PIDINFO_CHILD |
	    REAPER_PIDINFO_REAPER | REAPER_PIDINFO_ZOMBIE |
	    REAPER_PIDINFO_STOPPED | REAPER_PIDINFO_EXITING;
	rp.rp_count = 2;
	rp.rp_pids = pi;
	rk.rk_sig = 15;
	rk.rk_flags = REAPER_KILL_CHILDREN | REAPER_KILL_SUBTREE;
	v = PPROT_SET | PPROT_CLEAR | PPROT_DESCEND | PPROT_INHERIT;
	v = PPROT_OP(v) | PPROT_FLAGS(v);
	v |= PROC_TRACE_CTL_ENABLE | PROC_TRACE_CTL_DISABLE | PROC_TRACE_CTL_DISABLE_EXEC;
	v |= PROC_TRAPCAP_CTL_ENABLE | PROC_TRAPCAP_CTL_DISABLE;
	v |= PROC_ASLR_FORCE_ENABLE | PROC_ASLR_FORCE_DISABLE | PROC_ASLR_NOFORCE;
	v |= PROC_PROTMAX_FORCE_ENABLE | PROC_PROTMAX_FORCE_DISABLE | PROC_PROTMAX_NOFORCE;
	v |= PROC_STACKGAP_ENABLE | PROC_STACKGAP_DISABLE |
	    PROC_STACKGAP_ENABLE_EXEC | PROC_STACKGAP_DISABLE_EXEC;
	v |= PROC_NO_NEW_PRIVS_ENABLE | PROC_NO_NEW_PRIVS_DISABLE;
	v |= PROC_WX_MAPPINGS_PERMIT | PROC_WX_MAPPINGS_DISALLOW_EXEC;
	v |= PROC_LOGSIGEXIT_CTL_NOFORCE | PROC_LOGSIGEXIT_CTL_FORCE_ENABLE |
	    PROC_LOGSIGEXIT_CTL_FORCE_DISABLE;
	if ((unsigned int)v & (PROC_ASLR_ACTIVE | PROC_PROTMAX_ACTIVE | PROC_WXORX_ENFORCE))
		v = 0;
#ifdef PROC_KPTI_CTL
	v |= PROC_KPTI_CTL_ENABLE_ON_EXEC | PROC_KPTI_CTL_DISABLE_ON_EXEC;
	v |= PROC_LA_CTL_LA48_ON_EXEC | PROC_LA_CTL_LA57_ON_EXEC | PROC_LA_CTL_DEFAULT_ON_EXEC;
	if ((unsigned int)v & (PROC_KPTI_STATUS_ACTIVE | PROC_LA_STATUS_LA48 | PROC_LA_STATUS_LA57))
		v = 0;
	(void)procctl(idtype, id, PROC_KPTI_CTL, &v);
	(void)procctl(idtype, id, PROC_KPTI_STATUS, &v);
	(void)procctl(idtype, id, PROC_LA_CTL, &v);
	(void)procctl(idtype, id, PROC_LA_STATUS, &v);
#endif
	(void)procctl(P_PGID, id, PROC_SPROTECT, &v);
	(void)procctl(idtype, id, PROC_REAP_ACQUIRE, 0);
	(void)procctl(idtype, id, PROC_REAP_RELEASE, 0);
	(void)procctl(idtype, id, PROC_REAP_STATUS, &rs);
	(void)procctl(idtype, id, PROC_REAP_GETPIDS, &rp);
	(void)procctl(idtype, id, PROC_REAP_KILL, &rk);
	(void)procctl(idtype, id, PROC_TRACE_CTL, &v);
	(void)procctl(idtype, id, PROC_TRACE_STATUS, &v);
	(void)procctl(idtype, id, PROC_TRAPCAP_CTL, &v);
	(void)procctl(idtype, id, PROC_TRAPCAP_STATUS, &v);
	(void)procctl(idtype, id, PROC_PDEATHSIG_CTL, &v);
	(void)procctl(idtype, id, PROC_PDEATHSIG_STATUS, &v);
	(void)procctl(idtype, id, PROC_ASLR_CTL, &v);
	(void)procctl(idtype, id, PROC_ASLR_STATUS, &v);
	(void)procctl(idtype, id, PROC_PROTMAX_CTL, &v);
	(void)procctl(idtype, id, PROC_PROTMAX_STATUS, &v);
	(void)procctl(idtype, id, PROC_STACKGAP_CTL, &v);
	(void)procctl(idtype, id, PROC_STACKGAP_STATUS, &v);
	(void)procctl(idtype, id, PROC_NO_NEW_PRIVS_CTL, &v);
	(void)procctl(idtype, id, PROC_NO_NEW_PRIVS_STATUS, &v);
	(void)procctl(idtype, id, PROC_WXMAP_CTL, &v);
	(void)procctl(idtype, id, PROC_WXMAP_STATUS, &v);
	(void)procctl(idtype, id, PROC_LOGSIGEXIT_CTL, &v);
	(void)procctl(idtype, id, PROC_LOGSIGEXIT_STATUS, &v);
	return v + (int)rs.rs_flags + (int)rk.rk_flags + (PROC_PROCCTL_MD_MIN > 0);
}
