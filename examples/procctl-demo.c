/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * procctl-demo: FreeBSD's procctl(2) at work on Linux, on real processes.
 *
 * Each step runs in a child process, so that the one-way switches (W^X,
 * no-new-privs) do not stay on in the demo itself.
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

static int status_of(int cmd)
{
	int v = 0;
	if (procctl(P_PID, 0, cmd, &v) != 0)
		return -999;
	return v;
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
	say("   PROC_TRACE_STATUS        %d  (0: traceable, -1: tracing disabled)",
	    status_of(PROC_TRACE_STATUS));
	int aslr = status_of(PROC_ASLR_STATUS);
	say("   PROC_ASLR_STATUS         %#x (%s%s)", (unsigned)aslr,
	    (aslr & 0xf) == PROC_ASLR_FORCE_DISABLE ? "force disabled" :
	    (aslr & 0xf) == PROC_ASLR_FORCE_ENABLE ? "force enabled" : "not forced",
	    (aslr & (int)PROC_ASLR_ACTIVE) ? ", active" : ", not active");
	say("   PROC_NO_NEW_PRIVS_STATUS %d  (1: enabled, 2: disabled)",
	    status_of(PROC_NO_NEW_PRIVS_STATUS));
	say("   PROC_WXMAP_STATUS        %#x", (unsigned)status_of(PROC_WXMAP_STATUS));
	say("   PROC_STACKGAP_STATUS     %#x (enabled, and after exec)",
	    (unsigned)status_of(PROC_STACKGAP_STATUS));
	say("   PROC_PDEATHSIG_STATUS    %d", status_of(PROC_PDEATHSIG_STATUS));
}

static void reaper_step(void)
{
	say("== PROC_REAP_ACQUIRE: orphans of my descendants come to me");
	if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0) {
		say("   acquire failed: %s", strerror(errno));
		return;
	}
	say("   a second acquire: %s (FreeBSD says EBUSY)",
	    procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) == 0 ? "ok" : strerror(errno));
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
	(void)!read(p[0], &adopted_by, sizeof(adopted_by));
	say("   my child %d exited; its child now has parent %d (me: %d)",
	    (int)child, (int)adopted_by, (int)getpid());
	pid_t reaped = waitpid(-1, NULL, 0);
	say("   and I reaped the orphan, pid %d", (int)reaped);
	procctl(P_PID, 0, PROC_REAP_RELEASE, NULL);
}

static void print_table(void)
{
	struct procctl_reaper_pidinfo info[16];
	memset(info, 0, sizeof(info));
	struct procctl_reaper_pids rp = { .rp_count = 16, .rp_pids = info };
	if (procctl(P_PID, 0, PROC_REAP_GETPIDS, &rp) != 0) {
		say("   GETPIDS failed: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < 16 && (info[i].pi_flags & REAPER_PIDINFO_VALID); i++)
		say("   pid %-7d subtree %-7d %s", (int)info[i].pi_pid, (int)info[i].pi_subtree,
		    (info[i].pi_flags & REAPER_PIDINFO_CHILD) ? "child" : "grandchild or below");
}

static void kill_step(void)
{
	say("== PROC_REAP_STATUS, GETPIDS and KILL: a whole tree, orphans included");
	if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0) {
		say("   acquire failed: %s", strerror(errno));
		return;
	}
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
	struct procctl_reaper_status rs;
	procctl(P_PID, 0, PROC_REAP_STATUS, &rs);
	say("   %u descendants, %u of them direct children:", rs.rs_descendants, rs.rs_children);
	print_table();
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	procctl(P_PID, 0, PROC_REAP_KILL, &rk);
	say("   one PROC_REAP_KILL signalled %u processes, the setsid() one too", rk.rk_killed);
	while (waitpid(-1, NULL, 0) > 0)
		;
	procctl(P_PID, 0, PROC_REAP_STATUS, &rs);
	say("   after reaping: %u descendants left", rs.rs_descendants);
	procctl(P_PID, 0, PROC_REAP_RELEASE, NULL);
}

static void trace_step(void)
{
	say("== PROC_TRACE_CTL DISABLE: no debugger, no core dump");
	int v = PROC_TRACE_CTL_DISABLE;
	procctl(P_PID, 0, PROC_TRACE_CTL, &v);
	say("   PROC_TRACE_STATUS is now %d", status_of(PROC_TRACE_STATUS));
	v = PROC_TRACE_CTL_DISABLE_EXEC;
	if (procctl(P_PID, 0, PROC_TRACE_CTL, &v) != 0)
		say("   DISABLE_EXEC: %s (Linux re-enables tracing at execve)",
		    strerror(errno));
}

static void wxmap_step(void)
{
	say("== PROC_WXMAP_CTL DISALLOW_EXEC: W^X, on Linux's MDWE");
	int v = PROC_WX_MAPPINGS_DISALLOW_EXEC;
	if (procctl(P_PID, 0, PROC_WXMAP_CTL, &v) != 0) {
		say("   refused: %s", strerror(errno));
		return;
	}
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	say("   mmap(PROT_WRITE|PROT_EXEC) now: %s",
	    m == MAP_FAILED ? strerror(errno) : "allowed (unexpected)");
	say("   PROC_WXMAP_STATUS is %#x", (unsigned)status_of(PROC_WXMAP_STATUS));
}

static void nnp_step(void)
{
	say("== PROC_NO_NEW_PRIVS_CTL: set-id bits ignored from now on, for good");
	int v = PROC_NO_NEW_PRIVS_ENABLE;
	procctl(P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	say("   PROC_NO_NEW_PRIVS_STATUS is %d", status_of(PROC_NO_NEW_PRIVS_STATUS));
	v = PROC_NO_NEW_PRIVS_DISABLE;
	say("   trying to disable it: %s",
	    procctl(P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v) == 0 ? "ok" : strerror(errno));
}

static void aslr_step(void)
{
	say("== PROC_ASLR_CTL FORCE_DISABLE: the next program is not randomized");
	int v = PROC_ASLR_FORCE_DISABLE;
	procctl(P_PID, 0, PROC_ASLR_CTL, &v);
	say("   this image keeps its layout: status %#x",
	    (unsigned)status_of(PROC_ASLR_STATUS));
	fflush(stdout);
	execl("/proc/self/exe", "procctl-demo", "--aslr-status", (char *)NULL);
	say("   exec failed: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--aslr-status") == 0) {
		say("   after execve: status %#x (force disabled, not active)",
		    (unsigned)status_of(PROC_ASLR_STATUS));
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
