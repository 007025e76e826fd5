/* SPDX-License-Identifier: BSD-2-Clause */
#include "testlib.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <limits.h>
#include <linux/landlock.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/capability.h>
#include <sys/capsicum.h>
#include <sys/mount.h>
#include <sys/personality.h>
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

/* The exit status that tells the parent its child could not enter capability mode. */
#define NO_CAPMODE_EXIT 77

static int wait_for_child(pid_t pid)
{
	int status = tl_wait(pid, TL_CHILD_TIMEOUT_MS);
	if (status == -1) {
		tl_kill_and_reap(pid);
		fail_msg("child timed out");
	}
	if (WIFSIGNALED(status))
		fail_msg("child died of signal %d", WTERMSIG(status));
	return WEXITSTATUS(status);
}

void run_in_child(void (*fn)(void *arg), void *arg)
{
	pid_t pid = tl_fork();
	if (pid == 0) {
		fn(arg);
		fflush(NULL);
		_exit(0);
	}
	int code = wait_for_child(pid);
	if (code != 0)
		fail_msg("child failed (exit %d)", code);
}

void tl_child_waits_for_success(pid_t pid)
{
	int status;
	pid_t r;
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	CHECK_EQ(r, pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		child_fail(__FILE__, __LINE__, "child %d: wait status %#x", (int)pid, status);
}

bool tl_run_in_capmode(void (*before)(void *arg), void (*fn)(void *arg), void *arg,
    bool trapcap)
{
	pid_t pid = tl_fork();
	if (pid == 0) {
		if (before != NULL)
			before(arg);
		int on = PROC_TRAPCAP_CTL_ENABLE;
		if (trapcap)
			CHECK_OK(P_PID, 0, PROC_TRAPCAP_CTL, &on);
		if (cap_enter() != 0) {
			if (errno == ENOSYS)
				_exit(NO_CAPMODE_EXIT);
			child_fail(__FILE__, __LINE__, "cap_enter: %s", strerror(errno));
		}
		fn(arg);
		fflush(NULL);
		_exit(0);
	}
	int code = wait_for_child(pid);
	if (code == NO_CAPMODE_EXIT)
		return false;
	if (code != 0)
		fail_msg("child failed (exit %d)", code);
	return true;
}

int tl_landlock_abi(void)
{
	int saved = errno;
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	int r = abi < 0 ? -errno : (int)abi;
	errno = saved;
	return r;
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
	pid_t parent = getpid();
	pid_t child = tl_fork();
	if (child == 0) {
		close(p[0]);
		/* A test that fails before tl_end_family() leaves no family behind. */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(95);
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

struct ns_run {
	void (*fn)(void *arg);
	void *arg;
	bool as_init;
};

/* PID 1: wait for the body, reaping every orphan, then end the namespace. */
static __attribute__((noreturn)) void namespace_init(struct ns_run *run)
{
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		child_fail(__FILE__, __LINE__, "mount /proc: %s", strerror(errno));
	if (run->as_init) {
		run->fn(run->arg);
		fflush(NULL);
		_exit(0);
	}
	fflush(NULL);
	pid_t body = fork();
	if (body < 0)
		_exit(95);
	if (body == 0) {
		run->fn(run->arg);
		fflush(NULL);
		_exit(0);
	}
	int status = 0;
	for (;;) {
		int st;
		pid_t got = waitpid(-1, &st, 0);
		if (got == body)
			status = st;
		if (got < 0 && errno == ECHILD)
			break;
		if (got == body)
			break;
	}
	/* Leaving kills the rest of the namespace. */
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 96);
}

static void enter_namespace(void *arg)
{
	struct ns_run *run = arg;
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS) != 0)
		_exit(97);
	fflush(NULL);
	pid_t init = fork();
	if (init < 0)
		_exit(95);
	if (init == 0)
		namespace_init(run);
	int status;
	while (waitpid(init, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status))
		child_fail(__FILE__, __LINE__, "namespace init died of signal %d",
		    WTERMSIG(status));
	_exit(WEXITSTATUS(status));
}

