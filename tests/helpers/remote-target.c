/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A process for the remote-engine tests to aim at, put in one state and
 * reporting afterwards whether it went on exactly as before:
 *
 *   remote-target [SETUP...] STATE
 *
 * SETUP, applied in order:
 *   pgrp=N         setpgid(0, N); 0 makes a new group led by this process
 *   threads=N      N more threads (at most 16), each blocked in read()
 *   nondumpable    prctl(PR_SET_DUMPABLE, 0)
 *   setuid         (as root) become uid and gid 65534
 *   userns         enter a new user namespace whose root is this process's
 *                  uid and gid, and exec again with the arguments after it
 *                  (the namespace of a process's memory is the one it
 *                  exec'd in)
 *   nocaps         drop every capability (a root process stays uid 0)
 *   seccomp=A:C    a filter giving call C (prctl, personality, getsid,
 *                  rt_tgsigqueueinfo) action A (kill, trap, errno (EPERM),
 *                  enoent, eacces, log, allow) and allowing everything
 *                  else; personality queries (0xffffffff) always pass;
 *                  repeated, each filter is stacked on the ones before
 *   strict         seccomp strict mode (only read, write and exit remain)
 *
 * STATE, ended as said:
 *   busy           spin with a known value in every register; SIGUSR1
 *   read           blocked in read(0); a line written to stdin
 *   pause          blocked in pause(); SIGUSR1 (a handler, no SA_RESTART)
 *   sleep=MS       blocked in nanosleep(MS ms); time
 *   vfork          waiting for a vfork child that pauses (uninterruptible
 *                  sleep); the child, in a process group of its own,
 *                  reports "vfork-child PID", SIGKILL it
 *   vfork=MS       the same, but the child exits after MS ms by itself; the
 *                  target then blocks in read(0) until a line comes
 *   churn          creating and joining threads without pause; SIGUSR1
 *   compat         (x86_64) spinning in 32-bit mode after printing
 *                  "compat"; SIGKILL
 *   wait=CALL[:MS] blocked in one of the calls Linux does not restart after
 *                  a stop (signal(7)): epoll_wait, epoll_pwait, epoll_pwait2,
 *                  sigwaitinfo, sigtimedwait, semop, semtimedop,
 *                  io_getevents, inotify (a read).  Without MS it waits
 *                  until a line comes on stdin (through a waker child for
 *                  the calls stdin cannot wake); with MS it waits for
 *                  nothing and times out.  Reports "wait call=CALL rc=R
 *                  errno=E ms=T".  With the setup "inthread" the call runs
 *                  in a second thread while the main thread joins it.
 *
 * Output, one line each on stdout: "ready PID", then the state's report,
 * then "attrs ..." with every thread's personality and no_new_privs, the
 * process's dumpable flag and MDWE.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <sys/capability.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 16
#define PR_GET_MDWE_ 66

static int thread_pipe[2] = { -1, -1 };
static int thread_count;
static pthread_t threads[MAX_THREADS];
static unsigned long thread_personality[MAX_THREADS];
static int thread_nnp[MAX_THREADS];
static bool strict_mode;

static bool in_thread;
static volatile sig_atomic_t got_signal, got_code, got_pid, got_value;
volatile int busy_stop;

/* Everything goes out through write(2): strict mode allows nothing else. */
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && write(STDOUT_FILENO, line, (size_t)n) < 0)
		_exit(90);
}

static void die(const char *what)
{
	say("error %s %d\n", what, errno);
	if (strict_mode)
		syscall(SYS_exit, 2);
	exit(2);
}

static void on_sigusr1(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	got_signal = sig;
	got_code = info->si_code;
	got_pid = info->si_pid;
	got_value = info->si_value.sival_int;
	busy_stop = 1;
}

