/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The capability-mode policy and the loading of its two layers.
 *
 * FreeBSD lets a process in capability mode make only the system calls
 * marked CAPENABLED in syscalls.master: those that act on descriptors it
 * already holds, on its own memory, threads, signals and credentials, or
 * read harmless global state.  Everything that names something in a global
 * namespace (a path from the root or the working directory, a pid, a
 * socket address, a System V IPC key, a mount) fails with ECAPMODE.  The
 * table below is that list in Linux's system calls; every call it does not
 * name is denied.  docs/COMPAT.md lists what Linux's seccomp cannot check
 * (path strings, addresses inside sendmsg's msghdr, the target of kill).
 *
 * libseccomp builds the program; it is exported and loaded here with
 * seccomp(2) directly, so that NO_NEW_PRIVS is set only where the kernel
 * insists, every thread gets it (TSYNC), and the trap layer's SIGSYS carries
 * ECAPMODE in si_errno (libseccomp cannot put data in a trap action): that
 * is how the handler tells its own traps from the application's.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/capsicum.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capmode.h"
#include "fdutil.h"

enum arg_rule {
	ANY_ARGS,       /* no argument reaches a global namespace */
	DIRFD_0,        /* an *at call: argument 0 must be a descriptor, not AT_FDCWD */
	DIRFD_0_2,      /* linkat, renameat: both directory arguments */
	DIRFD_1,        /* symlinkat: the new link is relative to argument 1 */
	SELF_0,         /* argument 0 is a pid, and only 0 (the caller) is allowed */
	SELF_1,         /* getpriority, setpriority: `who` must be 0 (the caller) */
	NO_ADDRESS_4,   /* sendto: no destination address (argument 4) */
};

struct allowed_call {
	const char *name;
	enum arg_rule rule;
	bool starts_image;   /* execveat: the trap layer refuses it (capmode.h) */
};

#define CALL(n)          { .name = (n) }
#define CALL_IF(n, rule_) { .name = (n), .rule = (rule_) }

static const struct allowed_call allowed_calls[] = {
	/* Descriptors already held: I/O, state and lifetime. */
	CALL("read"), CALL("readv"), CALL("pread64"), CALL("preadv"), CALL("preadv2"),
	CALL("write"), CALL("writev"), CALL("pwrite64"), CALL("pwritev"), CALL("pwritev2"),
	CALL("lseek"), CALL("close"), CALL("close_range"), CALL("dup"), CALL("dup2"), CALL("dup3"),
	CALL("fcntl"), CALL("ioctl"), CALL("flock"), CALL("fstat"), CALL("fstatfs"),
	CALL("fsync"), CALL("fdatasync"), CALL("ftruncate"), CALL("fallocate"),
	CALL("fadvise64"), CALL("readahead"), CALL("sync_file_range"), CALL("syncfs"),
	CALL("sync"), CALL("getdents"), CALL("getdents64"), CALL("fchmod"), CALL("fchown"),
	CALL("fgetxattr"), CALL("fsetxattr"), CALL("flistxattr"), CALL("fremovexattr"),
	CALL("sendfile"), CALL("splice"), CALL("tee"), CALL("vmsplice"),
	CALL("copy_file_range"),

	/* Waiting on descriptors, and new descriptors that name nothing. */
	CALL("poll"), CALL("ppoll"), CALL("select"), CALL("pselect6"),
	CALL("epoll_create"), CALL("epoll_create1"), CALL("epoll_ctl"), CALL("epoll_wait"),
	CALL("epoll_pwait"), CALL("epoll_pwait2"), CALL("eventfd"), CALL("eventfd2"),
	CALL("timerfd_create"), CALL("timerfd_settime"), CALL("timerfd_gettime"),
	CALL("signalfd"), CALL("signalfd4"), CALL("pipe"), CALL("pipe2"),
	CALL("memfd_create"), CALL("io_setup"), CALL("io_destroy"), CALL("io_submit"),
	CALL("io_cancel"), CALL("io_getevents"), CALL("io_pgetevents"),
	CALL("mq_timedsend"), CALL("mq_timedreceive"), CALL("mq_notify"),
	CALL("mq_getsetattr"),

	/*
	 * Sockets: a new socket names nothing until bind() or connect() gives
	 * it an address, and those are denied; so is sendto() to an address.
	 */
	CALL("socket"), CALL("socketpair"), CALL("accept"), CALL("accept4"), CALL("listen"),
	CALL("shutdown"), CALL("getsockname"), CALL("getpeername"), CALL("getsockopt"),
	CALL("setsockopt"), CALL("recvfrom"), CALL("recvmsg"), CALL("recvmmsg"),
	CALL("sendmsg"), CALL("sendmmsg"), CALL_IF("sendto", NO_ADDRESS_4),

	/* Paths, only relative to a directory descriptor. */
	CALL_IF("openat", DIRFD_0), CALL_IF("openat2", DIRFD_0), CALL_IF("faccessat", DIRFD_0),
	CALL_IF("faccessat2", DIRFD_0), CALL_IF("fchmodat", DIRFD_0), CALL_IF("fchownat", DIRFD_0),
	CALL_IF("newfstatat", DIRFD_0), CALL_IF("statx", DIRFD_0), CALL_IF("futimesat", DIRFD_0),
	CALL_IF("utimensat", DIRFD_0), CALL_IF("mkdirat", DIRFD_0), CALL_IF("mknodat", DIRFD_0),
	CALL_IF("readlinkat", DIRFD_0), CALL_IF("unlinkat", DIRFD_0),
	CALL_IF("linkat", DIRFD_0_2), CALL_IF("renameat", DIRFD_0_2), CALL_IF("renameat2", DIRFD_0_2),
	CALL_IF("symlinkat", DIRFD_1),
	{ .name = "execveat", .rule = DIRFD_0, .starts_image = true },   /* fexecve(3) */

	/* This process's memory. */
	CALL("brk"), CALL("mmap"), CALL("munmap"), CALL("mremap"), CALL("mprotect"),
	CALL("madvise"), CALL("mincore"), CALL("msync"), CALL("mlock"), CALL("mlock2"),
	CALL("mlockall"), CALL("munlock"), CALL("munlockall"), CALL("membarrier"),
	CALL("pkey_alloc"), CALL("pkey_free"), CALL("pkey_mprotect"), CALL("mbind"),
	CALL("get_mempolicy"), CALL("set_mempolicy"),

	/* Threads and children, and this process's own attributes. */
	CALL("clone"), CALL("clone3"), CALL("fork"), CALL("vfork"), CALL("exit"),
	CALL("exit_group"), CALL("wait4"), CALL("waitid"), CALL("set_tid_address"),
	CALL("set_robust_list"), CALL_IF("get_robust_list", SELF_0), CALL("rseq"),
	CALL("futex"), CALL("futex_waitv"), CALL("arch_prctl"), CALL("prctl"),
	CALL("personality"), CALL("umask"),
	CALL("getpid"), CALL("getppid"), CALL("gettid"), CALL("getpgrp"), CALL("getpgid"),
	CALL("getsid"), CALL("setsid"), CALL("getuid"), CALL("geteuid"), CALL("getgid"),
	CALL("getegid"), CALL("getresuid"), CALL("getresgid"), CALL("getgroups"),
	CALL("setuid"), CALL("setgid"), CALL("setreuid"), CALL("setregid"),
	CALL("setresuid"), CALL("setresgid"), CALL("setfsuid"), CALL("setfsgid"),
	CALL("capget"), CALL("capset"), CALL("getrlimit"), CALL("setrlimit"),
	CALL_IF("prlimit64", SELF_0), CALL("getrusage"), CALL("times"),
	CALL_IF("getpriority", SELF_1), CALL_IF("setpriority", SELF_1), CALL("sched_yield"),
	CALL("sched_get_priority_max"), CALL("sched_get_priority_min"),
	CALL_IF("sched_getparam", SELF_0), CALL_IF("sched_setparam", SELF_0),
	CALL_IF("sched_getscheduler", SELF_0), CALL_IF("sched_setscheduler", SELF_0),
	CALL_IF("sched_rr_get_interval", SELF_0), CALL_IF("sched_getaffinity", SELF_0),
	CALL_IF("sched_setaffinity", SELF_0), CALL("getcpu"),

	/*
	 * Restricting oneself further.  A seccomp filter or a Landlock layer
	 * only ever takes rights away, so none of these can undo or widen the
	 * lookup confinement, and Landlock names what it grants by descriptors
	 * already held, never by path.  cap_enter() itself enforces its
	 * ruleset once the layers are in (capmode.c).
	 */
	CALL("seccomp"), CALL("landlock_create_ruleset"), CALL("landlock_add_rule"),
	CALL("landlock_restrict_self"),

	/* Signals.  seccomp cannot compare a pid with the caller's: see COMPAT. */
	CALL("rt_sigaction"), CALL("rt_sigprocmask"), CALL("rt_sigreturn"),
	CALL("rt_sigpending"), CALL("rt_sigsuspend"), CALL("rt_sigtimedwait"),
	CALL("sigaltstack"), CALL("restart_syscall"), CALL("kill"), CALL("tkill"),
	CALL("tgkill"), CALL("rt_sigqueueinfo"), CALL("rt_tgsigqueueinfo"),
	CALL("pidfd_send_signal"),

	/* Clocks and timers; reading the time is global state FreeBSD allows. */
	CALL("clock_gettime"), CALL("clock_getres"), CALL("clock_nanosleep"),
	CALL("nanosleep"), CALL("gettimeofday"), CALL("time"), CALL("getitimer"),
	CALL("setitimer"), CALL("alarm"), CALL("timer_create"), CALL("timer_settime"),
	CALL("timer_gettime"), CALL("timer_getoverrun"), CALL("timer_delete"),

	/* Harmless global state FreeBSD reads through sysctl and gethostname. */
	CALL("uname"), CALL("sysinfo"), CALL("getrandom"),
};

/*
 * The kernel reads these arguments as int and ignores the upper half, so
 * only the lower 32 bits are compared: a descriptor is a non-negative int
 * (AT_FDCWD is negative), and a pid of 0 means the caller.
 */
#define IS_DESCRIPTOR(arg) SCMP_CMP((arg), SCMP_CMP_MASKED_EQ, 0x80000000u, 0)
#define IS_ZERO_INT(arg)   SCMP_CMP((arg), SCMP_CMP_MASKED_EQ, 0xffffffffu, 0)

static int allow(scmp_filter_ctx ctx, int nr, enum arg_rule rule)
{
	switch (rule) {
	case ANY_ARGS:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	case DIRFD_0:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, IS_DESCRIPTOR(0));
	case DIRFD_0_2:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 2,
		    IS_DESCRIPTOR(0), IS_DESCRIPTOR(2));
	case DIRFD_1:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, IS_DESCRIPTOR(1));
	case SELF_0:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, IS_ZERO_INT(0));
	case SELF_1:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, IS_ZERO_INT(1));
	case NO_ADDRESS_4:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A4(SCMP_CMP_EQ, 0));
	}
	return -EINVAL;
}

