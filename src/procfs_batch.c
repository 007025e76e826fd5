/* SPDX-License-Identifier: BSD-2-Clause */
#include "procfs_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fdutil.h"
#include "procfs_helper.h"

#ifndef IORING_REGISTER_USE_REGISTERED_RING
#define IORING_REGISTER_USE_REGISTERED_RING (1U << 31)
#endif

/*
 * Room for a stat line as long as the kernel writes them (about 300 bytes;
 * fifty numbers could in theory pass 1024); a longer one is read again
 * whole.  A unit test builds this file with a tiny slot to try that path.
 */
#ifndef PROCFS_BATCH_STAT_MAX
#define PROCFS_BATCH_STAT_MAX 1024
#endif
#define STAT_MAX PROCFS_BATCH_STAT_MAX
#define STAT_WHOLE_MAX 4096
#define PATH_MAX_LEN 48

/* ---- the syscalls engine ---- */

/*
 * Read a small /proc file whole: one read(2) when it fits (seq_file hands
 * over everything it has up to the size asked), more only when it fills
 * the buffer.  Returns the length, NUL-terminated, or -errno; *full: the
 * buffer filled up before the end of the file.
 */
static ssize_t read_whole(int fd, char *buf, size_t size, bool *full)
{
	size_t len = 0;
	*full = false;
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		len += (size_t)n;
		if (n == 0 || len < size - 1)
			break;
		if (len == size - 1) {
			/* Full: the end may still come with the next read. */
			char c;
			ssize_t more;
			while ((more = read(fd, &c, 1)) < 0 && errno == EINTR)
				;
			*full = more > 0;
			break;
		}
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

static int gone(int err)
{
	return err == ENOENT || err == ESRCH || err == EACCES ? -ESRCH : -err;
}

static int parse_item(struct procfs_batch_item *it, const char *stat, ssize_t n, bool full)
{
	if (n < 0)
		return n == -ENOENT || n == -EACCES ? -ESRCH : (int)n;
	if (full)
		return -EOVERFLOW;
	int r = procfs_parse_stat(stat, &it->stat);
	if (r < 0)
		return r;
	return it->stat.pid == it->pid ? 0 : -ESRCH;
}

/* One item, one system call at a time, in the order the proof needs. */
static void read_item_syscalls(const struct procfs_batch *b, struct procfs_batch_item *it,
    char *stat, char *children)
{
	char path[PATH_MAX_LEN];
	int statfd = -1, kidsfd = -1;
	it->dirfd = -1;
	it->children = children;
	it->children_truncated = false;
	children[0] = '\0';

	if (b->want_dirs) {
		/* The directory pins the process; its files are read through it. */
		snprintf(path, sizeof(path), "/proc/%d", (int)it->pid);
		it->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (it->dirfd < 0) {
			it->result = gone(errno);
			return;
		}
		statfd = openat(it->dirfd, "stat", O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "task/%d/children", (int)it->pid);
	} else {
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)it->pid);
		statfd = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)it->pid, (int)it->pid);
	}
	if (statfd < 0) {
		it->result = gone(errno);
		goto out;
	}
	kidsfd = openat(it->dirfd >= 0 ? it->dirfd : AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (kidsfd < 0) {
		it->result = gone(errno);
		goto out;
	}
	bool full;
	ssize_t n = read_whole(statfd, stat, STAT_MAX, &full);
	char whole[STAT_WHOLE_MAX];
	if (n >= 0 && full) {
		/* Longer than the slot: generated again whole, still after the opens. */
		n = lseek(statfd, 0, SEEK_SET) == 0 ? read_whole(statfd, whole, sizeof(whole), &full) :
		    -errno;
		stat = whole;
	}
	it->result = parse_item(it, stat, n, full);
	if (it->result == 0) {
		n = read_whole(kidsfd, children, PROCFS_BATCH_CHILDREN_MAX, &full);
		if (n < 0)
			it->result = gone((int)-n);
		it->children_truncated = full;
	}
out:
	if (kidsfd >= 0)
		close(kidsfd);
	if (statfd >= 0)
		close(statfd);
	if (it->result < 0)
		fd_closep(&it->dirfd);
}

/*
 * The threads of a process, told by its task directory: procfs counts them
 * in its link count (2 + threads).  0: not known.
 */
static long threads_from_nlink(unsigned long long nlink)
{
	return nlink > 2 ? (long)(nlink - 2) : 0;
}

/* Children only: the main thread's children file and the thread count. */
static void read_children_syscalls(struct procfs_batch_item *it, char *children)
{
	char path[PATH_MAX_LEN];
	it->dirfd = -1;
	it->children = children;
	it->children_truncated = false;
	it->stat.num_threads = 0;
	children[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/task", (int)it->pid);
	struct statx stx;
	if (statx(AT_FDCWD, path, 0, STATX_NLINK, &stx) == 0)
		it->stat.num_threads = threads_from_nlink(stx.stx_nlink);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)it->pid, (int)it->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		it->result = gone(errno);
		return;
	}
	bool full;
	ssize_t n = read_whole(fd, children, PROCFS_BATCH_CHILDREN_MAX, &full);
	it->result = n < 0 ? gone((int)-n) : 0;
	it->children_truncated = full;
	close(fd);
}

