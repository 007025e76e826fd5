/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness: procctl() itself, every command through the real
 * dispatcher, with fuzzed id types, ids, command numbers and data.
 *
 * A fuzzed procctl really acts: PROC_REAP_KILL signals, PROC_SPROTECT
 * writes oom_score_adj, PROC_TRACE_CTL makes a process non-dumpable, and
 * P_PGID reaches every member of a group.  So the harness refuses to start
 * unless it runs in a pid namespace of its own with its own /proc, as its
 * PID 1 or below a PID 1 that is this same program (a libFuzzer -merge
 * worker): `unshare -Urpf --mount-proc`, as tests/run-suite runs it.  There
 * the only processes any pid or process group can name are the harness and
 * what it forked, and in a user namespace its capabilities reach nothing
 * outside.
 * Within that, the inputs are shaped so that the library never writes into
 * memory the harness did not give it:
 *
 *   - data is NULL, a buffer, a buffer that runs into an unmapped page, an
 *     unmapped page, or an address no process can map: never a fuzzed
 *     pointer into the harness's own memory;
 *   - PROC_REAP_GETPIDS's rp_pids is rewritten the same way.
 *
 * The ids it names: 0, itself, its one child (a process that only sleeps,
 * the target for commands on another process, so the remote engine runs
 * too; made again whenever a command killed it), its own group, a pid that
 * does not exist, or 32 fuzzed bits.
 *
 * Properties checked: procctl returns 0 or -1, and leaves errno untouched
 * on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/procctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

static long page;
static unsigned char *area;     /* data page, hole, pids page, hole */
static pid_t child = -1;
static unsigned long inputs;

/* Make a new child every this many inputs, so that its state stays fresh. */
#define CHILD_RENEW 4096

/*
 * Whether this pid namespace was made for the harness: /proc is its own,
 * and its PID 1 is this very program (the harness, or the libFuzzer parent
 * of a -merge worker), so every process in it descends from the harness.
 */
static bool in_own_pid_namespace(void)
{
	char link[16], self[16];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	snprintf(self, sizeof(self), "%d", (int)getpid());
	if (strcmp(link, self) != 0)
		return false;
	if (getpid() == 1)
		return true;
	struct stat init_exe, own_exe;
	return stat("/proc/1/exe", &init_exe) == 0 && stat("/proc/self/exe", &own_exe) == 0 &&
	    init_exe.st_dev == own_exe.st_dev && init_exe.st_ino == own_exe.st_ino;
}

static void end_child(void)
{
	if (child > 0) {
		(void)kill(child, SIGKILL);
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		child = -1;
	}
}

/* The child that stands for "another process"; it only sleeps. */
static void ensure_child(void)
{
	if (child > 0) {
		int status;
		pid_t r = waitpid(child, &status, WNOHANG | WUNTRACED);
		if (r == child && WIFSTOPPED(status))
			(void)kill(child, SIGCONT);     /* a REAP_KILL sent SIGSTOP */
		else if (r == child)
			child = -1;                     /* a REAP_KILL killed it */
	}
	if (child > 0 && ++inputs % CHILD_RENEW == 0)
		end_child();
	if (child > 0)
		return;
	/*
	 * libFuzzer's and ASan's handlers would take a signal a REAP_KILL
	 * sends the child for a crash of the harness (and write a false crash
	 * input).  The child is born with every signal blocked, so whatever
	 * arrives before it has put the default actions back waits for them.
	 */
	sigset_t all, old;
	sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	child = fork();
	if (child == 0) {
		for (int sig = 1; sig < NSIG; sig++)
			(void)signal(sig, SIG_DFL);
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigset_t none;
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		for (;;)
			pause();
	}
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	if (child < 0)
		fuzz_die("fork");
}

#if defined(LPC_FUZZ_REPLAY)
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * The corpus replay (replay.c) makes the namespace itself, as unshare -Urpf
 * --mount-proc would, so that every tier of the suite (ASan's, valgrind's)
 * replays this corpus too.  The caller waits for the namespace's PID 1 and
 * exits as it did.  Returns only in that PID 1, true once /proc is its own.
 */