static int build_policy(enum capmode_layer layer, scmp_filter_ctx *out)
{
	uint32_t deny = layer == CAPMODE_TRAP_LAYER ?
	    SCMP_ACT_TRAP : SCMP_ACT_ERRNO(ECAPMODE);
	scmp_filter_ctx ctx = seccomp_init(deny);
	if (ctx == NULL)
		return -ENOMEM;

	/* i386 (int 0x80) and x32 calls are denied the same way, never killed. */
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, deny);
	for (size_t i = 0; r == 0 && i < sizeof(allowed_calls) / sizeof(allowed_calls[0]); i++) {
		const struct allowed_call *call = &allowed_calls[i];
		if (layer == CAPMODE_TRAP_LAYER && call->starts_image)
			continue;
		int nr = seccomp_syscall_resolve_name(call->name);
		if (nr == __NR_SCMP_ERROR)
			continue;   /* not a system call on this architecture */
		r = allow(ctx, nr, call->rule);
	}
	/* The probe capmode_active() makes must never trap. */
	if (r == 0 && layer == CAPMODE_TRAP_LAYER)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ECAPMODE), CAPMODE_PROBE_NR, 1,
		    SCMP_A1(SCMP_CMP_EQ, 0));
	if (r < 0) {
		seccomp_release(ctx);
		return r;
	}
	*out = ctx;
	return 0;
}