static void *thread_main(void *arg)
{
	int i = (int)(long)arg;
	char c;
	/* Blocked in read() until the main thread releases everyone. */
	while (read(thread_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	thread_personality[i] = (unsigned long)personality(0xffffffff);
	thread_nnp[i] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	return NULL;
}

static void start_threads(int n)
{
	if (n < 1 || n > MAX_THREADS)
		die("threads");
	if (pipe(thread_pipe) != 0)
		die("pipe");
	for (int i = 0; i < n; i++) {
		if (pthread_create(&threads[i], NULL, thread_main, (void *)(long)i) != 0)
			die("pthread_create");
	}
	thread_count = n;
}

static int syscall_named(const char *name)
{
	if (strcmp(name, "prctl") == 0)
		return SYS_prctl;
	if (strcmp(name, "personality") == 0)
		return SYS_personality;
	if (strcmp(name, "getsid") == 0)
		return SYS_getsid;
	if (strcmp(name, "rt_tgsigqueueinfo") == 0)
		return SYS_rt_tgsigqueueinfo;
	die("unknown call");
	return -1;
}

static unsigned int action_named(const char *name)
{
	if (strcmp(name, "kill") == 0)
		return SECCOMP_RET_KILL_PROCESS;
	if (strcmp(name, "trap") == 0)
		return SECCOMP_RET_TRAP;
	if (strcmp(name, "errno") == 0)
		return SECCOMP_RET_ERRNO | EPERM;
	if (strcmp(name, "enoent") == 0)
		return SECCOMP_RET_ERRNO | ENOENT;
	if (strcmp(name, "eacces") == 0)
		return SECCOMP_RET_ERRNO | EACCES;
	if (strcmp(name, "log") == 0)
		return SECCOMP_RET_LOG;
	if (strcmp(name, "allow") == 0)
		return SECCOMP_RET_ALLOW;
	die("unknown action");
	return 0;
}

static void install_filter(const char *spec)
{
	char action[32], call[64];
	if (sscanf(spec, "%31[^:]:%63s", action, call) != 2)
		die("seccomp spec");
	/* The attribute report at the end asks personality(0xffffffff). */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)syscall_named(call), 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffU, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, action_named(action)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs first. */
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		die("nnp");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fprog) != 0)
		die("seccomp");
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

static void enter_userns(char **rest)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	/* After setuid the process is not dumpable and its maps are root's to write. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0 || unshare(CLONE_NEWUSER) != 0)
		die("unshare");
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	write_file("/proc/self/uid_map", map);
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	write_file("/proc/self/gid_map", map);
	rest[-1] = (char *)"remote-target";
	execv("/proc/self/exe", rest - 1);
	die("exec");
}

static void setup(const char *arg)
{
	if (strncmp(arg, "pgrp=", 5) == 0) {
		if (setpgid(0, (pid_t)atoi(arg + 5)) != 0)
			die("setpgid");
	} else if (strncmp(arg, "threads=", 8) == 0) {
		start_threads(atoi(arg + 8));
	} else if (strcmp(arg, "nondumpable") == 0) {
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
			die("dumpable");
	} else if (strcmp(arg, "setuid") == 0) {
		if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0)
			die("setuid");
	} else if (strcmp(arg, "nocaps") == 0) {
		cap_t none = cap_init();
		if (none == NULL || cap_set_proc(none) != 0)
			die("nocaps");
		cap_free(none);
	} else if (strncmp(arg, "seccomp=", 8) == 0) {
		install_filter(arg + 8);
	} else if (strcmp(arg, "inthread") == 0) {
		in_thread = true;
	} else if (strcmp(arg, "strict") == 0) {
		strict_mode = true;
	} else {
		die(arg);
	}
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void report_signal(void)
{
	say("signal sig=%d code=%d pid=%d value=%d\n", (int)got_signal, (int)got_code,
	    (int)got_pid, (int)got_value);
}

static void state_read(void)
{
	char buf[256];
	int pid = (int)getpid();
	if (strict_mode && syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL) != 0)
		die("strict");
	say("ready %d\n", pid);
	ssize_t n;
	while ((n = read(STDIN_FILENO, buf, sizeof(buf) - 1)) < 0 && errno == EINTR)
		;
	if (n < 0)
		die("read");
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	say("read n=%d data=%s\n", (int)n, buf);
	if (strict_mode)
		syscall(SYS_exit, 0);
}

static void state_pause(void)
{
	say("ready %d\n", (int)getpid());
	int r = pause();
	say("pause rc=%d errno=%d\n", r, errno);
	report_signal();
}

static void state_sleep(long ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 }, start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	say("ready %d\n", (int)getpid());
	int r = nanosleep(&t, NULL);
	say("sleep rc=%d ms=%ld\n", r, elapsed_ms(&start));
}

#if defined(__x86_64__)
int busy_check_registers(void);
#else
static int busy_check_registers(void)
{
	while (!busy_stop)
		;
	return 0;
}
#endif

static void state_busy(void)
{
	say("ready %d\n", (int)getpid());
	int changed = busy_check_registers();
	say("busy regs=%s\n", changed ? "changed" : "ok");
	report_signal();
}

/* ms < 0: the child pauses until it is killed. */
static void state_vfork(long ms)
{
	say("ready %d\n", (int)getpid());
	pid_t child = vfork();
	if (child == 0) {
		/* Dies with the target, even when a failing test leaves it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		/* Out of the target's group: a command on that group is for the target. */
		setpgid(0, 0);
		char line[64];
		int n = snprintf(line, sizeof(line), "vfork-child %d\n", (int)getpid());
		if (write(STDOUT_FILENO, line, (size_t)n) < 0)
			_exit(1);
		if (ms >= 0) {
			struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };
			while (nanosleep(&ts, &ts) != 0)
				;
			_exit(0);
		}
		for (;;)
			pause();
	}
	say("vfork done %d\n", child > 0);
	if (ms >= 0) {
		/* Alive for the engine's call, until a line comes. */
		char buf[64];
		while (read(STDIN_FILENO, buf, sizeof(buf)) < 0 && errno == EINTR)
			;
	}
}

