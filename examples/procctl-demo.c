/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * procctl-demo: FreeBSD's procctl(2) at work on Linux, on real processes.
 *
 * Each step runs in a child process, so that the one-way switches (W^X,
 * no-new-privs) do not stay on in the demo itself.  Every line it prints
 * says what a call returned: the value, decoded, or the error; where a
 * container's seccomp profile refuses something, the demo says so rather
 * than what should have happened.
 */
#include <sys/procctl.h>

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The status cmd reports, or -1 with errno set. */
static int get_status(int cmd, int *v)
{
	*v = 0;
	return procctl(P_PID, 0, cmd, v);
}

static void trace_meaning(int v, char *buf, size_t size)
{
	if (v == -1)
		snprintf(buf, size, "tracing disabled");
	else if (v == 0)
		snprintf(buf, size, "traceable, not traced");
	else
		snprintf(buf, size, "traced by pid %d", v);
}

static void aslr_meaning(int v, char *buf, size_t size)
{
	int forced = v & ~(int)PROC_ASLR_ACTIVE;
	snprintf(buf, size, "%s, %s",
	    forced == PROC_ASLR_FORCE_DISABLE ? "force disabled" :
	    forced == PROC_ASLR_FORCE_ENABLE ? "force enabled" :
	    forced == PROC_ASLR_NOFORCE ? "not forced" : "unknown setting",
	    (v & (int)PROC_ASLR_ACTIVE) ? "active in this image" : "not active in this image");
}

static void nnp_meaning(int v, char *buf, size_t size)
{
	snprintf(buf, size, "%s", v == PROC_NO_NEW_PRIVS_ENABLE ? "enabled" :
	    v == PROC_NO_NEW_PRIVS_DISABLE ? "disabled" : "unknown");
}

static void wxmap_meaning(int v, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s",
	    (v & PROC_WX_MAPPINGS_PERMIT) ? "W+X permitted" : "W+X not permitted",
	    (v & PROC_WX_MAPPINGS_DISALLOW_EXEC) ? ", disallowed after exec" : "",
	    (v & (int)PROC_WXORX_ENFORCE) ? ", W^X enforced now" : "");
}

static void stackgap_meaning(int v, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s",
	    (v & PROC_STACKGAP_ENABLE) ? "enabled" :
	    (v & PROC_STACKGAP_DISABLE) ? "disabled" : "unknown",
	    (v & PROC_STACKGAP_ENABLE_EXEC) ? "enabled after exec" :
	    (v & PROC_STACKGAP_DISABLE_EXEC) ? "disabled after exec" : "after exec unknown");
}

static void pdeathsig_meaning(int v, char *buf, size_t size)
{
	snprintf(buf, size, "%s", v == 0 ? "none" : strsignal(v));
}

/* One status line: the value and what it means, or why there is none. */
static void show_status(const char *name, int cmd,
    void (*meaning)(int v, char *buf, size_t size))
{
	int v;
	if (get_status(cmd, &v) != 0) {
		say("   %-24s failed: %s", name, strerror(errno));
		return;
	}
	char buf[160];
	meaning(v, buf, sizeof(buf));
	say("   %-24s %#x (%s)", name, (unsigned)v, buf);
}

/* Say whether procctl(cmd, data) worked; 0 when it did. */
static int report(const char *what, int cmd, void *data)
{
	int r = procctl(P_PID, 0, cmd, data);
	say("   %s: %s", what, r == 0 ? "ok" : strerror(errno));
	return r;
}

/* A control with an int argument. */
static int control(const char *what, int cmd, int value)
{
	return report(what, cmd, &value);
}

