/* SPDX-License-Identifier: BSD-2-Clause */
#include "testlib.h"

#include <fcntl.h>
#include <sched.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void child_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A TAP comment, so that it shows in the log beside the failing case. */
	dprintf(STDOUT_FILENO, "# child %d: %s:%d: %s\n", (int)getpid(), file, line, msg);
	_exit(1);
}

pid_t tl_fork(void)
{
	pid_t parent = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(99);
	}
	return pid;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int tl_wait(pid_t pid, int timeout_ms)
{
	int status;
	for (int waited = 0;; waited++) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			fail_msg("waitpid(%d): %s", (int)pid, strerror(errno));
		if (waited >= timeout_ms)
			return -1;
		sleep_ms(1);
	}
}

void tl_kill_and_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	if (tl_wait(pid, TL_CHILD_TIMEOUT_MS) == -1)
		fail_msg("child %d did not die after SIGKILL", (int)pid);
}

void run_in_child(void (*fn)(void *arg), void *arg)
{
	pid_t pid = tl_fork();
	if (pid == 0) {
		fn(arg);
		fflush(NULL);
		_exit(0);
	}
	int status = tl_wait(pid, TL_CHILD_TIMEOUT_MS);
	if (status == -1) {
		tl_kill_and_reap(pid);
		fail_msg("child timed out");
	}
	if (WIFSIGNALED(status))
		fail_msg("child died of signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("child failed (exit %d)", WEXITSTATUS(status));
}

static volatile sig_atomic_t family_ending;

static void note_sigterm(int sig)
{
	(void)sig;
	family_ending = 1;
}

static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

pid_t tl_spawn_family(int n, pid_t kids[])
{
	if (n < 0 || n > TL_FAMILY_MAX)
		fail_msg("family of %d is too large", n);
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		fail_msg("pipe: %s", strerror(errno));
	pid_t child = tl_fork();
	if (child == 0) {
		close(p[0]);
		sigset_t term, old;
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigprocmask(SIG_BLOCK, &term, &old);
		struct sigaction sa = { .sa_handler = note_sigterm };
		sigaction(SIGTERM, &sa, NULL);
		pid_t mine[TL_FAMILY_MAX];
		for (int i = 0; i < n; i++) {
			mine[i] = fork();
			if (mine[i] < 0)
				_exit(97);
			if (mine[i] == 0) {
				signal(SIGTERM, SIG_DFL);
				sigprocmask(SIG_SETMASK, &old, NULL);
				prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
				for (;;)
					pause();
			}
		}
		if (write(p[1], mine, sizeof(pid_t) * (size_t)n) < 0)
			_exit(96);
		close(p[1]);
		while (!family_ending)
			sigsuspend(&old);
		for (int i = 0; i < n; i++)
			kill(mine[i], SIGKILL);
		for (int i = 0; i < n; i++)
			while (waitpid(mine[i], NULL, 0) < 0 && errno == EINTR)
				;
		_exit(0);
	}
	close(p[1]);
	pid_t got[TL_FAMILY_MAX];
	if (read_full(p[0], got, sizeof(pid_t) * (size_t)n) < 0) {
		close(p[0]);
		tl_kill_and_reap(child);
		fail_msg("family did not start");
	}
	close(p[0]);
	for (int i = 0; i < n; i++)
		kids[i] = got[i];
	return child;
}

void tl_end_family(pid_t child)
{
	kill(child, SIGTERM);
	int status = tl_wait(child, TL_CHILD_TIMEOUT_MS);
	if (status == -1) {
		tl_kill_and_reap(child);
		fail_msg("family head %d did not end", (int)child);
	}
}

void tl_reap_orphans(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

pid_t tl_spawn_pause(void)
{
	pid_t pid = tl_fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static char state_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] ? close_paren[2] : 0;
}

bool tl_wait_state(pid_t pid, const char *states, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited++) {
		char s = state_of(pid);
		if (s != 0 && strchr(states, s) != NULL)
			return true;
		sleep_ms(1);
	}
	return false;
}