/* ---- wait=CALL[:MS] ---- */

struct wait_spec {
	char call[32];
	long ms;            /* -1: until woken */
	int epfd, semid, inotify_fd;
	aio_context_t aio;
	char dir[64];
};

static struct timespec ms_to_ts(long ms)
{
	return (struct timespec){ .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
}

/*
 * A child of ours that turns a line on stdin into what wakes the call:
 * a semaphore post, SIGUSR2, a file created.  Not a thread: the target
 * stays as single-threaded as the test asks.
 */
static void start_waker(struct wait_spec *w)
{
	pid_t parent = getpid();
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child > 0)
		return;
	char buf[64];
	if (read(STDIN_FILENO, buf, sizeof(buf)) <= 0)
		_exit(0);
	if (w->semid >= 0) {
		struct sembuf up = { .sem_num = 0, .sem_op = 1 };
		semop(w->semid, &up, 1);
	} else if (w->inotify_fd >= 0) {
		char path[96];
		snprintf(path, sizeof(path), "%s/created", w->dir);
		close(open(path, O_CREAT | O_WRONLY, 0600));
	} else {
		kill(parent, SIGUSR2);
	}
	_exit(0);
}

static void wait_prepare(struct wait_spec *w)
{
	w->epfd = w->semid = w->inotify_fd = -1;
	const char *c = w->call;
	if (strncmp(c, "epoll", 5) == 0) {
		w->epfd = epoll_create1(0);
		struct epoll_event ev = { .events = EPOLLIN };
		/* Timed: a pipe nobody writes; else stdin. */
		int fds[2];
		if (w->ms >= 0 && pipe(fds) != 0)
			die("pipe");
		if (w->epfd < 0 || epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->ms >= 0 ? fds[0] : 0, &ev) != 0)
			die("epoll");
	} else if (strncmp(c, "sem", 3) == 0) {
		w->semid = semget(IPC_PRIVATE, 1, 0600);
		if (w->semid < 0)
			die("semget");
	} else if (strncmp(c, "sig", 3) == 0) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
			die("sigprocmask");
	} else if (strcmp(c, "io_getevents") == 0) {
		if (syscall(SYS_io_setup, 4, &w->aio) != 0)
			die("io_setup");
		if (w->ms < 0) {
			static struct iocb cb;
			struct iocb *cbs[1] = { &cb };
			memset(&cb, 0, sizeof(cb));
			cb.aio_fildes = 0;
			cb.aio_lio_opcode = 5;  /* IOCB_CMD_POLL */
			cb.aio_buf = POLLIN;
			if (syscall(SYS_io_submit, w->aio, 1, cbs) != 1)
				die("io_submit");
		}
	} else if (strcmp(c, "inotify") == 0) {
		snprintf(w->dir, sizeof(w->dir), "/tmp/remote-target-XXXXXX");
		w->inotify_fd = inotify_init1(0);
		if (mkdtemp(w->dir) == NULL || w->inotify_fd < 0 ||
		    inotify_add_watch(w->inotify_fd, w->dir, IN_CREATE) < 0)
			die("inotify");
	} else {
		die("wait call");
	}
	bool stdin_wakes = w->epfd >= 0 || strcmp(c, "io_getevents") == 0;
	if (w->ms < 0 && !stdin_wakes)
		start_waker(w);
}

