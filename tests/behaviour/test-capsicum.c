/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cap_enter(2) and cap_getmode(2): what capability mode lets through and
 * what it refuses, for the caller, its threads, its children and the
 * images it executes.  cap_enter is irreversible, so every test that
 * enters runs in a forked child (tl_run_in_capmode).
 */
#include "testlib.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capsicum.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_ECAPMODE(call) CHECK_ERRNO(ECAPMODE, call)

static unsigned int capmode(void)
{
	unsigned int mode = 7;
	CHECK(cap_getmode(&mode) == 0);
	return mode;
}

static void outside_capability_mode_the_mode_is_0(void **state)
{
	(void)state;
	unsigned int mode = 7;
	assert_int_equal(cap_getmode(&mode), 0);
	assert_int_equal(mode, 0);
	errno = 0;
	assert_int_equal(cap_getmode(NULL), -1);
	assert_int_equal(errno, EFAULT);
}

struct sandbox_fds {
	int dir;            /* a directory opened before cap_enter */
};

static void allowed_calls(void *arg)
{
	const struct sandbox_fds *fds = arg;
	CHECK_EQ(capmode(), 1);
	CHECK(getpid() > 0 && getppid() > 0);
	int p[2];
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	char c;
	CHECK(read(p[0], &c, 1) == 1);
	/* Relative to a directory descriptor: FreeBSD's openat rule. */
	int f = openat(fds->dir, "capmode-file", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	CHECK(f >= 0);
	struct stat st;
	CHECK(fstat(f, &st) == 0);
	CHECK(fstatat(fds->dir, "capmode-file", &st, 0) == 0);
	CHECK(unlinkat(fds->dir, "capmode-file", 0) == 0);
	close(f);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(s >= 0);
	CHECK(kill(getpid(), 0) == 0);
	void *m = malloc(1 << 20);
	CHECK(m != NULL);
	free(m);
	/* Entering again is a no-op, as on FreeBSD. */
	CHECK(cap_enter() == 0);
	close(s);
}

static void denied_calls(void *arg)
{
	(void)arg;
	CHECK_ECAPMODE(open("/", O_RDONLY));
	CHECK_ECAPMODE(openat(AT_FDCWD, "tmp", O_RDONLY));
	struct stat st;
	CHECK_ECAPMODE(stat("/", &st));
	CHECK_ECAPMODE(access(".", F_OK));
	CHECK_ECAPMODE(mkdir("/tmp/capmode-no", 0700));
	CHECK_ECAPMODE(chdir("/"));
	char buf[64];
	CHECK_ECAPMODE(syscall(SYS_getcwd, buf, sizeof(buf)));
	CHECK_ECAPMODE(syscall(SYS_pidfd_open, 1, 0));
	CHECK_ECAPMODE(syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, 1, 0, 0));
	CHECK_ECAPMODE(syscall(SYS_process_vm_readv, 1, NULL, 0, NULL, 0, 0));
	CHECK_ECAPMODE(syscall(SYS_sched_setaffinity, 1, 0, NULL));
	CHECK_ECAPMODE(syscall(SYS_unshare, 0));
	/* The lower half is what the kernel reads: AT_FDCWD with garbage above. */
	CHECK_ECAPMODE(syscall(SYS_openat, 0x12345678ffffff9cL, "/", O_RDONLY));

	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(s >= 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	CHECK_ECAPMODE(bind(s, (struct sockaddr *)&to, sizeof(to)));
	CHECK_ECAPMODE(connect(s, (struct sockaddr *)&to, sizeof(to)));
	CHECK_ECAPMODE(sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)));
	close(s);
}