bool tl_is_ns_init(void)
{
	return getpid() == 1;
}

bool tl_in_initial_userns(void)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	if (f == NULL)
		return true;    /* no user namespaces at all */
	unsigned long inside, outside, count;
	bool initial = fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3 &&
	    inside == 0 && outside == 0 && count == 4294967295UL;
	fclose(f);
	return initial;
}

bool tl_has_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {{0}};
	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	return (d[cap / 32].effective & (1u << (cap % 32))) != 0;
}

long tl_read_long(const char *path, long fallback)
{
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return fallback;
	long v;
	if (fscanf(f, "%ld", &v) != 1)
		v = fallback;
	fclose(f);
	return v;
}

long tl_status_field(pid_t pid, const char *key)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return -1;
	long v = -1;
	size_t klen = strlen(key);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			v = strtol(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

void tl_skip_note(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("# skip reason: %s\n", msg);
	fflush(stdout);
}

pid_t tl_unused_pid(void)
{
	long max = tl_read_long("/proc/sys/kernel/pid_max", 4194304);
	return max < INT_MAX ? (pid_t)(max + 1) : INT_MAX;
}

void tl_exec_probe(const char *what)
{
	const char *probe = getenv("LPC_STATUS_PROBE");
	if (probe == NULL)
		child_fail(__FILE__, __LINE__, "LPC_STATUS_PROBE is not set");
	execl(probe, probe, what, (char *)NULL);
	child_fail(__FILE__, __LINE__, "exec %s: %s", probe, strerror(errno));
}

long tl_probe_after_exec(void (*setup)(void *arg), void *arg, const char *what)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		fail_msg("pipe: %s", strerror(errno));
	pid_t pid = tl_fork();
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], STDOUT_FILENO) < 0)
			_exit(98);
		if (setup != NULL)
			setup(arg);
		tl_exec_probe(what);
	}
	close(p[1]);
	char buf[128];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(buf) - 1 &&
	    (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(p[0]);
	buf[len] = '\0';
	int status = tl_wait(pid, TL_CHILD_TIMEOUT_MS);
	if (status == -1) {
		tl_kill_and_reap(pid);
		fail_msg("probe timed out");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("probe for %s failed (status %#x): %s", what, status, buf);
	char *end;
	long v = strtol(buf, &end, 0);
	if (end == buf)
		fail_msg("probe for %s printed '%s'", what, buf);
	return v;
}

/* Wait for pid, then hand on how it ended as an exit status. */
static void exit_like(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			_exit(97);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/*
 * PID 1 of the namespace: reap whatever is orphaned there until the tests
 * end, then leave, which makes the kernel kill anything still inside.
 */
static void reap_until(pid_t tests)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid == tests)
			_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		if (pid < 0 && errno != EINTR)
			_exit(97);
	}
}

void tl_contain_in_pid_namespace(void)
{
	if (getpid() == 1 || geteuid() != 0)
		return;
	/* Only our next child enters the new pid namespace, as its PID 1. */
	if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0)
		return;
	fflush(NULL);
	pid_t init = fork();
	if (init < 0) {
		perror("fork");
		exit(99);
	}
	if (init > 0)
		exit_like(init);

	/* /proc must number processes as the new namespace does. */
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
		perror("mount /proc");
		_exit(98);
	}
	/* The tests run below PID 1, so that they see ordinary process rules. */
	pid_t tests = fork();
	if (tests < 0)
		_exit(96);
	if (tests > 0)
		reap_until(tests);
}

int tl_run_group(const char *file, const struct CMUnitTest *tests, size_t count)
{
	/* The children a test forks must not flush a copy of our stdio. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *name = strrchr(file, '/');
	return _cmocka_run_group_tests(name ? name + 1 : file, tests, count, NULL, NULL);
}