bool tl_can_mount_proc(unsigned long ns_flags, const char *options, char *why, size_t size)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		fail_msg("pipe: %s", strerror(errno));
	pid_t pid = tl_fork();
	if (pid == 0) {
		close(p[0]);
		char msg[128];
		if (unshare((int)ns_flags) != 0) {
			snprintf(msg, sizeof(msg), "unshare(CLONE_NEWPID|CLONE_NEWNS%s): %s",
			    ns_flags & CLONE_NEWUSER ? "|CLONE_NEWUSER" : "", strerrorname_np(errno));
			_exit(write(p[1], msg, strlen(msg)) > 0 ? 1 : 2);
		}
		pid_t init = fork();
		if (init == 0) {
			if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
				snprintf(msg, sizeof(msg), "making / private: %s", strerrorname_np(errno));
			else if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			    options) != 0)
				snprintf(msg, sizeof(msg), "mount -t proc%s%s: %s", options ? " -o " : "",
				    options ? options : "", strerrorname_np(errno));
			else
				_exit(0);
			_exit(write(p[1], msg, strlen(msg)) > 0 ? 1 : 2);
		}
		int status = 0;
		while (init > 0 && waitpid(init, &status, 0) < 0 && errno == EINTR)
			;
		_exit(init > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 3);
	}
	close(p[1]);
	ssize_t n = read(p[0], why, size - 1);
	close(p[0]);
	why[n > 0 ? n : 0] = '\0';
	int status = tl_wait(pid, TL_CHILD_TIMEOUT_MS);
	if (status == -1) {
		tl_kill_and_reap(pid);
		snprintf(why, size, "the probe did not end");
		return false;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (n <= 0)
		snprintf(why, size, "the probe failed (status %#x)", status);
	return false;
}

static int namespaces_usable = -1;
static char namespaces_refused[160];

bool tl_run_in_pid_namespace(void (*fn)(void *arg), void *arg, bool as_init)
{
	/* Probed once: the namespaces, and a /proc of their own (a container may mask /proc). */
	if (namespaces_usable < 0)
		namespaces_usable = tl_can_mount_proc(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS,
		    NULL, namespaces_refused, sizeof(namespaces_refused));
	if (!namespaces_usable)
		return false;
	struct ns_run run = { fn, arg, as_init };
	run_in_child(enter_namespace, &run);
	return true;
}

const char *tl_pid_namespace_refusal(void)
{
	if (namespaces_usable < 0)
		namespaces_usable = tl_can_mount_proc(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS,
		    NULL, namespaces_refused, sizeof(namespaces_refused));
	return namespaces_usable ? NULL : namespaces_refused;
}

int tl_aslr_refusal(void)
{
	pid_t pid = tl_fork();
	if (pid == 0) {
		int persona = personality(0xffffffff);
		if (persona < 0 || personality((unsigned long)persona | ADDR_NO_RANDOMIZE) < 0)
			_exit(errno & 0xff);
		_exit(0);
	}
	int status = tl_wait(pid, TL_CHILD_TIMEOUT_MS);
	if (!WIFEXITED(status))
		fail_msg("the personality probe died (status %#x)", status);
	return WEXITSTATUS(status);
}

int status_in_fork_child(int cmd)
{
	int p[2];
	CHECK(pipe(p) == 0);
	fflush(NULL);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int v = 0;
		if (procctl(P_PID, 0, cmd, &v) != 0)
			_exit(2);
		_exit(write(p[1], &v, sizeof(v)) == sizeof(v) ? 0 : 3);
	}
	close(p[1]);
	int v = 0, status;
	ssize_t n = read(p[0], &v, sizeof(v));
	close(p[0]);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(n, sizeof(v));
	return v;
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