/* The BPF program libseccomp generated, in memory we own. */
static int export_program(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	int fd = memfd_create("libprocctl-capmode", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = seccomp_export_bpf(ctx, fd);
	off_t size = r == 0 ? lseek(fd, 0, SEEK_END) : -1;
	if (r == 0 && (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
	    size > BPF_MAXINSNS * (off_t)sizeof(struct sock_filter)))
		r = -EINVAL;

	struct sock_filter *insns = r == 0 ? malloc((size_t)size) : NULL;
	if (r == 0 && insns == NULL)
		r = -ENOMEM;
	if (r == 0 && pread(fd, insns, (size_t)size, 0) != size)
		r = -EIO;
	close_preserving_errno(fd);
	if (r < 0) {
		free(insns);
		return r;
	}
	prog->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	prog->filter = insns;
	return 0;
}

/* Put ECAPMODE in the data of every trap, for si_errno. */
static void mark_traps(struct sock_fprog *prog)
{
	for (unsigned short i = 0; i < prog->len; i++) {
		struct sock_filter *insn = &prog->filter[i];
		if (insn->code == (BPF_RET | BPF_K) &&
		    (insn->k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRAP)
			insn->k = SECCOMP_RET_TRAP | (ECAPMODE & SECCOMP_RET_DATA);
	}
}

static long seccomp_all_threads(struct sock_fprog *prog)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_TSYNC, prog);
}

