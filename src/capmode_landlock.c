/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lookups confined beneath the directories held at cap_enter, on Landlock.
 *
 * In FreeBSD's capability mode a path given to an *at call resolves strictly
 * beneath the directory descriptor: an absolute path, ".." above it and a
 * symbolic link that leads out fail with ENOTCAPABLE.  The seccomp layers
 * cannot read a path, so they let every *at call on a descriptor through.
 * Landlock judges where a path leads.  The ruleset built here handles every
 * filesystem right this library knows and the kernel supports, and grants
 *
 *   beneath each directory held    all of them;
 *   on each regular file held      reading and execution, and writing when
 *                                  it is open for writing: fexecve(3) opens
 *                                  the file again, and a program held outside
 *                                  the directories must still run.
 *
 * Anything else a path leads to is refused with EACCES.  What Landlock leaves
 * alone (descriptors opened before, stat, access, chmod, chown, utimes,
 * readlink) is listed in docs/COMPAT.md.
 *
 * The ruleset is built before the seccomp layers load, because it reads
 * /proc/self/fd, which they deny, and enforced after them (capmode.c says
 * why).  Enforcing binds the calling thread and the threads and processes
 * it creates afterwards; from ABI 8 on, the kernel binds every thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capmode.h"
#include "linux_compat.h"
#include "procfs.h"

/* The filesystem rights each Landlock ABI version added. */
static const struct {
	int abi;
	uint64_t rights;
} rights_since[] = {
	{ 1, LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
	     LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
	     LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
	     LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
	     LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
	     LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
	     LANDLOCK_ACCESS_FS_MAKE_SYM },
	{ 2, LANDLOCK_ACCESS_FS_REFER },
	{ 3, LANDLOCK_ACCESS_FS_TRUNCATE },
	{ 5, LANDLOCK_ACCESS_FS_IOCTL_DEV },
};

/* The first ABI version whose restrict_self can bind every thread. */
#define ABI_TSYNC 8

/* The running kernel's Landlock ABI version, or -errno. */
static int landlock_abi(void)
{
	int abi = sys_landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return abi < 0 ? -errno : abi;
}

static uint64_t handled_rights(int abi)
{
	uint64_t rights = 0;
	for (size_t i = 0; i < sizeof(rights_since) / sizeof(rights_since[0]); i++) {
		if (abi >= rights_since[i].abi)
			rights |= rights_since[i].rights;
	}
	return rights;
}

/*
 * A held regular file: what execution needs (the kernel opens the file
 * again, for reading), and writing when it is open for writing, so that no
 * new open through /proc/self/fd gains more than the descriptor has.  An
 * O_PATH descriptor reads as O_RDONLY.
 */
static uint64_t held_file_rights(int fd)
{
	uint64_t rights = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE;
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0 && (flags & O_ACCMODE) != O_RDONLY)
		rights |= LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
	return rights;
}

/*
 * The rule a held descriptor calls for, if any.  A number that names no
 * descriptor (closed meanwhile by another thread, or never opened) gets
 * none: the ruleset can only end up stricter.
 */
static int add_rule(int ruleset, int fd, uint64_t handled)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return errno == EBADF ? 0 : -errno;

	uint64_t allowed;
	if (S_ISDIR(st.st_mode))
		allowed = handled;
	else if (S_ISREG(st.st_mode))
		allowed = held_file_rights(fd) & handled;
	else
		return 0;   /* a socket, pipe or device: no path leads through it */

	struct landlock_path_beneath_attr beneath = {
		.allowed_access = allowed,
		.parent_fd = fd,
	};
	if (sys_landlock_add_rule(ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) == 0)
		return 0;
	/*
	 * EBADFD: a file of an internal filesystem (a memfd), which no path
	 * names and Landlock never checks; EBADF: closed meanwhile.
	 */
	return errno == EBADFD || errno == EBADF ? 0 : -errno;
}

/*
 * Without /proc: try every number a descriptor can have, one fstat each.
 * One opened before RLIMIT_NOFILE was lowered below it is missed and gets
 * no rule, which again can only make the ruleset stricter.
 */
static int add_rules_probing(int ruleset, uint64_t handled)
{
	struct rlimit limit;
	if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
		return -errno;
	int end = limit.rlim_cur < (rlim_t)INT_MAX ? (int)limit.rlim_cur : INT_MAX;
	int r = 0;
	for (int fd = 0; r == 0 && fd < end; fd++) {
		if (fd != ruleset)
			r = add_rule(ruleset, fd, handled);
	}
	return r;
}

struct held_walk {
	int ruleset;
	uint64_t handled;
	int error;          /* of the rule that stopped the walk */
};

static int add_rule_for_held(int fd, void *ctx)
{
	struct held_walk *w = ctx;
	if (fd != w->ruleset)
		w->error = add_rule(w->ruleset, fd, w->handled);
	return w->error != 0;
}

static int add_rules_for_held_descriptors(int ruleset, uint64_t handled)
{
	struct held_walk walk = { .ruleset = ruleset, .handled = handled };
	if (procfs_for_each_fd(add_rule_for_held, &walk) < 0)
		return add_rules_probing(ruleset, handled);   /* no /proc here */
	return walk.error;
}

int capmode_lookup_ruleset(void)
{
	int abi = landlock_abi();
	/*
	 * ENOSYS: no Landlock in this kernel (before 5.13, or built without it)
	 * or under valgrind; EOPNOTSUPP: built, but not enabled at boot; EPERM:
	 * a seccomp profile forbids it.
	 */
	if (abi == -ENOSYS || abi == -EOPNOTSUPP || abi == -EPERM)
		return -ENOSYS;
	if (abi < 0)
		return abi;

	struct landlock_ruleset_attr attr = { .handled_access_fs = handled_rights(abi) };
	int ruleset = sys_landlock_create_ruleset(&attr, sizeof(attr), 0);
	if (ruleset < 0)
		return -errno;
	int r = add_rules_for_held_descriptors(ruleset, attr.handled_access_fs);
	if (r < 0) {
		close(ruleset);
		return r;
	}
	return ruleset;
}

int capmode_confine_lookups(int ruleset)
{
	uint32_t flags = landlock_abi() >= ABI_TSYNC ? LANDLOCK_RESTRICT_SELF_TSYNC : 0;
	return sys_landlock_restrict_self(ruleset, flags) == 0 ? 0 : -errno;
}