/* ---- the io_uring engine ---- */

/*
 * The ring reads a batch in chunks of this many items: its cost is per
 * chain, so larger submissions gain nothing, and the ring stays small.
 */
#define RING_BATCH_MAX 32
#define RING_ENTRIES 512
#define CHAIN_MAX 7
/* A chunk, and the closes of the directories of the batch before. */
_Static_assert(RING_BATCH_MAX * CHAIN_MAX + PROCFS_BATCH_MAX <= RING_ENTRIES,
    "the ring holds a chunk");

enum op { OP_OPEN_STAT, OP_OPEN_DIR, OP_OPEN_KIDS, OP_READ_STAT, OP_READ_KIDS,
	OP_CLOSE_STAT, OP_CLOSE_KIDS, OP_COUNT };

struct procfs_batch_ring {
	int fd;                 /* the ring's index among the thread's registered rings */
	pid_t owner;            /* the thread that made it, the only one to use it */
	void *sq_map, *cq_map, *sqe_map;
	size_t sq_len, cq_len, sqe_len;
	unsigned int *sq_tail, *sq_mask, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	char paths[RING_BATCH_MAX][3][PATH_MAX_LEN];
	int res[RING_BATCH_MAX][OP_COUNT];
	struct statx stx[RING_BATCH_MAX];       /* children only: the task directories */
};

enum probe { PROBE_UNKNOWN, PROBE_YES, PROBE_NO };
static atomic_int have_ring = PROBE_UNKNOWN;
static atomic_int forced_engine = PROCFS_BATCH_AUTO;

void procfs_batch_force_engine(enum procfs_batch_engine e)
{
	atomic_store(&forced_engine, e);
}

void procfs_batch_force_syscalls(bool on)
{
	procfs_batch_force_engine(on ? PROCFS_BATCH_SYSCALLS : PROCFS_BATCH_AUTO);
}

static bool ring_allowed(void)
{
	int forced = atomic_load(&forced_engine);
	return forced == PROCFS_BATCH_AUTO || forced == PROCFS_BATCH_IO_URING;
}

/*
 * registered: the ring is known by its index in the thread's table of
 * registered rings (and by no descriptor), which unregistering drops.  Not
 * registered in a fork child, which has no such table: its mappings are
 * undone, nothing else is touched.
 */
static void ring_free(struct procfs_batch_ring *r, bool registered)
{
	if (registered && r->fd >= 0) {
		struct io_uring_rsrc_update up = { .offset = (unsigned int)r->fd };
		(void)syscall(SYS_io_uring_register, r->fd,
		    IORING_UNREGISTER_RING_FDS | IORING_REGISTER_USE_REGISTERED_RING, &up, 1);
	}
	if (r->sqe_map != NULL && r->sqe_map != MAP_FAILED)
		munmap(r->sqe_map, r->sqe_len);
	if (r->sq_map != NULL && r->sq_map != MAP_FAILED)
		munmap(r->sq_map, r->sq_len);
	free(r);
}

static long ring_setup(struct io_uring_params *p)
{
	/* The cheapest completion path first; older kernels know fewer flags. */
	const unsigned int wanted = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN |
	    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	memset(p, 0, sizeof(*p));
	p->flags = wanted;
	long fd = syscall(SYS_io_uring_setup, RING_ENTRIES, p);
	if (fd < 0 && errno == EINVAL) {
		memset(p, 0, sizeof(*p));
		fd = syscall(SYS_io_uring_setup, RING_ENTRIES, p);
	}
	return fd;
}

static struct procfs_batch_ring *ring_open(void)
{
	if (!ring_allowed() || atomic_load(&have_ring) == PROBE_NO)
		return NULL;
	struct procfs_batch_ring *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	struct io_uring_params p;
	long fd = ring_setup(&p);
	r->fd = (int)fd;
	int err = fd < 0 ? errno : EOPNOTSUPP;
	if (fd < 0 || !(p.features & IORING_FEAT_LINKED_FILE) ||
	    !(p.features & IORING_FEAT_SINGLE_MMAP))
		goto refused;