static long wait_call(struct wait_spec *w)
{
	struct epoll_event ev;
	struct timespec ts = ms_to_ts(w->ms);
	struct timespec *timeout = w->ms >= 0 ? &ts : NULL;
	sigset_t usr2;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	struct sembuf down = { .sem_num = 0, .sem_op = -1 };
	const char *c = w->call;
	int ms = (int)w->ms;

	if (strcmp(c, "epoll_wait") == 0)
		return syscall(SYS_epoll_wait, w->epfd, &ev, 1, ms);
	if (strcmp(c, "epoll_pwait") == 0)
		return syscall(SYS_epoll_pwait, w->epfd, &ev, 1, ms, NULL, 8);
	if (strcmp(c, "epoll_pwait2") == 0)
		return syscall(441 /* epoll_pwait2 */, w->epfd, &ev, 1, timeout, NULL, 8);
	if (strcmp(c, "sigwaitinfo") == 0 || strcmp(c, "sigtimedwait") == 0)
		return syscall(SYS_rt_sigtimedwait, &usr2, NULL, timeout, 8);
	if (strcmp(c, "semop") == 0)
		return syscall(SYS_semop, w->semid, &down, 1);
	if (strcmp(c, "semtimedop") == 0)
		return syscall(SYS_semtimedop, w->semid, &down, 1, timeout);
	if (strcmp(c, "io_getevents") == 0) {
		struct io_event events[1];
		return syscall(SYS_io_getevents, w->aio, 1, 1, events, timeout);
	}
	char buf[512];
	return syscall(SYS_read, w->inotify_fd, buf, sizeof(buf));
}

static void *wait_thread(void *arg)
{
	struct wait_spec *w = arg;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long rc = wait_call(w);
	int err = rc < 0 ? errno : 0;
	say("wait call=%s rc=%ld errno=%d ms=%ld\n", w->call, rc, err, elapsed_ms(&start));
	return NULL;
}

