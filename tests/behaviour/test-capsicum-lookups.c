/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lookups relative to a directory descriptor in capability mode: where the
 * kernel has Landlock, cap_enter() confines them beneath the directories
 * the process holds at that moment.  Each test gets a fresh tree under /tmp
 * (built by the fixture, removed even when the test fails) and enters
 * capability mode in a forked child, since cap_enter is irreversible:
 *
 *   <base>/tree/                held (O_RDONLY)
 *   <base>/tree/sub/file
 *   <base>/tree/up       -> ../outside           leads out, relatively
 *   <base>/tree/abs-out  -> <base>/outside       leads out, absolutely
 *   <base>/tree/abs-in   -> <base>/tree/sub/file stays within
 *   <base>/other/               held (O_PATH)
 *   <base>/unheld/              not held
 *   <base>/outside
 */
#include "testlib.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capsicum.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct tree {
	char base[32];
	int tree;           /* <base>/tree */
	int other;          /* <base>/other, as O_PATH */
	int abi;            /* the kernel's Landlock ABI version, or -errno */
	/* Opened in the child, before cap_enter, by the tests that need them: */
	int channel[2];     /* a socketpair, to pass a descriptor in */
	int proc;           /* /proc */
	int outside;        /* <base>/outside, read-only */
};

/* openat must work (the descriptor is closed again). */
#define CHECK_OPENS(dirfd, path, flags) do { \
	int fd_ = openat((dirfd), (path), (flags) | O_CLOEXEC, 0600); \
	if (fd_ < 0) \
		child_fail(__FILE__, __LINE__, "openat(%s, \"%s\"): %s", #dirfd, (path), \
		    strerror(errno)); \
	close(fd_); \
} while (0)

/* openat must be refused by the confinement. */
#define CHECK_REFUSED(dirfd, path, flags) \
	CHECK_ERRNO(EACCES, openat((dirfd), (path), (flags) | O_CLOEXEC, 0600))

/* ---- the fixture ---- */