static bool enter_own_pid_namespace(void)
{
	char map[64];
	unsigned int uid = (unsigned int)geteuid(), gid = (unsigned int)getegid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS) != 0)
		return false;
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (write_file("/proc/self/uid_map", map) != 0)
		return false;
	(void)write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	if (write_file("/proc/self/gid_map", map) != 0)
		return false;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid > 0) {
		int status;
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				_exit(2);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	return mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0 &&
	    in_own_pid_namespace();
}
#else
static bool enter_own_pid_namespace(void)
{
	return false;   /* the fuzzer is started in one: unshare -Urpf --mount-proc */
}
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (RUNNING_ON_VALGRIND) {
		printf("# skip reason: valgrind has no pidfd_open or pidfd_send_signal, and runs "
		    "out of address space replaying this corpus\n");
		exit(77);
	}
	if (!in_own_pid_namespace() && !enter_own_pid_namespace()) {
		/* 77: a skip, to meson, when the suite replays the corpus. */
		printf("# skip reason: a fuzzed procctl acts on real processes; it runs only in "
		    "a pid namespace of its own, as PID 1 or below it\n");
		fputs("fuzz-dispatch: run it as: unshare -Urpf --mount-proc fuzz-dispatch ...\n",
		    stderr);
		exit(77);
	}
	atexit(end_child);
	/* Its own process group, so that P_PGID has one to name: it and its child. */
	(void)setpgid(0, 0);
	page = sysconf(_SC_PAGESIZE);
	area = mmap(NULL, 4 * (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED ||
	    mprotect(area, (size_t)page, PROT_READ | PROT_WRITE) != 0 ||
	    mprotect(area + 2 * page, (size_t)page, PROT_READ | PROT_WRITE) != 0)
		fuzz_die("mmap");
	return 0;
}

/* A bounded cursor over the input. */
struct input {
	const uint8_t *p;
	size_t left;
};

static uint8_t take8(struct input *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

static uint32_t take32(struct input *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | take8(in);
	return v;
}

/* A pointer the library may be handed, in a page of size bytes at base. */
static void *pick_pointer(uint8_t how, unsigned char *base, size_t room, size_t *usable)
{
	*usable = 0;
	switch (how % 6) {
	case 0:
		return NULL;
	case 1:
	case 2:
		*usable = room;
		return base + (size_t)page - room;          /* fits, ends at the hole */
	case 3: {
		size_t cut = 1 + how / 6 % (room ? room : 1);   /* runs into the hole */
		*usable = cut < room ? cut : room;
		return base + (size_t)page - *usable;
	}
	case 4:
		return base + page;                         /* the hole itself */
	default:
		return (void *)(uintptr_t)0xffff800000000000ULL;   /* the kernel's half */
	}
}

static id_t pick_id(uint8_t how, struct input *in)
{
	switch (how % 8) {
	case 0: return 0;
	case 1: return (id_t)getpid();
	case 2:
	case 3: return (id_t)child;
	case 4: return (id_t)getpgrp();
	case 5: return 4194304 + 1;                 /* above PID_MAX_LIMIT: no process */
	case 6: return (id_t)-1;
	default: return (id_t)take32(in);
	}
}

static int pick_cmd(uint8_t how, struct input *in)
{
	if (how < 160)
		return how % 28;                        /* every MI command and a few past them */
	if (how < 240)
		return PROC_PROCCTL_MD_MIN + how % 6;
	return (int)take32(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	ensure_child();

	uint8_t type_how = take8(&in);
	idtype_t idtype = type_how % 4 == 0 ? P_PGID : type_how % 4 == 3 ?
	    (idtype_t)(type_how / 4) : P_PID;
	id_t id = pick_id(take8(&in), &in);
	int cmd = pick_cmd(take8(&in), &in);
	uint8_t data_how = take8(&in);
	uint8_t pids_how = take8(&in);

	/* The data: what is left of the input, in the data page. */
	size_t room = sizeof(struct procctl_reaper_kill) + 64;
	size_t usable;
	unsigned char *buf = pick_pointer(data_how, area, room, &usable);
	if (usable > 0) {
		memset(buf, 0, usable);
		memcpy(buf, in.p, in.left < usable ? in.left : usable);
	}
	/* rp_pids points where the library may write, whatever the input said. */
	if (cmd == PROC_REAP_GETPIDS && usable >= sizeof(struct procctl_reaper_pids)) {
		size_t pids_usable;
		void *pids = pick_pointer(pids_how, area + 2 * page,
		    4 * sizeof(struct procctl_reaper_pidinfo), &pids_usable);
		memcpy(buf + offsetof(struct procctl_reaper_pids, rp_pids), &pids, sizeof(pids));
	}

	errno = 12345;
	int r = procctl(idtype, id, cmd, buf);
	int err = errno;
	if (r != 0 && r != -1)
		fuzz_fail("procctl returned %d", r);
	if (r == 0 && err != 12345)
		fuzz_fail("procctl succeeded and changed errno to %d", err);
	if (r == -1 && (err <= 0 || err == 12345))
		fuzz_fail("procctl failed with errno %d", err);
	return 0;
}