static void state_wait(const char *spec)
{
	struct wait_spec w;
	memset(&w, 0, sizeof(w));
	w.ms = -1;
	if (sscanf(spec, "%31[^:]:%ld", w.call, &w.ms) < 1)
		die("wait spec");
	wait_prepare(&w);
	say("ready %d\n", (int)getpid());
	if (in_thread) {
		pthread_t t;
		if (pthread_create(&t, NULL, wait_thread, &w) != 0)
			die("pthread_create");
		pthread_join(t, NULL);
	} else {
		wait_thread(&w);
	}
	if (w.semid >= 0)
		semctl(w.semid, 0, IPC_RMID);
	if (w.inotify_fd >= 0) {
		char path[96];
		snprintf(path, sizeof(path), "%s/created", w.dir);
		unlink(path);
		rmdir(w.dir);
	}
	/* The waker child, if any. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void *noop_thread(void *arg)
{
	return arg;
}

static void state_churn(void)
{
	long created = 0;
	say("ready %d\n", (int)getpid());
	while (!busy_stop) {
		pthread_t t;
		if (pthread_create(&t, NULL, noop_thread, NULL) != 0)
			die("pthread_create");
		pthread_join(t, NULL);
		created++;
	}
	say("churn n=%ld\n", created);
	report_signal();
}

static void on_compat_refused(int sig)
{
	(void)sig;
	static const char msg[] = "compat refused\n";
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(4);
	_exit(3);
}

/*
 * x86_64 can run 32-bit code in a 64-bit process by far-returning to the
 * ia32 code segment (0x23); the page must lie below 4 GiB.  The code
 * writes "compat" with int 0x80, then spins.  Some hypervisors give guests
 * no 32-bit segment: the far return faults, and the target says so.
 */
static void state_compat(void)
{
#if defined(__x86_64__)
	signal(SIGSEGV, on_compat_refused);
	static const char msg[] = "compat\n";
	unsigned char *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (code == MAP_FAILED)
		die("mmap");
	uint32_t text = (uint32_t)(uintptr_t)(code + 64);
	unsigned char prog[] = {
		0xb8, 4, 0, 0, 0,               /* mov eax, 4 (write) */
		0xbb, 1, 0, 0, 0,               /* mov ebx, 1 */
		0xb9, 0, 0, 0, 0,               /* mov ecx, text */
		0xba, sizeof(msg) - 1, 0, 0, 0, /* mov edx, len */
		0xcd, 0x80,                     /* int 0x80 */
		0xeb, 0xfe,                     /* jmp . */
	};
	memcpy(prog + 11, &text, sizeof(text));
	memcpy(code, prog, sizeof(prog));
	memcpy(code + 64, msg, sizeof(msg) - 1);
	say("ready %d\n", (int)getpid());
	__asm__ volatile("pushq $0x23\n\tpushq %0\n\tlretq" : : "r"((uint64_t)(uintptr_t)code) : "memory");
#endif
	die("compat");
}

static void report_attrs(void)
{
	char pers[256] = "", nnp[128] = "";
	size_t p = (size_t)snprintf(pers, sizeof(pers), "%x", (unsigned)personality(0xffffffff));
	size_t q = (size_t)snprintf(nnp, sizeof(nnp), "%d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	if (thread_count > 0) {
		if (write(thread_pipe[1], "xxxxxxxxxxxxxxxx", (size_t)thread_count) < 0)
			die("release");
		for (int i = 0; i < thread_count; i++) {
			pthread_join(threads[i], NULL);
			p += (size_t)snprintf(pers + p, sizeof(pers) - p, ",%lx", thread_personality[i]);
			q += (size_t)snprintf(nnp + q, sizeof(nnp) - q, ",%d", thread_nnp[i]);
		}
	}
	say("attrs personality=%s nnp=%s dumpable=%d mdwe=%d\n", pers, nnp,
	    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), prctl(PR_GET_MDWE_, 0, 0, 0, 0));
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigusr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);

	if (argc < 2) {
		fprintf(stderr, "usage: remote-target [SETUP...] STATE\n");
		return 2;
	}
	for (int i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "userns") == 0)
			enter_userns(argv + i + 1);
		setup(argv[i]);
	}

	const char *state = argv[argc - 1];
	if (strcmp(state, "busy") == 0)
		state_busy();
	else if (strcmp(state, "read") == 0)
		state_read();
	else if (strcmp(state, "pause") == 0)
		state_pause();
	else if (strncmp(state, "sleep=", 6) == 0)
		state_sleep(atol(state + 6));
	else if (strcmp(state, "vfork") == 0)
		state_vfork(-1);
	else if (strncmp(state, "vfork=", 6) == 0)
		state_vfork(atol(state + 6));
	else if (strcmp(state, "churn") == 0)
		state_churn();
	else if (strcmp(state, "compat") == 0)
		state_compat();
	else if (strncmp(state, "wait=", 5) == 0)
		state_wait(state + 5);
	else
		die(state);
	report_attrs();
	return 0;
}