static void make_file(int at, const char *path, const char *text)
{
	int fd = openat(at, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* A symbolic link at <base>/name to <base>/below (an absolute target). */
static void make_absolute_link(int at, const char *name, const char *base, const char *below)
{
	char target[PATH_MAX];
	snprintf(target, sizeof(target), "%s/%s", base, below);
	assert_int_equal(symlinkat(target, at, name), 0);
}

static int build_tree(void **state)
{
	static struct tree t;
	t = (struct tree){ .tree = -1, .other = -1, .abi = tl_landlock_abi() };
	strcpy(t.base, "/tmp/lpc-lookups-XXXXXX");
	if (mkdtemp(t.base) == NULL)
		return -1;
	*state = &t;
	int base = open(t.base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(base >= 0);
	assert_int_equal(mkdirat(base, "tree", 0755), 0);
	assert_int_equal(mkdirat(base, "tree/sub", 0755), 0);
	assert_int_equal(mkdirat(base, "other", 0755), 0);
	assert_int_equal(mkdirat(base, "unheld", 0755), 0);
	make_file(base, "tree/sub/file", "inside\n");
	make_file(base, "outside", "outside\n");
	assert_int_equal(symlinkat("../outside", base, "tree/up"), 0);
	make_absolute_link(base, "tree/abs-out", t.base, "outside");
	make_absolute_link(base, "tree/abs-in", t.base, "tree/sub/file");
	t.tree = openat(base, "tree", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	t.other = openat(base, "other", O_PATH | O_DIRECTORY | O_CLOEXEC);
	close(base);
	assert_true(t.tree >= 0 && t.other >= 0);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int remove_tree(void **state)
{
	struct tree *t = *state;
	close(t->tree);
	close(t->other);
	return nftw(t->base, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Run fn in capability mode, with the tree held; before(t) runs first. */
#define RUN_CONFINED(before, fn, t) do { \
	tl_landlock_or_skip(); \
	if (!tl_run_in_capmode((before), (fn), (t), false)) \
		tl_skip(TL_NO_CAPMODE_REASON); \
} while (0)

/* ---- beneath the held directories ---- */

static void read_and_write_beneath(void *arg)
{
	const struct tree *t = arg;
	char buf[16] = "";
	int fd = openat(t->tree, "sub/file", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, buf, sizeof(buf) - 1), 7);
	CHECK(strcmp(buf, "inside\n") == 0);
	close(fd);
	CHECK_OPENS(t->tree, "sub/../sub/file", O_RDONLY);
	CHECK_OPENS(t->tree, "sub", O_RDONLY | O_DIRECTORY);
	CHECK_OPENS(t->tree, "new", O_RDWR | O_CREAT | O_TRUNC);
	CHECK(mkdirat(t->tree, "newdir", 0700) == 0);
	CHECK(symlinkat("sub/file", t->tree, "newlink") == 0);
	CHECK_OPENS(t->tree, "newlink", O_RDONLY);
	CHECK(unlinkat(t->tree, "newdir", AT_REMOVEDIR) == 0);
	/* The second directory, held as O_PATH, and moves between the two. */
	CHECK_OPENS(t->other, "made-here", O_WRONLY | O_CREAT);
	CHECK(renameat(t->tree, "new", t->other, "moved") == 0);
	CHECK(linkat(t->other, "moved", t->tree, "linked", 0) == 0);
	CHECK(unlinkat(t->tree, "linked", 0) == 0);
}

static void lookups_beneath_held_directories_work(void **state)
{
	RUN_CONFINED(NULL, read_and_write_beneath, *state);
}

static void try_to_leave(void *arg)
{
	const struct tree *t = arg;
	CHECK_REFUSED(t->tree, "../outside", O_RDONLY);
	CHECK_REFUSED(t->tree, "/etc/passwd", O_RDONLY);
	CHECK_REFUSED(t->tree, "up", O_RDONLY);
	CHECK_REFUSED(t->tree, "abs-out", O_RDONLY);
	CHECK_REFUSED(t->tree, "..", O_RDONLY | O_DIRECTORY);
	CHECK_REFUSED(t->tree, "../made-outside", O_WRONLY | O_CREAT);
	CHECK_REFUSED(t->other, "../outside", O_WRONLY);
	CHECK_ERRNO(EACCES, mkdirat(t->tree, "../dir-outside", 0700));
	CHECK_ERRNO(EACCES, renameat(t->tree, "sub/file", t->tree, "../moved-out"));
	CHECK_ERRNO(EACCES, linkat(t->tree, "sub/file", t->tree, "../linked-out", 0));
	CHECK_ERRNO(EACCES, unlinkat(t->tree, "../outside", 0));
	/* Nor may a file from outside be brought in (a hard link: EXDEV). */
	CHECK_ERRNO(EACCES, renameat(t->tree, "../outside", t->tree, "moved-in"));
	CHECK_ERRNO(EXDEV, linkat(t->tree, "../outside", t->tree, "linked-in", 0));

	/* Nor can a program outside be run through the directory. */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "false", NULL };
		char *envp[] = { NULL };
		syscall(SYS_execveat, t->tree, "/bin/false", argv, envp, 0);
		_exit(errno == EACCES ? 0 : 2);
	}
	tl_child_waits_for_success(pid);
}

static void lookups_that_lead_out_fail_with_eacces(void **state)
{
	RUN_CONFINED(NULL, try_to_leave, *state);
}

/*
 * FreeBSD would refuse both: ".." above the descriptor's own directory and
 * an absolute link.  Landlock judges where a lookup ends, among all the
 * directories held.
 */
static void cross_between_held_trees(void *arg)
{
	const struct tree *t = arg;
	CHECK_OPENS(t->tree, "../other/via-dotdot", O_WRONLY | O_CREAT);
	CHECK_OPENS(t->tree, "abs-in", O_RDONLY);
}

static void a_lookup_may_end_in_any_held_directory(void **state)
{
	RUN_CONFINED(NULL, cross_between_held_trees, *state);
}

/* Landlock has no right for these: they reach anything, as before. */
static void metadata_outside(void *arg)
{
	const struct tree *t = arg;
	struct stat st;
	CHECK(fstatat(t->tree, "../outside", &st, 0) == 0);
	CHECK(fstatat(t->tree, "/etc/passwd", &st, 0) == 0);
	CHECK(faccessat(t->tree, "../outside", R_OK, 0) == 0);
	CHECK(fchmodat(t->tree, "../outside", 0600, 0) == 0);
	CHECK(utimensat(t->tree, "../outside", NULL, 0) == 0);
	char target[64];
	CHECK(readlinkat(t->tree, "up", target, sizeof(target)) > 0);
	/* An O_PATH open opens nothing; what lies beneath it stays refused. */
	int parent = openat(t->tree, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(parent >= 0);
	CHECK_REFUSED(parent, "outside", O_RDONLY);
	close(parent);
}

static void metadata_calls_are_not_confined(void **state)
{
	RUN_CONFINED(NULL, metadata_outside, *state);
}

/* ---- descriptors: received later, /proc, files held ---- */

static void send_fd(int sock, int fd)
{
	char data = 'd';
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	memset(&control, 0, sizeof(control));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	CHECK_EQ(sendmsg(sock, &msg, 0), 1);
}

static int receive_fd(int sock)
{
	char data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
	CHECK_EQ(recvmsg(sock, &msg, MSG_CMSG_CLOEXEC), 1);
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	CHECK(c != NULL && c->cmsg_type == SCM_RIGHTS);
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * Before cap_enter: put a directory the process does not hold in flight,
 * as a process outside would send it later.
 */
static void queue_unheld_directory(void *arg)
{
	struct tree *t = arg;
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, t->channel) == 0);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/unheld", t->base);
	int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(dir >= 0);
	send_fd(t->channel[0], dir);
	close(dir);
}

static void use_the_received_directory(void *arg)
{
	const struct tree *t = arg;
	int dir = receive_fd(t->channel[1]);
	struct stat st;
	CHECK(fstat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_REFUSED(dir, "made-here", O_WRONLY | O_CREAT);
	CHECK_REFUSED(dir, ".", O_RDONLY | O_DIRECTORY);
	close(dir);
}

static void a_directory_received_later_is_refused(void **state)
{
	RUN_CONFINED(queue_unheld_directory, use_the_received_directory, *state);
}

/*
 * The Landlock system calls stay allowed in capability mode: a new layer
 * can only take rights away.  This one grants everything beneath the
 * received directory, which the first layer refuses, and nothing beneath
 * the tree, which it allowed: neither is reachable afterwards.
 */
static void add_a_layer(void *arg)
{
	const struct tree *t = arg;
	int dir = receive_fd(t->channel[1]);
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_MAKE_REG,
	};
	int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	CHECK(ruleset >= 0);
	struct landlock_path_beneath_attr beneath = {
		.allowed_access = attr.handled_access_fs,
		.parent_fd = dir,
	};
	CHECK(syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) == 0);
	CHECK(syscall(SYS_landlock_restrict_self, ruleset, 0) == 0);
	close(ruleset);
	CHECK_REFUSED(dir, "made-here", O_WRONLY | O_CREAT);
	CHECK_REFUSED(t->tree, "sub/file", O_RDONLY);
	close(dir);
}

static void a_later_landlock_layer_cannot_widen_the_confinement(void **state)
{
	RUN_CONFINED(queue_unheld_directory, add_a_layer, *state);
}

static void hold_proc_and_a_file_outside(void *arg)
{
	struct tree *t = arg;
	t->proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(t->proc >= 0);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/outside", t->base);
	t->outside = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(t->outside >= 0);
}

static void look_through_proc(void *arg)
{
	const struct tree *t = arg;
	CHECK_OPENS(t->proc, "self/status", O_RDONLY);
	/* Magic links are judged where they lead. */
	CHECK_REFUSED(t->proc, "self/root/etc/passwd", O_RDONLY);
	char held[32];
	snprintf(held, sizeof(held), "self/fd/%d", t->outside);
	CHECK_OPENS(t->proc, held, O_RDONLY);
	/* A file held read-only is not reopened for writing. */
	CHECK_REFUSED(t->proc, held, O_WRONLY);
}

static void a_held_proc_is_reachable_and_its_magic_links_are_checked(void **state)
{
	RUN_CONFINED(hold_proc_and_a_file_outside, look_through_proc, *state);
}

/* ---- threads ---- */

struct probe_thread {
	const struct tree *t;
	int go[2];          /* written once the main thread has entered */
	pthread_t thread;
	int leave_errno;    /* of openat(tree, "../outside") */
	int global_errno;   /* of open("/") */
	atomic_bool started;    /* in its function: the C library's (and ASan's) start is done */
};

static void *leave_once_told(void *arg)
{
	struct probe_thread *p = arg;
	atomic_store(&p->started, true);
	char c;
	if (p->go[0] >= 0 && read(p->go[0], &c, 1) != 1)
		return NULL;
	int fd = openat(p->t->tree, "../outside", O_RDONLY | O_CLOEXEC);
	p->leave_errno = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	fd = open("/", O_RDONLY | O_CLOEXEC);
	p->global_errno = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void thread_after(void *arg)
{
	struct probe_thread p = { .t = arg, .go = { -1, -1 } };
	CHECK(pthread_create(&p.thread, NULL, leave_once_told, &p) == 0);
	CHECK(pthread_join(p.thread, NULL) == 0);
	CHECK_EQ(p.leave_errno, EACCES);
	CHECK_EQ(p.global_errno, ECAPMODE);
}

static void a_thread_created_after_cap_enter_is_confined(void **state)
{
#ifdef __SANITIZE_ADDRESS__
	/* docs/COMPAT.md: pthread_getattr_np() in capability mode. */
	tl_skip("ASan starts each thread with pthread_getattr_np(), whose "
	    "sched_getaffinity(tid) capability mode refuses");
#endif
	RUN_CONFINED(NULL, thread_after, *state);
}

static struct probe_thread early;

static void start_a_thread(void *arg)
{
	early = (struct probe_thread){ .t = arg };
	CHECK(pipe2(early.go, O_CLOEXEC) == 0);
	CHECK(pthread_create(&early.thread, NULL, leave_once_told, &early) == 0);
	/*
	 * Started before cap_enter in full: ASan's thread start reads
	 * /proc/self/maps, which capability mode would refuse.
	 */
	for (int i = 0; i < 50000 && !atomic_load(&early.started); i++)
		usleep(100);
	CHECK(atomic_load(&early.started));
}

static void let_it_try(void *arg)
{
	const struct tree *t = arg;
	CHECK(write(early.go[1], "g", 1) == 1);
	CHECK(pthread_join(early.thread, NULL) == 0);
	/* seccomp reaches every thread... */
	CHECK_EQ(early.global_errno, ECAPMODE);
	/* ...Landlock only from ABI 8 on (LANDLOCK_RESTRICT_SELF_TSYNC). */
	CHECK_EQ(early.leave_errno, t->abi >= 8 ? EACCES : 0);
}

static void a_thread_created_before_cap_enter_is_confined_by_seccomp(void **state)
{
	RUN_CONFINED(start_a_thread, let_it_try, *state);
}

/* ---- fork and exec ---- */

static void a_forked_child_is_confined(void *arg)
{
	const struct tree *t = arg;
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		CHECK_REFUSED(t->tree, "../outside", O_RDONLY);
		CHECK_OPENS(t->tree, "sub/file", O_RDONLY);
		_exit(0);
	}
	tl_child_waits_for_success(pid);
}

static void fork_children_and_executed_images_stay_confined(void **state)
{
	tl_landlock_or_skip();
	const struct tree *t = *state;
	/* The probe inherits the tree as a descriptor without FD_CLOEXEC. */
	int dir = fcntl(t->tree, F_DUPFD, 0);
	assert_true(dir >= 0);
	char dirfd[16];
	snprintf(dirfd, sizeof(dirfd), "%d", dir);
	char *args[] = { dirfd, "sub/file", "../outside", NULL };
	char line[128];
	bool ran = tl_capmode_probe(a_forked_child_is_confined, *state, args, line, sizeof(line));
	close(dir);
	if (!ran)
		tl_skip(TL_NO_CAPMODE_REASON);
	int open_errno, getppid_errno, getcwd_errno, inside_errno, outside_errno;
	assert_int_equal(sscanf(line, "%d %d %d %d %d", &open_errno, &getppid_errno,
	    &getcwd_errno, &inside_errno, &outside_errno), 5);
	assert_int_equal(open_errno, ECAPMODE);
	assert_int_equal(inside_errno, 0);
	assert_int_equal(outside_errno, EACCES);
}

/* ---- without Landlock, and without /proc ---- */

/* A seccomp filter that answers landlock_create_ruleset with err. */
static void hide_landlock(int err)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_landlock_create_ruleset, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned int)err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	/*
	 * Where seccomp itself is missing (valgrind) the filter is not needed:
	 * cap_enter then fails with ENOSYS, and the test skips.
	 */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		CHECK(errno == ENOSYS || errno == EINVAL);
}