static int load_into_every_thread(struct sock_fprog *prog)
{
	long r = seccomp_all_threads(prog);
	if (r < 0 && errno == EACCES) {
		/*
		 * Without CAP_SYS_ADMIN the kernel takes a filter only from a
		 * thread that can gain no privilege through execve.  Here alone
		 * NO_NEW_PRIVS is turned on; TSYNC hands it to every thread.
		 */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			return -errno;
		r = seccomp_all_threads(prog);
	}
	if (r == 0)
		return 0;
	if (r > 0)
		return -ENOTSUP;    /* thread r holds a filter the others lack */
	/* No seccomp filters in this kernel, or a profile forbids them. */
	if (errno == ENOSYS || errno == EINVAL || errno == EPERM)
		return -ENOSYS;
	return -errno;
}

int capmode_load_layer(enum capmode_layer layer)
{
	scmp_filter_ctx ctx;
	int r = build_policy(layer, &ctx);
	if (r < 0)
		return r;
	struct sock_fprog prog;
	r = export_program(ctx, &prog);
	seccomp_release(ctx);
	if (r < 0)
		return r;
	if (layer == CAPMODE_TRAP_LAYER)
		mark_traps(&prog);
	r = load_into_every_thread(&prog);
	free(prog.filter);
	return r;
}

bool capmode_active(void)
{
	int saved = errno;
	bool active = syscall(CAPMODE_PROBE_NR, NULL, 0) < 0 && errno == ECAPMODE;
	errno = saved;
	return active;
}