	r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (cq_len > r->sq_len)
		r->sq_len = cq_len;
	r->sq_map = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
	    r->fd, IORING_OFF_SQ_RING);
	r->cq_map = r->sq_map;
	r->sqe_len = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sqe_map = mmap(NULL, r->sqe_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
	    r->fd, IORING_OFF_SQES);
	err = ENOMEM;
	if (r->sq_map == MAP_FAILED || r->sqe_map == MAP_FAILED)
		goto refused;
	char *sq = r->sq_map;
	r->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	r->cq_head = (unsigned int *)(sq + p.cq_off.head);
	r->cq_tail = (unsigned int *)(sq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)(sq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(sq + p.cq_off.cqes);
	r->sqes = r->sqe_map;
	/* The submission array maps slot i to sqe i once and for all. */
	unsigned int *array = (unsigned int *)(sq + p.sq_off.array);
	for (unsigned int i = 0; i < p.sq_entries; i++)
		array[i] = i;

	/* Two direct descriptors per item: its stat and its children file. */
	int slots[2 * RING_BATCH_MAX];
	for (size_t i = 0; i < 2 * RING_BATCH_MAX; i++)
		slots[i] = -1;
	if (syscall(SYS_io_uring_register, r->fd, IORING_REGISTER_FILES, slots,
	    2 * RING_BATCH_MAX) < 0) {
		err = errno;
		goto refused;
	}
	/*
	 * Known to the thread by index, the ring needs no descriptor: none is
	 * left in the caller's table for it to close (closefrom) or inherit.
	 */
	struct io_uring_rsrc_update up = { .offset = ~0U, .data = (uint64_t)fd };
	if (syscall(SYS_io_uring_register, r->fd, IORING_REGISTER_RING_FDS, &up, 1) != 1) {
		err = errno;
		goto refused;
	}
	close(r->fd);
	r->fd = (int)up.offset;
	r->owner = gettid();
	atomic_store(&have_ring, PROBE_YES);
	return r;

refused:
	/* ENOSYS, EPERM (seccomp, io_uring_disabled), too old: for good. */
	if (err != ENOMEM && err != EMFILE && err != ENFILE && err != EAGAIN && err != EBUSY)
		atomic_store(&have_ring, PROBE_NO);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	ring_free(r, false);
	return NULL;
}

static struct io_uring_sqe *next_sqe(struct procfs_batch_ring *r, unsigned int *tail,
    unsigned int op, size_t item)
{
	struct io_uring_sqe *s = &r->sqes[(*tail)++ & *r->sq_mask];
	memset(s, 0, sizeof(*s));
	s->user_data = (uint64_t)item * OP_COUNT + op;
	return s;
}

static void prep_open(struct io_uring_sqe *s, const char *path, unsigned int slot, int flags)
{
	s->opcode = IORING_OP_OPENAT;
	s->fd = AT_FDCWD;
	s->addr = (uintptr_t)path;
	s->open_flags = (unsigned int)flags;
	s->file_index = slot;       /* slot + 1; 0: an ordinary descriptor */
	s->flags = IOSQE_IO_LINK;   /* a failed open ends the chain */
}

static void prep_read(struct io_uring_sqe *s, unsigned int slot, char *buf, size_t len)
{
	s->opcode = IORING_OP_READ;
	s->fd = (int)slot;
	s->addr = (uintptr_t)buf;
	s->len = (unsigned int)len;
	s->off = 0;
	/* A short read is no failure here: the chain goes on to the closes. */
	s->flags = IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
}

static void prep_close(struct io_uring_sqe *s, unsigned int slot, bool last)
{
	s->opcode = IORING_OP_CLOSE;
	s->file_index = slot + 1;
	s->flags = last ? 0 : IOSQE_IO_HARDLINK;
}

/*
 * The directories handed back since the last batch, closed by this one:
 * each an ordinary descriptor, on its own (no link), its completion not
 * looked at.  Once queued they are the ring's: if the ring then fails,
 * one may leak, none is closed twice.
 */
static unsigned int prep_closing(struct procfs_batch *b, unsigned int *tail)
{
	struct procfs_batch_ring *r = b->ring;
	unsigned int count = 0;
	for (size_t i = 0; i < b->n_closing; i++, count++) {
		struct io_uring_sqe *s = &r->sqes[(*tail)++ & *r->sq_mask];
		memset(s, 0, sizeof(*s));
		s->opcode = IORING_OP_CLOSE;
		s->fd = b->closing[i];
		s->user_data = (uint64_t)RING_BATCH_MAX * OP_COUNT;    /* no item's */
	}
	b->n_closing = 0;
	return count;
}