static void hide_landlock_enosys(void *arg)
{
	(void)arg;
	hide_landlock(ENOSYS);
}

static void hide_landlock_eopnotsupp(void *arg)
{
	(void)arg;
	hide_landlock(EOPNOTSUPP);
}

static void unconfined_lookups(void *arg)
{
	const struct tree *t = arg;
	CHECK_OPENS(t->tree, "sub/file", O_RDONLY);
	CHECK_OPENS(t->tree, "../outside", O_RDONLY);
	CHECK_ERRNO(ECAPMODE, open("/", O_RDONLY | O_CLOEXEC));
}

static void without_landlock_capability_mode_works_unconfined(void **state)
{
	if (!tl_run_in_capmode(hide_landlock_enosys, unconfined_lookups, *state, false) ||
	    !tl_run_in_capmode(hide_landlock_eopnotsupp, unconfined_lookups, *state, false))
		tl_skip(TL_NO_CAPMODE_REASON);
}

static void without_proc(void *arg)
{
	const struct tree *t = arg;
	/* A namespace of our own: cover its /proc. */
	CHECK(mount("none", "/proc", "tmpfs", 0, NULL) == 0);
	CHECK_ERRNO(ENOENT, open("/proc/self/fd", O_RDONLY | O_CLOEXEC));
	CHECK(cap_enter() == 0);
	CHECK_OPENS(t->tree, "sub/file", O_RDONLY);
	CHECK_OPENS(t->other, "made-here", O_WRONLY | O_CREAT);
	CHECK_REFUSED(t->tree, "../outside", O_RDONLY);
}