static void procctl_in_capability_mode(void *arg)
{
	(void)arg;
	/* On the caller itself (here: a flag in memory) it works... */
	int v = PROC_TRAPCAP_CTL_ENABLE;
	CHECK_OK(P_PID, 0, PROC_TRAPCAP_STATUS, &v);
	CHECK_EQ(v, PROC_TRAPCAP_CTL_DISABLE);
	CHECK_OK(P_PID, (id_t)getpid(), PROC_TRAPCAP_STATUS, &v);
	/* ...another pid, a process group, and REAP_KILL are global. */
	CHECK_FAILS(ECAPMODE, P_PID, (id_t)getppid(), PROC_TRACE_STATUS, &v);
	CHECK_FAILS(ECAPMODE, P_PGID, (id_t)getpid(), PROC_TRAPCAP_CTL, &v);
	struct procctl_reaper_kill rk = { .rk_sig = SIGTERM };
	CHECK_FAILS(ECAPMODE, P_PID, 0, PROC_REAP_KILL, &rk);
}

/* Its own process group, which exists in every pid namespace. */
static void lead_a_process_group(void *arg)
{
	(void)arg;
	CHECK(setpgid(0, 0) == 0);
}

static void with_fds(void (*body)(void *), void **state)
{
	(void)state;
	struct sandbox_fds fds = { .dir = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC) };
	assert_true(fds.dir >= 0);
	bool ran = tl_run_in_capmode(lead_a_process_group, body, &fds, false);
	close(fds.dir);
	if (!ran)
		tl_skip(TL_NO_CAPMODE_REASON);
}

static void calls_on_held_descriptors_and_own_process_work(void **state)
{
	with_fds(allowed_calls, state);
}

static void global_namespaces_fail_with_ecapmode(void **state)
{
	with_fds(denied_calls, state);
}

static void procctl_on_other_processes_is_ecapmode(void **state)
{
	with_fds(procctl_in_capability_mode, state);
}

/* ---- NO_NEW_PRIVS ---- */

static void nnp_is_set_only_without_cap_sys_admin(void *arg)
{
	long before = *(const long *)arg;
	long after = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	if (tl_has_cap(CAP_SYS_ADMIN))
		CHECK_EQ(after, before);    /* no hidden side effect */
	else
		CHECK_EQ(after, 1);         /* the kernel's condition for a filter */
}

static void no_new_privs_only_where_the_kernel_demands_it(void **state)
{
	(void)state;
	long before = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	tl_in_capmode_or_skip(NULL, nnp_is_set_only_without_cap_sys_admin, &before, false);
}

/* ---- threads ---- */

struct waiting_thread {
	pthread_t thread;
	int go[2];          /* the main thread writes once it has entered */
	int open_errno;
	atomic_bool started;    /* in its function: the C library's (and ASan's) start is done */
};

static void *open_once_told(void *arg)
{
	struct waiting_thread *w = arg;
	atomic_store(&w->started, true);
	char c;
	if (read(w->go[0], &c, 1) != 1)
		return NULL;
	int fd = open("/", O_RDONLY | O_CLOEXEC);
	w->open_errno = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void start_the_thread(void *arg)
{
	struct waiting_thread *w = arg;
	CHECK(pipe2(w->go, O_CLOEXEC) == 0);
	CHECK(pthread_create(&w->thread, NULL, open_once_told, w) == 0);
	/*
	 * Started before cap_enter in full: ASan's thread start reads
	 * /proc/self/maps, which capability mode would refuse.
	 */
	for (int i = 0; i < 50000 && !atomic_load(&w->started); i++)
		usleep(100);
	CHECK(atomic_load(&w->started));
}

static void let_the_thread_open(void *arg)
{
	struct waiting_thread *w = arg;
	CHECK(write(w->go[1], "g", 1) == 1);
	CHECK(pthread_join(w->thread, NULL) == 0);
	CHECK_EQ(w->open_errno, ECAPMODE);
}

static void threads_created_before_cap_enter_are_confined(void **state)
{
	(void)state;
	struct waiting_thread w = { .open_errno = -1 };
	tl_in_capmode_or_skip(start_the_thread, let_the_thread_open, &w, false);
}

/*
 * glibc asks sched_getaffinity() about the thread by its tid, and the filter
 * lets through only pid 0 (the caller), having no way to compare a number
 * with the caller's tid.  ASan calls this at every thread start.
 */
static void ask_own_attributes(void *arg)
{
	(void)arg;
	pthread_attr_t attr;
	CHECK_EQ(pthread_getattr_np(pthread_self(), &attr), ECAPMODE);
}

static void pthread_getattr_np_fails_with_ecapmode(void **state)
{
	(void)state;
	tl_in_capmode_or_skip(NULL, ask_own_attributes, NULL, false);
}

/* ---- fork and exec ---- */

static void a_forked_child(void *arg)
{
	(void)arg;
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		unsigned int mode = 0;
		int ok = cap_getmode(&mode) == 0 && mode == 1 &&
		    open("/", O_RDONLY) < 0 && errno == ECAPMODE;
		_exit(ok ? 0 : 1);
	}
	tl_child_waits_for_success(pid);
}