/* Submit the chains and wait for all their completions; -errno if the ring fails. */
static int ring_run(struct procfs_batch_ring *r, unsigned int tail, unsigned int count)
{
	__atomic_store_n(r->sq_tail, tail, __ATOMIC_RELEASE);
	unsigned int submitted = 0, completed = 0;
	while (completed < count) {
		unsigned int want = count - completed;
		long n = syscall(SYS_io_uring_enter, r->fd, count - submitted, want,
		    IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING, NULL, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EBUSY)
				continue;
			return -errno;
		}
		submitted += (unsigned int)n;
		unsigned int head = *r->cq_head;
		unsigned int end = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
		for (; head != end; head++, completed++) {
			const struct io_uring_cqe *c = &r->cqes[head & *r->cq_mask];
			size_t item = (size_t)(c->user_data / OP_COUNT);
			unsigned int op = (unsigned int)(c->user_data % OP_COUNT);
			if (item < RING_BATCH_MAX)
				r->res[item][op] = c->res;
		}
		__atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * What the chain of one item says: 0 (read), -ESRCH (gone), or 1 (read it
 * again with system calls: refused, cut short, or anything unexpected).
 */
static int judge_item(const struct procfs_batch *b, struct procfs_batch_item *it,
    const int *res, char *stat, char *children)
{
	int open_stat = res[OP_OPEN_STAT];
	if (open_stat == -ENOENT || open_stat == -ESRCH)
		return -ESRCH;
	if (open_stat < 0 || res[OP_OPEN_KIDS] < 0 || (b->want_dirs && res[OP_OPEN_DIR] < 0))
		return 1;
	int read_stat = res[OP_READ_STAT];
	if (read_stat == -ESRCH)
		return -ESRCH;
	if (read_stat <= 0 || read_stat >= STAT_MAX - 1 || res[OP_READ_KIDS] < 0)
		return 1;
	stat[read_stat] = '\0';
	int r = parse_item(it, stat, read_stat, false);
	if (r < 0)
		return r == -ESRCH ? r : 1;
	int kids = res[OP_READ_KIDS];
	children[kids] = '\0';
	/* Full: there may be more; the caller reads the whole file itself. */
	it->children_truncated = kids >= PROCFS_BATCH_CHILDREN_MAX - 1;
	return 0;
}

/* A chunk of n items (n <= RING_BATCH_MAX), base the first one's index in the batch. */
static int read_ring(struct procfs_batch *b, struct procfs_batch_item *items, size_t n,
    size_t base)
{
	struct procfs_batch_ring *r = b->ring;
	unsigned int tail = *r->sq_tail, count = 0;
	count += prep_closing(b, &tail);
	for (size_t i = 0; i < n; i++) {
		struct procfs_batch_item *it = &items[i];
		char (*path)[PATH_MAX_LEN] = r->paths[i];
		unsigned int stat_slot = (unsigned int)(2 * i), kids_slot = stat_slot + 1;
		snprintf(path[0], PATH_MAX_LEN, "/proc/%d/stat", (int)it->pid);
		snprintf(path[1], PATH_MAX_LEN, "/proc/%d", (int)it->pid);
		snprintf(path[2], PATH_MAX_LEN, "/proc/%d/task/%d/children", (int)it->pid,
		    (int)it->pid);
		for (int op = 0; op < OP_COUNT; op++)
			r->res[i][op] = -ECANCELED;

		/* Direct descriptors take no O_CLOEXEC: they are in no table. */
		prep_open(next_sqe(r, &tail, OP_OPEN_STAT, i), path[0], stat_slot + 1, O_RDONLY);
		if (b->want_dirs)
			prep_open(next_sqe(r, &tail, OP_OPEN_DIR, i), path[1], 0,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		prep_open(next_sqe(r, &tail, OP_OPEN_KIDS, i), path[2], kids_slot + 1, O_RDONLY);
		prep_read(next_sqe(r, &tail, OP_READ_STAT, i), stat_slot,
		    b->stat_buf + (base + i) * STAT_MAX, STAT_MAX - 1);
		prep_read(next_sqe(r, &tail, OP_READ_KIDS, i), kids_slot,
		    b->children_buf + (base + i) * PROCFS_BATCH_CHILDREN_MAX,
		    PROCFS_BATCH_CHILDREN_MAX - 1);
		prep_close(next_sqe(r, &tail, OP_CLOSE_STAT, i), stat_slot, false);
		prep_close(next_sqe(r, &tail, OP_CLOSE_KIDS, i), kids_slot, true);
		count += b->want_dirs ? 7 : 6;
	}
	int err = ring_run(r, tail, count);
	if (err < 0) {
		/* The ring broke down: what it opened is closed, the rest redone. */
		for (size_t i = 0; i < n; i++)
			if (b->want_dirs && r->res[i][OP_OPEN_DIR] >= 0)
				close(r->res[i][OP_OPEN_DIR]);
		ring_free(r, true);
		b->ring = NULL;
		return err;
	}

	for (size_t i = 0; i < n; i++) {
		struct procfs_batch_item *it = &items[i];
		char *stat = b->stat_buf + (base + i) * STAT_MAX;
		char *children = b->children_buf + (base + i) * PROCFS_BATCH_CHILDREN_MAX;
		it->children = children;
		it->children_truncated = false;
		it->dirfd = b->want_dirs && r->res[i][OP_OPEN_DIR] >= 0 ? r->res[i][OP_OPEN_DIR] : -1;
		int verdict = judge_item(b, it, r->res[i], stat, children);
		if (verdict == 0) {
			it->result = 0;
			continue;
		}
		fd_closep(&it->dirfd);
		if (verdict < 0)
			it->result = verdict;
		else
			read_item_syscalls(b, it, stat, children);
	}
	return 0;
}

static void prep_statx(struct io_uring_sqe *s, const char *path, struct statx *buf)
{
	s->opcode = IORING_OP_STATX;
	s->fd = AT_FDCWD;
	s->addr = (uintptr_t)path;
	s->len = STATX_NLINK;
	s->off = (uintptr_t)buf;
	s->statx_flags = 0;
	/*
	 * First in the item's chain, so that one io-wq worker runs the whole
	 * chain in turn (an op on its own would be handed to a worker of its
	 * own); hard-linked: the chain goes on when it fails.
	 */
	s->flags = IOSQE_IO_HARDLINK;
}

/* Children only, by the ring: statx -> openat -> read -> close per item. */
static int read_ring_children(struct procfs_batch *b, struct procfs_batch_item *items, size_t n,
    size_t base)
{
	struct procfs_batch_ring *r = b->ring;
	unsigned int tail = *r->sq_tail, count = 0;
	count += prep_closing(b, &tail);
	for (size_t i = 0; i < n; i++) {
		struct procfs_batch_item *it = &items[i];
		char (*path)[PATH_MAX_LEN] = r->paths[i];
		unsigned int kids_slot = (unsigned int)(2 * i) + 1;
		snprintf(path[1], PATH_MAX_LEN, "/proc/%d/task", (int)it->pid);
		snprintf(path[2], PATH_MAX_LEN, "/proc/%d/task/%d/children", (int)it->pid,
		    (int)it->pid);
		for (int op = 0; op < OP_COUNT; op++)
			r->res[i][op] = -ECANCELED;
		r->stx[i].stx_nlink = 0;
		prep_statx(next_sqe(r, &tail, OP_OPEN_DIR, i), path[1], &r->stx[i]);
		prep_open(next_sqe(r, &tail, OP_OPEN_KIDS, i), path[2], kids_slot + 1, O_RDONLY);
		prep_read(next_sqe(r, &tail, OP_READ_KIDS, i), kids_slot,
		    b->children_buf + (base + i) * PROCFS_BATCH_CHILDREN_MAX,
		    PROCFS_BATCH_CHILDREN_MAX - 1);
		prep_close(next_sqe(r, &tail, OP_CLOSE_KIDS, i), kids_slot, true);
		count += 4;
	}
	int err = ring_run(r, tail, count);
	if (err < 0) {
		ring_free(r, true);
		b->ring = NULL;
		return err;
	}
	for (size_t i = 0; i < n; i++) {
		struct procfs_batch_item *it = &items[i];
		char *children = b->children_buf + (base + i) * PROCFS_BATCH_CHILDREN_MAX;
		const int *res = r->res[i];
		it->dirfd = -1;
		it->children = children;
		it->children_truncated = false;
		it->stat.num_threads = res[OP_OPEN_DIR] == 0 ?
		    threads_from_nlink(r->stx[i].stx_nlink) : 0;
		int open_kids = res[OP_OPEN_KIDS];
		if (open_kids == -ENOENT || open_kids == -ESRCH) {
			it->result = -ESRCH;
			continue;
		}
		int kids = res[OP_READ_KIDS];
		if (open_kids < 0 || kids < 0) {
			read_children_syscalls(it, children);
			continue;
		}
		children[kids] = '\0';
		it->children_truncated = kids >= PROCFS_BATCH_CHILDREN_MAX - 1;
		it->result = 0;
	}
	return 0;
}

/* ---- the interface ---- */

/*
 * What one batch reader needs, kept by each thread between calls: a ring
 * costs about as much to set up and tear down as reading 50 processes
 * through it.  A fork child (another thread id) drops what its parent
 * kept without using it: the ring's memory is shared with the parent.
 */
struct kept {
	struct procfs_batch_ring *ring;
	char *stat_buf, *children_buf;
	pid_t owner;
};
static __thread struct kept kept;
static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void kept_free(void *arg)
{
	struct kept *k = arg;
	if (k->ring != NULL)
		ring_free(k->ring, true);
	free(k->stat_buf);
	free(k->children_buf);
	memset(k, 0, sizeof(*k));
}

static void kept_key_create(void)
{
	/* Without the key, a thread's ring is freed when the thread exits anyway. */
	(void)pthread_key_create(&kept_key, kept_free);
}

static void take_kept(struct procfs_batch *b)
{
	if (kept.owner == 0)
		return;
	if (kept.owner != gettid()) {
		/* A fork child: the ring is the parent's, registered in its thread only. */
		if (kept.ring != NULL)
			ring_free(kept.ring, false);
		free(kept.stat_buf);
		free(kept.children_buf);
		memset(&kept, 0, sizeof(kept));
		return;
	}
	b->ring = kept.ring;
	b->stat_buf = kept.stat_buf;
	b->children_buf = kept.children_buf;
	memset(&kept, 0, sizeof(kept));
}

int procfs_batch_init(struct procfs_batch *b, bool want_dirs)
{
	b->want_dirs = want_dirs;
	b->n_closing = 0;
	b->helper = NULL;
	b->helper_ended = 0;
	b->ahead_pending = false;
	b->may_share = procfs_helper_worth_it();
	b->last_engine = PROCFS_BATCH_SYSCALLS;
	b->ring = NULL;
	b->stat_buf = b->children_buf = NULL;
	take_kept(b);
	if (b->ring != NULL && !ring_allowed()) {
		ring_free(b->ring, true);
		b->ring = NULL;
	}
	/* Zeroed: memcheck cannot see the ring write them, and must not complain. */
	if (b->stat_buf == NULL)
		b->stat_buf = calloc(PROCFS_BATCH_MAX, STAT_MAX);
	if (b->children_buf == NULL)
		b->children_buf = calloc(PROCFS_BATCH_MAX, PROCFS_BATCH_CHILDREN_MAX);
	if (b->stat_buf == NULL || b->children_buf == NULL) {
		procfs_batch_fini(b);
		return -ENOMEM;
	}
	return 0;
}

/* ---- choosing the engine by measure ---- */

/* Batches this small are not measured, and no helper is woken for fewer. */
#define MEASURE_MIN 8
#define SHARE_MIN 4
/* Per engine, the costs of its most recent batches kept; their median counts. */
#define SAMPLES 8
/* One measured batch in this many is read by another engine than the cheapest. */
#define EXPLORE_EVERY 32
/*
 * The most items an engine reads while it is tried or explored, the rest
 * of the batch going to the cheapest: a sample of another engine costs
 * what that engine costs, and one here read 30-60% slower than the best.
 */
#define EXPLORE_ITEMS 16

/*
 * Every batch of MEASURE_MIN items or more is timed, and its cost per item
 * kept with its engine's last SAMPLES.  An engine is tried until it has
 * half its samples; then the batches go to the one whose median is lowest,
 * but for one in EXPLORE_EVERY, which goes to each other engine in turn, so
 * that a change in the machine's load (another CPU taken, io-wq workers
 * starved) moves the choice within a few calls.  A tried or explored
 * engine reads EXPLORE_ITEMS of its batch at most.  (Its fixed cost per
 * batch then weighs a little more per item than the cheapest's, which
 * keeps a choice that is as good as another.)  Races between threads lose
 * a sample at worst.
 */
static struct {
	atomic_ullong cost[PROCFS_BATCH_ENGINES][SAMPLES];  /* ns per item; 0: none */
	atomic_uint taken[PROCFS_BATCH_ENGINES];            /* samples so far */
	atomic_uint batches;                                /* measured batches */
} measure;

static unsigned long long median_cost(int e)
{
	unsigned long long v[SAMPLES];
	unsigned int n = 0;
	for (unsigned int i = 0; i < SAMPLES; i++) {
		unsigned long long c = atomic_load(&measure.cost[e][i]);
		if (c == 0)
			continue;
		unsigned int j = n++;
		for (; j > 0 && v[j - 1] > c; j--)
			v[j] = v[j - 1];
		v[j] = c;
	}
	return n == 0 ? 0 : v[n / 2];
}

/* The engine with the lowest median among those measured enough, or AUTO. */
static int cheapest_engine(const bool *runs)
{
	int best = PROCFS_BATCH_AUTO;
	unsigned long long best_cost = 0;
	for (int e = 0; e < PROCFS_BATCH_ENGINES; e++) {
		if ((runs != NULL && !runs[e]) || atomic_load(&measure.taken[e]) < SAMPLES / 2)
			continue;
		unsigned long long c = median_cost(e);
		if (best == PROCFS_BATCH_AUTO || c < best_cost) {
			best = e;
			best_cost = c;
		}
	}
	return best;
}

enum procfs_batch_engine procfs_batch_chosen_engine(void)
{
	return (enum procfs_batch_engine)cheapest_engine(NULL);
}

unsigned int procfs_batch_samples(enum procfs_batch_engine e)
{
	return e >= 0 && e < PROCFS_BATCH_ENGINES ? atomic_load(&measure.taken[e]) : 0;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* Whether engine e might read this batch of b, as far as is known without trying. */
static bool could_run(const struct procfs_batch *b, int e, size_t n)
{
	switch (e) {
	case PROCFS_BATCH_IO_URING:
		/* A ring for one process would cost more than it saves. */
		return b->ring != NULL || (n > 1 && ring_allowed() &&
		    atomic_load(&have_ring) != PROBE_NO);
	case PROCFS_BATCH_THREADS:
		return b->may_share && n >= SHARE_MIN;
	default:
		return true;
	}
}

/* Whether engine e can read this batch of b, starting what it needs. */
static bool can_run(struct procfs_batch *b, int e, size_t n)
{
	if (!could_run(b, e, n))
		return false;
	if (e == PROCFS_BATCH_IO_URING && b->ring == NULL)
		b->ring = ring_open();
	if (e == PROCFS_BATCH_THREADS && b->helper == NULL) {
		b->helper = procfs_helper_start();
		if (b->helper == NULL)
			b->may_share = false;   /* not in this walk */
	}
	return e == PROCFS_BATCH_IO_URING ? b->ring != NULL :
	    e == PROCFS_BATCH_THREADS ? b->helper != NULL : true;
}

static int choose_measured(const struct procfs_batch *b, size_t n, bool *sample);

/*
 * The engine for the first *take of the n items left in this batch (all
 * of them, unless it is tried or explored); *timed: measure it.
 */
static int pick_engine(struct procfs_batch *b, size_t n, bool *timed, size_t *take)
{
	*timed = false;
	*take = n;
	int forced = atomic_load(&forced_engine);
	if (forced != PROCFS_BATCH_AUTO)
		return can_run(b, forced, n) ? forced : PROCFS_BATCH_SYSCALLS;
	if (n < MEASURE_MIN) {
		int e = cheapest_engine(NULL);
		return e != PROCFS_BATCH_AUTO && can_run(b, e, n) ? e : PROCFS_BATCH_SYSCALLS;
	}
	bool sample;
	int e = choose_measured(b, n, &sample);
	if (sample && n > EXPLORE_ITEMS)
		*take = EXPLORE_ITEMS;
	if (!can_run(b, e, *take)) {
		*take = n;
		return PROCFS_BATCH_SYSCALLS;   /* refused when tried: the next batch knows */
	}
	*timed = true;
	return e;
}

/*
 * Among the engines that might run: the one whose turn it is to be
 * measured; *sample: it is tried or explored, not the cheapest.
 */
static int choose_measured(const struct procfs_batch *b, size_t n, bool *sample)
{
	*sample = false;
	bool runs[PROCFS_BATCH_ENGINES];
	int untried = PROCFS_BATCH_AUTO, count = 0;
	for (int e = 0; e < PROCFS_BATCH_ENGINES; e++) {
		runs[e] = could_run(b, e, n);
		count += runs[e];
		if (runs[e] && atomic_load(&measure.taken[e]) < SAMPLES / 2 &&
		    (untried == PROCFS_BATCH_AUTO ||
		    atomic_load(&measure.taken[e]) < atomic_load(&measure.taken[untried])))
			untried = e;
	}
	if (untried != PROCFS_BATCH_AUTO) {
		*sample = true;
		return untried;
	}
	int best = cheapest_engine(runs);
	unsigned int k = atomic_fetch_add(&measure.batches, 1);
	if (count > 1 && k % EXPLORE_EVERY == 0) {
		/* Each of the others in turn. */
		unsigned int turn = (k / EXPLORE_EVERY) % (unsigned int)(count - 1);
		for (int e = 0; e < PROCFS_BATCH_ENGINES; e++)
			if (runs[e] && e != best && turn-- == 0) {
				*sample = true;
				return e;
			}
	}
	return best != PROCFS_BATCH_AUTO ? best : PROCFS_BATCH_SYSCALLS;
}

static void record(int e, unsigned long long ns, size_t n)
{
	unsigned int k = atomic_fetch_add(&measure.taken[e], 1);
	atomic_store(&measure.cost[e][k % SAMPLES], ns / n + 1);
}

/*
 * What the helper and the caller run, item by item: the closes of the
 * directories handed back since the last batch, then the batch's reads.
 */
static void read_job_item(void *ctx, size_t k)
{
	struct procfs_batch_job *s = ctx;
	struct procfs_batch *b = s->b;
	if (k < s->n_closes) {
		close(s->closes[k]);
		return;
	}
	size_t i = s->from + k - s->n_closes;
	if (atomic_load_explicit(&s->cancelled, memory_order_relaxed)) {
		s->items[i].result = -ECANCELED;
		s->items[i].dirfd = -1;
		return;
	}
	if (s->children_only)
		read_children_syscalls(&s->items[i], b->children_buf + i * PROCFS_BATCH_CHILDREN_MAX);
	else
		read_item_syscalls(b, &s->items[i], b->stat_buf + i * STAT_MAX,
		    b->children_buf + i * PROCFS_BATCH_CHILDREN_MAX);
}

/* Directories queued for a later batch, closed now. */
static void close_queued(struct procfs_batch *b)
{
	for (size_t i = 0; i < b->n_closing; i++)
		close(b->closing[i]);
	b->n_closing = 0;
}

/* Read items[from, to) of a batch with engine e. */
static void read_with(struct procfs_batch *b, int e, struct procfs_batch_item *items,
    size_t from, size_t to, bool children_only)
{
	b->last_engine = e;
	if (e == PROCFS_BATCH_IO_URING) {
		for (; from < to; from += RING_BATCH_MAX) {
			size_t k = to - from < RING_BATCH_MAX ? to - from : RING_BATCH_MAX;
			int r = children_only ? read_ring_children(b, items + from, k, from) :
			    read_ring(b, items + from, k, from);
			if (r < 0)
				break;
		}
		if (from >= to)
			return;
		b->last_engine = e = PROCFS_BATCH_SYSCALLS;     /* the ring broke down */
	}
	struct procfs_batch_job s = { .b = b, .items = items, .from = from, .n = to - from,
		.closes = b->closing, .children_only = children_only };
	if (e == PROCFS_BATCH_THREADS) {
		/* The closes are shared too: each costs the caller's thread a system call. */
		s.n_closes = b->n_closing;
		procfs_helper_share(b->helper, read_job_item, &s, s.n_closes + s.n);
		b->n_closing = 0;
		return;
	}
	close_queued(b);
	for (size_t k = 0; k < s.n; k++)
		read_job_item(&s, k);
}

bool procfs_batch_read_ahead(struct procfs_batch *b, struct procfs_batch_item *items, size_t n)
{
	procfs_batch_drop(b);
	if (n > PROCFS_BATCH_MAX)
		n = PROCFS_BATCH_MAX;
	int e = atomic_load(&forced_engine);
	if (e == PROCFS_BATCH_AUTO)
		e = cheapest_engine(NULL);
	if (e != PROCFS_BATCH_THREADS || !can_run(b, e, n))
		return false;
	b->last_engine = e;
	for (size_t i = 0; i < n; i++)
		items[i].dirfd = -1;    /* until read: a dropped item has none to close */
	/* The job's own copy: the caller queues more while it runs. */
	memcpy(b->ahead_closes, b->closing, b->n_closing * sizeof(*b->closing));
	b->ahead.b = b;
	b->ahead.items = items;
	b->ahead.from = 0;
	b->ahead.n = n;
	b->ahead.closes = b->ahead_closes;
	b->ahead.n_closes = b->n_closing;
	b->ahead.children_only = false;
	atomic_store(&b->ahead.cancelled, false);
	b->n_closing = 0;
	b->ahead_pending = true;
	procfs_helper_post(b->helper, read_job_item, &b->ahead, b->ahead.n_closes + n);
	return true;
}

static atomic_ulong ahead_used, ahead_dropped;

void procfs_batch_ahead_counts(unsigned long *used, unsigned long *dropped)
{
	*used = atomic_load(&ahead_used);
	*dropped = atomic_load(&ahead_dropped);
}

size_t procfs_batch_pending(const struct procfs_batch *b)
{
	return b->ahead_pending ? b->ahead.n : 0;
}

void procfs_batch_wait(struct procfs_batch *b)
{
	if (!b->ahead_pending)
		return;
	/*
	 * What the caller waits for is what the engine costs it: little while
	 * the other CPU is free, about the syscalls engine's cost when it is
	 * not (the caller then reads the items itself), so the measure leaves
	 * this engine when the read ahead stops paying.
	 */
	bool timed = atomic_load(&forced_engine) == PROCFS_BATCH_AUTO &&
	    b->ahead.n >= MEASURE_MIN && !atomic_load(&b->ahead.cancelled);
	unsigned long long start = timed ? now_ns() : 0;
	procfs_helper_finish(b->helper);
	b->ahead_pending = false;
	if (!atomic_load(&b->ahead.cancelled))
		atomic_fetch_add(&ahead_used, 1);
	if (timed)
		record(PROCFS_BATCH_THREADS, now_ns() - start, b->ahead.n);
}

void procfs_batch_drop(struct procfs_batch *b)
{
	if (!b->ahead_pending)
		return;
	atomic_store(&b->ahead.cancelled, true);
	atomic_fetch_add(&ahead_dropped, 1);
	procfs_batch_wait(b);
	for (size_t i = 0; i < b->ahead.n; i++)
		fd_closep(&b->ahead.items[i].dirfd);
}

void procfs_batch_read(struct procfs_batch *b, struct procfs_batch_item *items, size_t n)
{
	procfs_batch_drop(b);
	if (n > PROCFS_BATCH_MAX)
		n = PROCFS_BATCH_MAX;
	if (n == 0)
		return;
	for (size_t from = 0; from < n;) {
		bool timed;
		size_t take;
		int e = pick_engine(b, n - from, &timed, &take);
		unsigned long long start = timed ? now_ns() : 0;
		read_with(b, e, items, from, from + take, false);
		if (timed && b->last_engine == e)
			record(e, now_ns() - start, take);
		from += take;
	}
}

void procfs_batch_read_children(struct procfs_batch *b, struct procfs_batch_item *items,
    size_t n)
{
	if (n > PROCFS_BATCH_MAX)
		n = PROCFS_BATCH_MAX;
	if (n == 0)
		return;
	procfs_batch_drop(b);
	/* Other files than the measure's (a later pass of REAP_KILL): its choice. */
	int e = atomic_load(&forced_engine);
	if (e == PROCFS_BATCH_AUTO)
		e = cheapest_engine(NULL);
	if (e == PROCFS_BATCH_AUTO)
		e = PROCFS_BATCH_SYSCALLS;
	read_with(b, can_run(b, e, n) ? e : PROCFS_BATCH_SYSCALLS, items, 0, n, true);
}

enum procfs_batch_engine procfs_batch_engine(const struct procfs_batch *b)
{
	return (enum procfs_batch_engine)b->last_engine;
}

void procfs_batch_close_later(struct procfs_batch *b, int fd)
{
	if (fd < 0)
		return;
	bool later = (b->ring != NULL && b->last_engine == PROCFS_BATCH_IO_URING) ||
	    (b->helper != NULL && b->last_engine == PROCFS_BATCH_THREADS);
	if (!later || b->n_closing == PROCFS_BATCH_MAX) {
		close(fd);
		return;
	}
	b->closing[b->n_closing++] = fd;
}

void procfs_batch_fini(struct procfs_batch *b)
{
	procfs_batch_drop(b);
	b->helper_ended = procfs_helper_stop(b->helper);
	b->helper = NULL;
	/* What no batch came to close. */
	close_queued(b);
	/* Kept for the thread's next call, unless a nested one kept its own. */
	if (kept.owner == 0 && b->stat_buf != NULL && b->children_buf != NULL) {
		pthread_once(&kept_once, kept_key_create);
		kept = (struct kept){ b->ring, b->stat_buf, b->children_buf, gettid() };
		(void)pthread_setspecific(kept_key, &kept);
	} else {
		struct kept mine = { b->ring, b->stat_buf, b->children_buf, 0 };
		kept_free(&mine);
	}
	b->ring = NULL;
	b->stat_buf = b->children_buf = NULL;
}