static bool effective_in(cap_t caps, int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	bool has = caps != NULL &&
	    cap_get_flag(caps, (cap_value_t)cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET;
	cap_free(caps);
	return has;
}

bool tl_has_cap(int cap)
{
	return effective_in(cap_get_proc(), cap);
}

bool tl_pid_has_cap(pid_t pid, int cap)
{
	return effective_in(cap_get_pid(pid), cap);
}

void tl_drop_effective_cap(int cap)
{
	cap_t caps = cap_get_proc();
	CHECK(caps != NULL);
	cap_value_t value = (cap_value_t)cap;
	CHECK(cap_set_flag(caps, CAP_EFFECTIVE, 1, &value, CAP_CLEAR) == 0);
	CHECK(cap_set_proc(caps) == 0);
	cap_free(caps);
	CHECK(!tl_has_cap(cap));
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

/* Whether pid runs a program (not a kernel thread) and none of its uids is ours. */
static bool of_another_uid(pid_t pid, uid_t mine)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return false;
	bool other = false, has_memory = false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long r, e, s;
		if (sscanf(line, "Uid: %lu %lu %lu", &r, &e, &s) == 3)
			other = r != mine && e != mine && s != mine;
		else if (strncmp(line, "VmSize:", 7) == 0)
			has_memory = true;
	}
	fclose(f);
	return other && has_memory;
}

pid_t tl_other_uid_process(void)
{
	uid_t mine = getuid();
	if (of_another_uid(1, mine))
		return 1;
	DIR *d = opendir("/proc");
	if (d == NULL)
		return 0;
	pid_t found = 0;
	struct dirent *e;
	for (int seen = 0; found == 0 && seen < 100000 && (e = readdir(d)) != NULL; seen++) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end == '\0' && pid > 1 && of_another_uid((pid_t)pid, mine))
			found = (pid_t)pid;
	}
	closedir(d);
	return found;
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

pid_t tl_fork_as(pid_t pid)
{
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
	CHECK(f != NULL);
	fprintf(f, "%d", (int)pid - 1);
	CHECK(fclose(f) == 0);
	pid_t child = fork();
	CHECK(child >= 0);
	if (child > 0)
		CHECK_EQ(child, pid);
	return child;
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

/* Append what fd has to give to buf; false once it reaches end of file. */
static bool drain(int fd, char *buf, size_t *len)
{
	char scratch[512];
	ssize_t n;
	do
		n = read(fd, scratch, sizeof(scratch));
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return false;
	size_t room = TL_OUTPUT_MAX - 1 - *len;
	size_t keep = (size_t)n < room ? (size_t)n : room;
	memcpy(buf + *len, scratch, keep);
	*len += keep;
	return true;
}

void tl_capture(void (*setup)(void *arg), void *arg, char *const argv[],
    struct tl_output *o)
{
	int out[2], err[2];
	if (pipe2(out, O_CLOEXEC) != 0)
		fail_msg("pipe: %s", strerror(errno));
	if (pipe2(err, O_CLOEXEC) != 0) {
		close(out[0]);
		close(out[1]);
		fail_msg("pipe: %s", strerror(errno));
	}
	pid_t pid = tl_fork();
	if (pid == 0) {
		if (dup2(out[1], STDOUT_FILENO) < 0 || dup2(err[1], STDERR_FILENO) < 0)
			_exit(98);
		if (setup != NULL)
			setup(arg);
		execvp(argv[0], argv);
		child_fail(__FILE__, __LINE__, "exec %s: %s", argv[0], strerror(errno));
	}
	close(out[1]);
	close(err[1]);

	struct pollfd fds[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	char *bufs[2] = { o->out, o->err };
	size_t lens[2] = { 0, 0 };
	int open_fds = 2;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (open_fds > 0) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= TL_CHILD_TIMEOUT_MS)
			break;
		if (poll(fds, 2, (int)(TL_CHILD_TIMEOUT_MS - spent)) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd >= 0 && fds[i].revents != 0 &&
			    !drain(fds[i].fd, bufs[i], &lens[i])) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++) {
		bufs[i][lens[i]] = '\0';
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	}
	o->status = open_fds > 0 ? -1 : tl_wait(pid, TL_CHILD_TIMEOUT_MS);
	if (o->status == -1) {
		tl_kill_and_reap(pid);
		fail_msg("%s timed out; it printed '%s' '%s'", argv[0], o->out, o->err);
	}
}

#define TL_PROGRAM_ARGS_MAX 32

void tl_run_program_args(struct tl_output *o, void (*setup)(void *arg), void *arg,
    const char *env, char *const args[])
{
	char *argv[TL_PROGRAM_ARGS_MAX + 2];
	argv[0] = getenv(env);
	if (argv[0] == NULL)
		fail_msg("%s is not set", env);
	size_t n = 0;
	for (; args[n] != NULL; n++) {
		if (n == TL_PROGRAM_ARGS_MAX)
			fail_msg("too many arguments for %s", env);
		argv[n + 1] = args[n];
	}
	argv[n + 1] = NULL;
	tl_capture(setup, arg, argv, o);
}