static void fork_children_are_born_in_capability_mode(void **state)
{
	(void)state;
	tl_in_capmode_or_skip(NULL, a_forked_child, NULL, false);
}

static void an_executed_image_sees_ecapmode_never_sigsys(void **state)
{
	(void)state;
	char line[128];
	if (!tl_capmode_probe(NULL, NULL, NULL, line, sizeof(line)))
		tl_skip(TL_NO_CAPMODE_REASON);
	int open_errno, getppid_errno, probe_errno;
	assert_int_equal(sscanf(line, "%d %d %d", &open_errno, &getppid_errno, &probe_errno), 3);
	assert_int_equal(open_errno, ECAPMODE);
	assert_int_equal(getppid_errno, 0);
	/* The layer came along: the new image is in capability mode too. */
	assert_int_equal(probe_errno, ECAPMODE);
}

static void silence_the_loader(void *arg)
{
	(void)arg;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	CHECK(null >= 0 && dup2(null, STDERR_FILENO) == STDERR_FILENO);
}

struct dynamic_program {
	int fd;             /* /bin/true, opened before cap_enter */
	bool landlock;      /* whether cap_enter confines lookups here */
};

static void fexecve_true(void *arg)
{
	const struct dynamic_program *d = arg;
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "true", NULL };
		char *envp[] = { NULL };
		fexecve(d->fd, argv, envp);
		_exit(errno == EACCES ? 126 : 99);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	/*
	 * Under Landlock the kernel itself may not open the program's
	 * interpreter, ld.so, and fexecve fails with EACCES.  Without it,
	 * ld.so starts, says "cannot open shared object file" and exits 127.
	 */
	CHECK_EQ(WEXITSTATUS(status), d->landlock ? 126 : 127);
}

static void a_dynamic_program_cannot_start(void **state)
{
	(void)state;
	struct dynamic_program d = {
		.fd = open("/bin/true", O_RDONLY | O_CLOEXEC),
		.landlock = tl_landlock_abi() > 0,
	};
	if (d.fd < 0)
		tl_skip("/bin/true: %s", strerror(errno));
	bool ran = tl_run_in_capmode(silence_the_loader, fexecve_true, &d, false);
	close(d.fd);
	if (!ran)
		tl_skip(TL_NO_CAPMODE_REASON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outside_capability_mode_the_mode_is_0),
		cmocka_unit_test(calls_on_held_descriptors_and_own_process_work),
		cmocka_unit_test(global_namespaces_fail_with_ecapmode),
		cmocka_unit_test(procctl_on_other_processes_is_ecapmode),
		cmocka_unit_test(no_new_privs_only_where_the_kernel_demands_it),
		cmocka_unit_test(threads_created_before_cap_enter_are_confined),
		cmocka_unit_test(pthread_getattr_np_fails_with_ecapmode),
		cmocka_unit_test(fork_children_are_born_in_capability_mode),
		cmocka_unit_test(an_executed_image_sees_ecapmode_never_sigsys),
		cmocka_unit_test(a_dynamic_program_cannot_start),
	};
	return TL_RUN(tests);
}