static void without_proc_the_held_directories_are_still_found(void **state)
{
	tl_landlock_or_skip();
	if (!tl_run_in_pid_namespace(without_proc, *state, false))
		tl_skip("/proc cannot be hidden without user, pid and mount namespaces: %s",
		    tl_pid_namespace_refusal());
}

/*
 * A process may stack at most 16 Landlock layers.  Here the seccomp layer is
 * in before the ruleset is refused: cap_enter fails, in capability mode.
 */
static void fill_landlock_then_enter(void *arg)
{
	(void)arg;
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_BLOCK,
	};
	int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	CHECK(ruleset >= 0);
	int layers = 0;
	while (layers < 64 && syscall(SYS_landlock_restrict_self, ruleset, 0) == 0)
		layers++;
	CHECK_EQ(errno, E2BIG);
	close(ruleset);

	CHECK_ERRNO(E2BIG, cap_enter());
	unsigned int mode = 0;
	CHECK(cap_getmode(&mode) == 0);
	CHECK_EQ(mode, 1);
	CHECK_ERRNO(ECAPMODE, open("/", O_RDONLY | O_CLOEXEC));
}

static void a_refused_landlock_layer_fails_cap_enter_in_capability_mode(void **state)
{
	(void)state;
	tl_landlock_or_skip();
	run_in_child(fill_landlock_then_enter, NULL);
}