void tl_run_program(struct tl_output *o, void (*setup)(void *arg), void *arg,
    const char *env, ...)
{
	char *args[TL_PROGRAM_ARGS_MAX + 1];
	va_list ap;
	va_start(ap, env);
	size_t n = 0;
	while ((args[n] = va_arg(ap, char *)) != NULL && n < TL_PROGRAM_ARGS_MAX)
		n++;
	va_end(ap);
	if (args[n] != NULL)
		fail_msg("too many arguments for %s", env);
	tl_run_program_args(o, setup, arg, env, args);
}

void tl_assert_output(const struct tl_output *o, int code, const char *out,
    const char *err)
{
	if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != code ||
	    strcmp(o->out, out) != 0 || strcmp(o->err, err) != 0)
		fail_msg("expected exit %d, output '%s', errors '%s'\n"
		    "#   got status %#x, output '%s', errors '%s'",
		    code, out, err, o->status, o->out, o->err);
}

long tl_probe_after_exec(void (*setup)(void *arg), void *arg, const char *what)
{
	struct tl_output o;
	tl_run_program(&o, setup, arg, "LPC_STATUS_PROBE", what, (char *)NULL);
	if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0)
		fail_msg("probe for %s failed (status %#x): %s%s", what, o.status, o.out, o.err);
	char *end;
	long v = strtol(o.out, &end, 0);
	if (end == o.out)
		fail_msg("probe for %s printed '%s'", what, o.out);
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

/* Our children, as the kernel lists them (every thread's list); at most max. */
static int list_children(pid_t *kids, int max)
{
	int n = 0;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return 0;
	int pid;
	while (n < max && fscanf(f, "%d", &pid) == 1)
		kids[n++] = pid;
	fclose(f);
	return n;
}

/*
 * Kill every process below us and reap it.  They are all our children or
 * become ours as their parents die (we are a subreaper), so each pid stays
 * ours until we reap it: nothing else can be signalled.  Bounded: each round
 * kills one generation.
 */
static void kill_descendants(void)
{
	for (int round = 0; round < 64; round++) {
		pid_t kids[256];
		int n = list_children(kids, 256);
		if (n == 0)
			return;
		for (int i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		/* Their children are ours once they are dead: the next round. */
		for (int i = 0; i < n; i++)
			while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
				;
	}
}

/* The subreaper between the test and fn: waits for fn, then ends what is left. */
static void subreaper_for(void *arg)
{
	struct ns_run *run = arg;
	CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0);
	fflush(NULL);
	pid_t body = fork();
	CHECK(body >= 0);
	if (body == 0) {
		prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		run->fn(run->arg);
		fflush(NULL);
		_exit(0);
	}
	int status = 0;
	for (;;) {
		int st;
		pid_t got = waitpid(-1, &st, 0);
		if (got == body) {
			status = st;
			break;
		}
		if (got < 0 && errno != EINTR)
			child_fail(__FILE__, __LINE__, "waitpid: %s", strerror(errno));
	}
	kill_descendants();
	if (!WIFEXITED(status))
		child_fail(__FILE__, __LINE__, "body died of signal %d", WTERMSIG(status));
	_exit(WEXITSTATUS(status));
}

void tl_run_below_subreaper(void (*fn)(void *arg), void *arg)
{
	struct ns_run run = { fn, arg, false };
	run_in_child(subreaper_for, &run);
}

static volatile sig_atomic_t subreaper_told_to_end;

static void subreaper_note_signal(int sig)
{
	(void)sig;
	subreaper_told_to_end = 1;
}

/*
 * Where no pid namespace may be made (a container, an unprivileged user):
 * a subreaper parent owns everything the tests fork, including what a
 * failing test leaves behind, and kills and reaps it all when the tests
 * end, so that no leftover holds the test's output open.  Told to end
 * (meson's timeout), it does the same at once.
 */