/* Run step() in a child and wait for it. */
static void in_child(void (*step)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		step();
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void show_statuses(void)
{
	say("== the statuses of this process (pid %d)", (int)getpid());
	show_status("PROC_TRACE_STATUS", PROC_TRACE_STATUS, trace_meaning);
	show_status("PROC_ASLR_STATUS", PROC_ASLR_STATUS, aslr_meaning);
	show_status("PROC_NO_NEW_PRIVS_STATUS", PROC_NO_NEW_PRIVS_STATUS, nnp_meaning);
	show_status("PROC_WXMAP_STATUS", PROC_WXMAP_STATUS, wxmap_meaning);
	show_status("PROC_STACKGAP_STATUS", PROC_STACKGAP_STATUS, stackgap_meaning);
	show_status("PROC_PDEATHSIG_STATUS", PROC_PDEATHSIG_STATUS, pdeathsig_meaning);
}

static void reaper_step(void)
{
	say("== PROC_REAP_ACQUIRE: orphans of my descendants come to me");
	if (report("PROC_REAP_ACQUIRE", PROC_REAP_ACQUIRE, NULL) != 0)
		return;
	report("a second PROC_REAP_ACQUIRE", PROC_REAP_ACQUIRE, NULL);
	int p[2];
	if (pipe(p) != 0)
		return;
	pid_t child = fork();
	if (child == 0) {
		pid_t me = getpid();
		if (fork() == 0) {
			while (getppid() == me)
				usleep(1000);
			pid_t now = getppid();
			(void)!write(p[1], &now, sizeof(now));
			_exit(0);
		}
		_exit(0);
	}
	waitpid(child, NULL, 0);
	pid_t adopted_by = 0;
	close(p[1]);
	if (read(p[0], &adopted_by, sizeof(adopted_by)) != sizeof(adopted_by)) {
		say("   the grandchild did not say who adopted it");
		return;
	}
	say("   my child %d exited; its child now has parent %d (%s)", (int)child,
	    (int)adopted_by, adopted_by == getpid() ? "me" : "not me");
	pid_t reaped = waitpid(-1, NULL, 0);
	if (reaped > 0)
		say("   I reaped pid %d", (int)reaped);
	else
		say("   waitpid: %s", strerror(errno));
	report("PROC_REAP_RELEASE", PROC_REAP_RELEASE, NULL);
}

static void print_table(void)
{
	struct procctl_reaper_pidinfo info[16];
	memset(info, 0, sizeof(info));
	struct procctl_reaper_pids rp = { .rp_count = 16, .rp_pids = info };
	if (procctl(P_PID, 0, PROC_REAP_GETPIDS, &rp) != 0) {
		say("   PROC_REAP_GETPIDS: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < 16 && (info[i].pi_flags & REAPER_PIDINFO_VALID); i++)
		say("   pid %-7d subtree %-7d %s", (int)info[i].pi_pid, (int)info[i].pi_subtree,
		    (info[i].pi_flags & REAPER_PIDINFO_CHILD) ? "child" : "grandchild or below");
}

static void show_reaper_status(const char *when)
{
	struct procctl_reaper_status rs;
	memset(&rs, 0, sizeof(rs));
	if (procctl(P_PID, 0, PROC_REAP_STATUS, &rs) != 0)
		say("   PROC_REAP_STATUS %s: %s", when, strerror(errno));
	else
		say("   PROC_REAP_STATUS %s: %u descendants, %u of them direct children", when,
		    rs.rs_descendants, rs.rs_children);
}

static void kill_step(void)
{
	say("== PROC_REAP_STATUS, GETPIDS and KILL: a whole tree, orphans included");
	if (report("PROC_REAP_ACQUIRE", PROC_REAP_ACQUIRE, NULL) != 0)
		return;
	/* A child that starts a worker, and a worker that escapes with setsid(). */
	int ready[2];
	if (pipe(ready) != 0)
		return;
	pid_t child = fork();
	if (child == 0) {
		if (fork() == 0) {
			setsid();
			if (fork() == 0) {
				(void)!write(ready[1], "x", 1);
				pause();
				_exit(0);
			}
			pause();
			_exit(0);
		}
		pause();
		_exit(0);
	}
	char c;
	(void)!read(ready[0], &c, 1);
	show_reaper_status("before");
	print_table();
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	if (procctl(P_PID, 0, PROC_REAP_KILL, &rk) != 0) {
		say("   PROC_REAP_KILL: %s", strerror(errno));
		kill(child, SIGKILL);
	} else {
		say("   PROC_REAP_KILL signalled %u processes", rk.rk_killed);
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
	show_reaper_status("after reaping");
	report("PROC_REAP_RELEASE", PROC_REAP_RELEASE, NULL);
}

static void trace_step(void)
{
	say("== PROC_TRACE_CTL DISABLE: no debugger, no core dump");
	if (control("PROC_TRACE_CTL(DISABLE)", PROC_TRACE_CTL, PROC_TRACE_CTL_DISABLE) == 0)
		show_status("PROC_TRACE_STATUS", PROC_TRACE_STATUS, trace_meaning);
	control("PROC_TRACE_CTL(DISABLE_EXEC)", PROC_TRACE_CTL, PROC_TRACE_CTL_DISABLE_EXEC);
}

static void wxmap_step(void)
{
	say("== PROC_WXMAP_CTL DISALLOW_EXEC: W^X, on Linux's MDWE");
	if (control("PROC_WXMAP_CTL(DISALLOW_EXEC)", PROC_WXMAP_CTL,
	    PROC_WX_MAPPINGS_DISALLOW_EXEC) != 0)
		return;
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	say("   mmap(PROT_WRITE|PROT_EXEC) now: %s", m == MAP_FAILED ? strerror(errno) : "allowed");
	if (m != MAP_FAILED)
		munmap(m, 4096);
	show_status("PROC_WXMAP_STATUS", PROC_WXMAP_STATUS, wxmap_meaning);
}

static void nnp_step(void)
{
	say("== PROC_NO_NEW_PRIVS_CTL: set-id bits ignored from now on, for good");
	if (control("PROC_NO_NEW_PRIVS_CTL(ENABLE)", PROC_NO_NEW_PRIVS_CTL,
	    PROC_NO_NEW_PRIVS_ENABLE) == 0)
		show_status("PROC_NO_NEW_PRIVS_STATUS", PROC_NO_NEW_PRIVS_STATUS, nnp_meaning);
	control("PROC_NO_NEW_PRIVS_CTL(DISABLE)", PROC_NO_NEW_PRIVS_CTL, PROC_NO_NEW_PRIVS_DISABLE);
}

static void aslr_step(void)
{
	say("== PROC_ASLR_CTL FORCE_DISABLE: the choice for the next program");
	control("PROC_ASLR_CTL(FORCE_DISABLE)", PROC_ASLR_CTL, PROC_ASLR_FORCE_DISABLE);
	show_status("PROC_ASLR_STATUS", PROC_ASLR_STATUS, aslr_meaning);
	fflush(stdout);
	execl("/proc/self/exe", "procctl-demo", "--aslr-status", (char *)NULL);
	say("   exec failed: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--aslr-status") == 0) {
		say("   after execve:");
		show_status("PROC_ASLR_STATUS", PROC_ASLR_STATUS, aslr_meaning);
		return 0;
	}
	show_statuses();
	in_child(reaper_step);
	in_child(kill_step);
	in_child(trace_step);
	in_child(wxmap_step);
	in_child(nnp_step);
	in_child(aslr_step);
	return 0;
}