/* The ruleset is built before anything changes: its failures change nothing. */
static void enter_without_a_free_descriptor(void *arg)
{
	(void)arg;
	struct rlimit limit;
	CHECK(getrlimit(RLIMIT_NOFILE, &limit) == 0);
	limit.rlim_cur = 64;
	CHECK(setrlimit(RLIMIT_NOFILE, &limit) == 0);
	int last = -1, fd;
	while ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		last = fd;
	CHECK(errno == EMFILE && last >= 0);
	long nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);

	CHECK_ERRNO(EMFILE, cap_enter());
	unsigned int mode = 1;
	CHECK(cap_getmode(&mode) == 0);
	CHECK_EQ(mode, 0);
	CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), nnp);
	close(last);
	fd = open("/", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	close(fd);
}

static void a_ruleset_that_cannot_be_built_leaves_the_process_as_it_was(void **state)
{
	(void)state;
	tl_landlock_or_skip();
	run_in_child(enter_without_a_free_descriptor, NULL);
}

#define TREE_TEST(fn) cmocka_unit_test_setup_teardown(fn, build_tree, remove_tree)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TREE_TEST(lookups_beneath_held_directories_work),
		TREE_TEST(lookups_that_lead_out_fail_with_eacces),
		TREE_TEST(a_lookup_may_end_in_any_held_directory),
		TREE_TEST(metadata_calls_are_not_confined),
		TREE_TEST(a_directory_received_later_is_refused),
		TREE_TEST(a_later_landlock_layer_cannot_widen_the_confinement),
		TREE_TEST(a_held_proc_is_reachable_and_its_magic_links_are_checked),
		TREE_TEST(a_thread_created_after_cap_enter_is_confined),
		TREE_TEST(a_thread_created_before_cap_enter_is_confined_by_seccomp),
		TREE_TEST(fork_children_and_executed_images_stay_confined),
		TREE_TEST(without_landlock_capability_mode_works_unconfined),
		TREE_TEST(without_proc_the_held_directories_are_still_found),
		cmocka_unit_test(a_ruleset_that_cannot_be_built_leaves_the_process_as_it_was),
		cmocka_unit_test(a_refused_landlock_layer_fails_cap_enter_in_capability_mode),
	};
	return TL_RUN(tests);
}