static void contain_below_a_subreaper(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		return;
	fflush(NULL);
	pid_t tests = fork();
	if (tests < 0) {
		perror("fork");
		exit(99);
	}
	if (tests == 0) {
		/* The tests themselves are no subreaper. */
		prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() == 1)
			_exit(99);
		return;
	}
	struct sigaction sa = { .sa_handler = subreaper_note_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int code = 97;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid == tests) {
			code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		if (pid < 0 && errno == EINTR && subreaper_told_to_end) {
			code = 128 + SIGTERM;
			break;
		}
		if (pid < 0 && errno != EINTR)
			break;
	}
	kill_descendants();
	_exit(code);
}

void tl_contain_in_pid_namespace(void)
{
	if (getpid() == 1)
		return;
	/* Only our next child enters the new pid namespace, as its PID 1. */
	if (geteuid() != 0 || unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) {
		contain_below_a_subreaper();
		return;
	}
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

struct capmode_probe {
	void (*fn)(void *arg);
	void *arg;
	char *const *args;
	int probe;          /* the probe, opened before cap_enter */
	int out;            /* where its standard output goes */
};

static void fexecve_capmode_probe(void *arg)
{
	const struct capmode_probe *p = arg;
	if (p->fn != NULL)
		p->fn(p->arg);
	char *argv[16] = { "capmode-exec-probe" };
	for (size_t i = 0; p->args != NULL && p->args[i] != NULL; i++) {
		CHECK(i + 2 < sizeof(argv) / sizeof(argv[0]));
		argv[i + 1] = p->args[i];
	}
	char *envp[] = { NULL };
	CHECK(dup2(p->out, STDOUT_FILENO) == STDOUT_FILENO);
	fexecve(p->probe, argv, envp);
	child_fail(__FILE__, __LINE__, "fexecve: %s", strerror(errno));
}

bool tl_capmode_probe(void (*fn)(void *arg), void *arg, char *const args[],
    char *line, size_t size)
{
	const char *path = getenv("LPC_CAPMODE_EXEC_PROBE");
	assert_non_null(path);
	struct capmode_probe p = { fn, arg, args, open(path, O_RDONLY | O_CLOEXEC), -1 };
	assert_true(p.probe >= 0);
	int out[2];
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	p.out = out[1];
	bool ran = tl_run_in_capmode(NULL, fexecve_capmode_probe, &p, false);
	close(out[1]);
	ssize_t n = read(out[0], line, size - 1);
	close(out[0]);
	close(p.probe);
	if (!ran)
		return false;
	assert_true(n > 0);
	line[n] = '\0';
	return true;
}

/*
 * After every test: kill and reap the children it left, above all those a
 * failing assertion jumped past, so that they neither disturb the next
 * test nor outlive the program holding its output open.  They are our own
 * children, unreaped, so no other process can be signalled.
 */
static int end_leftovers(void **state)
{
	(void)state;
	int killed = 0;
	for (int round = 0; round < 8; round++) {
		pid_t kids[256];
		int n = list_children(kids, 256);
		if (n == 0)
			break;
		for (int i = 0; i < n; i++) {
			/* Zombies are not counted: only what was still running. */
			if (kill(kids[i], SIGKILL) == 0 && state_of(kids[i]) != 'Z')
				killed++;
		}
		for (int i = 0; i < n; i++)
			while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
				;
	}
	if (killed > 0)
		printf("# the test left %d process%s running: killed\n", killed,
		    killed == 1 ? "" : "es");
	return 0;
}

int tl_run_group(const char *file, const struct CMUnitTest *tests, size_t count)
{
	/* The children a test forks must not flush a copy of our stdio. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *name = strrchr(file, '/');
	struct CMUnitTest *mine = calloc(count, sizeof(*mine));
	if (mine == NULL)
		return 1;
	for (size_t i = 0; i < count; i++) {
		mine[i] = tests[i];
		if (mine[i].teardown_func == NULL)
			mine[i].teardown_func = end_leftovers;
	}
	/* By hand, one case at a time: LPC_TEST_FILTER=pattern (cmocka's wildcards). */
	const char *only = getenv("LPC_TEST_FILTER");
	if (only != NULL)
		cmocka_set_test_filter(only);
	int r = _cmocka_run_group_tests(name ? name + 1 : file, mine, count, NULL, NULL);
	free(mine);
	return r;
}
