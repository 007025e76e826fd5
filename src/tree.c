/* SPDX-License-Identifier: BSD-2-Clause */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fdutil.h"
#include "pidset.h"
#include "procfs_batch.h"

/* Deeper than this, a process on the path is held by pid and start time. */
#define MAX_OPEN_DEPTH 128
/* At most this many /proc directories read ahead of the visits, in all. */
#define MAX_READ_AHEAD 256
/* A guessed batch smaller than this is not read ahead: sharing it gains little. */
#define GUESS_MIN 8

enum { MODE_UNKNOWN = -1 };
static atomic_int probed_mode = MODE_UNKNOWN;
static atomic_bool force_full_scan;

void tree_force_full_scan(bool on)
{
	atomic_store(&force_full_scan, on);
}

enum tree_mode tree_walk_mode(void)
{
	if (atomic_load(&force_full_scan))
		return TREE_MODE_FULL_SCAN;
	int mode = atomic_load(&probed_mode);
	if (mode == MODE_UNKNOWN) {
		char path[PROCFS_PATH_MAX];
		snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)gettid());
		mode = access(path, R_OK) == 0 ? TREE_MODE_CHILDREN_FILES : TREE_MODE_FULL_SCAN;
		atomic_store(&probed_mode, mode);
	}
	return (enum tree_mode)mode;
}

static int pid_list_push(struct pid_list *l, pid_t pid)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		pid_t *items = realloc(l->items, cap * sizeof(*items));
		if (items == NULL)
			return -ENOMEM;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->len++] = pid;
	return 0;
}

/* A number that cannot be a pid (0, or beyond pid_t) is no child. */
static int push_pid(struct pid_list *out, int64_t pid)
{
	return pid > 0 && pid <= INT32_MAX ? pid_list_push(out, (pid_t)pid) : 0;
}

void pid_list_free(struct pid_list *l)
{
	free(l->items);
	*l = PID_LIST_INIT;
}

/* Space-separated pids from a children file read whole. */
static int parse_children(const char *text, struct pid_list *out)
{
	int64_t pid = 0;
	bool in_number = false;
	for (const char *p = text;; p++) {
		if (*p >= '0' && *p <= '9') {
			/* Once past INT32_MAX it grows no more: no overflow. */
			if (pid <= INT32_MAX)
				pid = pid * 10 + (*p - '0');
			in_number = true;
		} else {
			if (in_number) {
				int r = push_pid(out, pid);
				if (r < 0)
					return r;
			}
			pid = 0;
			in_number = false;
			if (*p == '\0')
				return 0;
		}
	}
}

/* Space-separated pids, parsed as they stream in, whatever their number. */
static int read_children_file(int at, const char *path, struct pid_list *out)
{
	int fd = openat(at, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : -errno;  /* thread gone */

	char buf[4096];
	int64_t pid = 0;
	bool in_number = false;
	int r = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = errno == ESRCH ? 0 : -errno;
			break;
		}
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n && r == 0; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				/* Once past INT32_MAX it grows no more: no overflow. */
				if (pid <= INT32_MAX)
					pid = pid * 10 + (buf[i] - '0');
				in_number = true;
			} else if (in_number) {
				r = push_pid(out, pid);
				pid = 0;
				in_number = false;
			}
		}
		if (r < 0)
			break;
	}
	if (r == 0 && in_number)
		r = push_pid(out, pid);
	close(fd);
	return r;
}

int tree_read_children_file(int at, const char *path, struct pid_list *out)
{
	return read_children_file(at, path, out);
}

int tree_parse_children(const char *text, struct pid_list *out)
{
	return parse_children(text, out);
}

/*
 * The children of a process, from the children file of each of its threads.
 * task is its "task" directory, relative to dirfd.  One thread (the usual
 * case): its children file is the only one, and the directory is skipped.
 */
static int read_children(int at, const char *task, pid_t pid, long threads,
    struct pid_list *out)
{
	char path[PROCFS_PATH_MAX + 256 + 16];
	if (threads == 1) {
		snprintf(path, sizeof(path), "%s/%d/children", task, (int)pid);
		return read_children_file(at, path, out);
	}
	int taskfd = openat(at, task, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskfd < 0)
		return errno == ENOENT || errno == ESRCH || errno == EACCES ? 0 : -errno;
	DIR *dir = fdopendir(taskfd);
	if (dir == NULL) {
		int err = -errno;
		close(taskfd);
		return err;
	}
	int r = 0;
	struct dirent *de;
	while (r == 0 && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/children", de->d_name);
		r = read_children_file(dirfd(dir), path, out);
	}
	closedir(dir);
	return r;
}

/* The fallback: every process on the machine, ordered by parent. */
struct snapshot {
	struct proc_stat *procs;
	size_t len, cap;
};

static int compare_ppid(const void *a, const void *b)
{
	const struct proc_stat *x = a, *y = b;
	return (x->ppid > y->ppid) - (x->ppid < y->ppid);
}

static int snapshot_add(pid_t pid, void *ctx)
{
	struct snapshot *s = ctx;
	struct proc_stat st;
	if (procfs_read_stat(pid, &st) < 0)
		return 0;   /* gone already */
	if (s->len == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct proc_stat *procs = realloc(s->procs, cap * sizeof(*procs));
		if (procs == NULL)
			return -ENOMEM;
		s->procs = procs;
		s->cap = cap;
	}
	s->procs[s->len++] = st;
	return 0;
}

static int snapshot_take(struct snapshot *s)
{
	int r = procfs_for_each_process(snapshot_add, s);
	if (r < 0)
		return r == -ENOMEM ? r : -ENOTSUP;
	if (s->len > 1)
		qsort(s->procs, s->len, sizeof(*s->procs), compare_ppid);
	return 0;
}

static int children_from_snapshot(const struct snapshot *s, pid_t parent,
    struct pid_list *out)
{
	size_t lo = 0, hi = s->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->procs[mid].ppid < parent)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < s->len && s->procs[i].ppid == parent; i++) {
		int r = pid_list_push(out, s->procs[i].pid);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A child read ahead, checked against its parent, not yet visited. */
struct read_ahead {
	struct pidref ref;      /* its directory, or (unpinned) pid and start time */
	struct proc_stat stat;
	struct pid_list kids;
	bool kids_again;        /* threads, or a long file: read them all when visited */
};

/* A process on the current path, and where the walk is in its children. */
struct frame {
	struct pidref ref;
	bool self;              /* the caller: alive by definition */
	bool owned;             /* opened by the walk: closed when left */
	pid_t subtree;
	unsigned int depth;
	struct pid_list children;
	size_t next;            /* the next child to read */
	struct read_ahead *ahead;   /* read and not yet visited */
	size_t ahead_next, ahead_len;
};

struct walk {
	tree_visit_fn *fn;
	void *ctx;
	struct frame *stack;
	size_t depth, cap;
	struct pidset visited;
	struct snapshot snapshot;
	bool full_scan;
	bool pinned;            /* nodes held by their /proc directories */
	struct procfs_batch batch;
	struct procfs_batch_item *items;    /* [PROCFS_BATCH_MAX], one batch's */
	bool batch_open;
	bool moved;             /* a sign that the tree changed while walked */
	size_t held;            /* directories held by read-ahead entries */
};

/* The children of the process ref names, read through its own directory. */
static int children_of(struct walk *w, const struct pidref *ref, bool self,
    long threads, struct pid_list *out)
{
	if (w->full_scan)
		return children_from_snapshot(&w->snapshot, ref->pid, out);
	if (self)
		return read_children(AT_FDCWD, "/proc/self/task", ref->pid, 0, out);
	if (ref->procdir)
		return read_children(ref->fd, "task", ref->pid, threads, out);
	/*
	 * Held by a pidfd (the root, found by target_open()): read by pid.
	 * Each child is checked against the root's pidfd before it counts.
	 */
	char task[PROCFS_PATH_MAX];
	procfs_path(task, sizeof(task), ref->pid, "task");
	return read_children(AT_FDCWD, task, ref->pid, threads, out);
}

static int push(struct walk *w, struct frame f)
{
	if (w->depth == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct frame *stack = realloc(w->stack, cap * sizeof(*stack));
		if (stack == NULL)
			return -ENOMEM;
		w->stack = stack;
		w->cap = cap;
	}
	w->stack[w->depth++] = f;
	return 0;
}

/* A node's ref once done with: its directory closed with the next batch. */
static void release(struct walk *w, struct pidref *ref)
{
	if (ref->procdir && ref->fd >= 0 && w->batch_open) {
		procfs_batch_close_later(&w->batch, ref->fd);
		ref->fd = -1;
	}
	pidref_close(ref);
}

static void leave(struct walk *w, struct frame *f)
{
	if (f->owned)
		release(w, &f->ref);
	pid_list_free(&f->children);
	for (; f->ahead_next < f->ahead_len; f->ahead_next++) {
		struct read_ahead *a = &f->ahead[f->ahead_next];
		if (a->ref.fd >= 0)
			w->held--;
		release(w, &a->ref);
		pid_list_free(&a->kids);
	}
	free(f->ahead);
	f->ahead = NULL;
}

/*
 * Run the callback on n, whose children are kids; to descend, n becomes a
 * frame on the stack, which then owns its ref and kids (both emptied here).
 */
static int call_and_descend(struct walk *w, struct tree_node *n, struct pid_list *kids)
{
	n->children = kids;
	int r = w->fn(n, w->ctx);
	if (r == TREE_RESULT(TREE_DESCEND) && kids->len > 0) {
		struct frame f = { .ref = n->ref, .owned = true, .subtree = n->subtree,
		    .depth = n->depth, .children = *kids, .next = 0 };
		/* Past the limit, hold it by pid and start time: verified by /proc. */
		if (n->depth > MAX_OPEN_DEPTH) {
			fd_closep(&f.ref.fd);
			f.ref.procdir = false;
		}
		r = push(w, f);
		if (r == 0) {
			n->ref = PIDREF_NULL;
			*kids = PID_LIST_INIT;
		} else {
			n->ref.fd = f.ref.fd;
		}
		return r;
	}
	return r == TREE_RESULT(TREE_PRUNE) || r == TREE_RESULT(TREE_DESCEND) ? 0 : r;
}

/*
 * Visit one child listed by the frame on top.  *parent_gone: the parent was
 * reaped, so its remaining children were reparented away.
 */
static int visit_child(struct walk *w, pid_t pid, bool *parent_gone)
{
	struct frame *parent = &w->stack[w->depth - 1];
	struct tree_node n;
	struct pid_list kids = PID_LIST_INIT;

	if (pidref_open_procdir(&n.ref, pid, &n.stat) < 0)
		return 0;   /* gone already */
	int r = 0;
	if (n.stat.ppid != parent->ref.pid)
		goto out;   /* reparented, or a new process with that pid */
	if (!parent->self && pidref_verify(&parent->ref) < 0) {
		*parent_gone = true;    /* that pid may mean anyone now */
		goto out;
	}
	r = pidset_add(&w->visited, n.ref.pid, n.ref.starttime, 0);
	if (r <= 0)
		goto out;   /* seen in this pass, or -ENOMEM */

	n.depth = parent->depth + 1;
	n.parent = &parent->ref;
	n.subtree = parent->depth == 0 ? pid : parent->subtree;
	r = children_of(w, &n.ref, false, n.stat.num_threads, &kids);
	if (r < 0)
		goto out;
	r = call_and_descend(w, &n, &kids);
out:
	pidref_close(&n.ref);
	pid_list_free(&kids);
	return r;
}

/* Whether the batch read ahead is the one this read would start with. */
static bool ahead_is(struct walk *w, const pid_t *pids, size_t n)
{
	size_t m = procfs_batch_pending(&w->batch);
	if (m == 0 || m > n)
		return false;
	for (size_t i = 0; i < m; i++)
		if (w->items[i].pid != pids[i])
			return false;
	return true;
}

/*
 * The batch the walk will most likely read next, started in the background
 * so that the helper thread reads it while the caller visits what it has:
 * the children of the first process to visit that has some, else the rest
 * of a family, on the top frame first and then down the stack, as the
 * depth-first order will come to them.  A guess only: the callback may
 * prune that process, or a process with threads has its children read
 * when visited; a read that turns out not to be the one guessed drops it
 * (read_ahead()).
 */
static void guess_next_batch(struct walk *w)
{
	for (size_t d = w->depth; d-- > 0;) {
		struct frame *g = &w->stack[d];
		const pid_t *pids = NULL;
		size_t len = 0;
		for (size_t j = g->ahead_next; j < g->ahead_len && pids == NULL; j++) {
			const struct read_ahead *a = &g->ahead[j];
			if (a->kids_again)
				return;     /* its children are not known yet */
			if (a->kids.len > 0) {
				pids = a->kids.items;
				len = a->kids.len;
			}
		}
		if (pids == NULL && g->next < g->children.len) {
			pids = g->children.items + g->next;
			len = g->children.len - g->next;
		}
		if (pids == NULL)
			continue;
		size_t n = len < PROCFS_BATCH_MAX ? len : PROCFS_BATCH_MAX;
		if (w->pinned) {
			size_t room = w->held < MAX_READ_AHEAD ? MAX_READ_AHEAD - w->held : 0;
			n = n < room ? n : room;
		}
		if (n < GUESS_MIN)
			return;
		for (size_t i = 0; i < n; i++)
			w->items[i].pid = pids[i];
		(void)procfs_batch_read_ahead(&w->batch, w->items, n);
		return;
	}
}

/*
 * Read the frame's next children together (one io_uring submission, or one
 * system call per file; or take them from the batch read ahead), then check
 * the parent once: alive after all their stat reads, so a child whose stat
 * names it is its child, as when each is checked on its own.
 */
static int read_ahead(struct walk *w, struct frame *f)
{
	size_t n = f->children.len - f->next;
	if (n > PROCFS_BATCH_MAX)
		n = PROCFS_BATCH_MAX;
	if (w->pinned) {
		size_t room = w->held < MAX_READ_AHEAD ? MAX_READ_AHEAD - w->held : 0;
		n = n < room ? n : room > 0 ? room : 1;
	}
	if (f->ahead == NULL) {
		size_t most = f->children.len < PROCFS_BATCH_MAX ? f->children.len : PROCFS_BATCH_MAX;
		f->ahead = malloc(most * sizeof(*f->ahead));
		if (f->ahead == NULL)
			return -ENOMEM;
	}
	struct procfs_batch_item *items = w->items;
	const pid_t *pids = f->children.items + f->next;
	if (ahead_is(w, pids, n)) {
		n = procfs_batch_pending(&w->batch);
		procfs_batch_wait(&w->batch);
	} else {
		procfs_batch_drop(&w->batch);
		for (size_t i = 0; i < n; i++)
			items[i].pid = pids[i];
		procfs_batch_read(&w->batch, items, n);
	}
	f->next += n;
	bool parent_gone = !f->self && pidref_verify(&f->ref) < 0;
	if (parent_gone) {
		f->next = f->children.len;  /* that pid may mean anyone now */
		w->moved = true;
	}

	int r = 0;
	f->ahead_next = f->ahead_len = 0;
	for (size_t i = 0; i < n; i++) {
		struct procfs_batch_item *it = &items[i];
		/* Out of descriptors or memory: a process must not be passed over for it. */
		if (r == 0 && (it->result == -EMFILE || it->result == -ENFILE ||
		    it->result == -ENOMEM))
			r = it->result;
		/* Gone already, reparented, or a new process with that pid. */
		if (r < 0 || parent_gone || it->result < 0 || it->stat.ppid != f->ref.pid) {
			/* Gone (its children went to a reaper), or moved itself. */
			w->moved = true;
			fd_closep(&it->dirfd);
			continue;
		}
		/* Dead or dying: its children have gone, or are going, to a reaper. */
		if (proc_stat_is_zombie(&it->stat) || proc_stat_is_exiting(&it->stat))
			w->moved = true;
		struct read_ahead *a = &f->ahead[f->ahead_len++];
		a->ref = (struct pidref){ .pid = it->pid, .fd = it->dirfd,
		    .procdir = it->dirfd >= 0, .starttime = it->stat.starttime };
		if (a->ref.fd >= 0)
			w->held++;
		a->stat = it->stat;
		a->kids = PID_LIST_INIT;
		a->kids_again = it->children_truncated || it->stat.num_threads > 1;
		if (!a->kids_again)
			r = parse_children(it->children, &a->kids);
	}
	if (r == 0)
		guess_next_batch(w);
	return r;
}

/* Visit the next child read ahead by the frame on top. */
static int visit_read_ahead(struct walk *w, struct frame *parent, struct read_ahead *a)
{
	struct tree_node n = { .ref = a->ref, .stat = a->stat };
	struct pid_list kids = a->kids;
	if (a->ref.fd >= 0)
		w->held--;
	a->ref = PIDREF_NULL;
	a->kids = PID_LIST_INIT;

	int r = pidset_add(&w->visited, n.ref.pid, n.ref.starttime, 0);
	if (r == 0)
		w->moved = true;    /* met twice: it was reparented meanwhile */
	if (r <= 0)
		goto out;   /* seen in this pass, or -ENOMEM */
	n.depth = parent->depth + 1;
	n.parent = &parent->ref;
	n.subtree = parent->depth == 0 ? n.ref.pid : parent->subtree;
	if (a->kids_again) {
		/* Through its directory, or by pid: each child is checked against it. */
		r = children_of(w, &n.ref, false, n.stat.num_threads, &kids);
		if (r < 0)
			goto out;
	}
	r = call_and_descend(w, &n, &kids);
out:
	release(w, &n.ref);
	pid_list_free(&kids);
	return r;
}

static int walk_begin(struct walk *w, bool pinned, tree_visit_fn *fn, void *ctx)
{
	*w = (struct walk){ .visited = PIDSET_INIT };
	if (!procfs_pidns_is_ours())
		return -ENOTSUP;
	*w = (struct walk){
		.fn = fn, .ctx = ctx,
		.visited = PIDSET_INIT,
		.full_scan = tree_walk_mode() == TREE_MODE_FULL_SCAN,
		.pinned = pinned,
	};
	w->items = malloc(PROCFS_BATCH_MAX * sizeof(*w->items));
	if (w->items == NULL)
		return -ENOMEM;
	int r = procfs_batch_init(&w->batch, pinned);
	if (r < 0)
		return r;
	w->batch_open = true;
	if (w->full_scan)
		r = snapshot_take(&w->snapshot);
	return r;
}

/* Depth first from the frames on the stack, until they are all left. */
static int walk_run(struct walk *w)
{
	int r = 0;
	while (r == 0 && w->depth > 0) {
		struct frame *f = &w->stack[w->depth - 1];
		if (!w->full_scan && f->ahead_next < f->ahead_len) {
			struct read_ahead *a = &f->ahead[f->ahead_next++];
			r = visit_read_ahead(w, f, a);
			continue;
		}
		if (f->next == f->children.len) {
			leave(w, f);
			w->depth--;
			continue;
		}
		if (!w->full_scan) {
			r = read_ahead(w, f);
			continue;
		}
		bool parent_gone = false;
		r = visit_child(w, f->children.items[f->next++], &parent_gone);
		if (parent_gone)
			w->stack[w->depth - 1].next = w->stack[w->depth - 1].children.len;
	}
	return r == TREE_RESULT(TREE_STOP) ? 0 : r;
}

static void walk_end(struct walk *w)
{
	if (w->batch_open)
		procfs_batch_drop(&w->batch);
	while (w->depth > 0)
		leave(w, &w->stack[--w->depth]);
	free(w->stack);
	free(w->snapshot.procs);
	pidset_free(&w->visited);
	free(w->items);
	if (w->batch_open)
		procfs_batch_fini(&w->batch);
}

static int walk_tree(const struct target *root, bool pinned, tree_visit_fn *fn, void *ctx,
    bool *moved, pid_t *helper)
{
	struct walk w;
	int r = walk_begin(&w, pinned, fn, ctx);
	struct frame top = { .ref = root->ref, .self = root->self, .owned = false, .depth = 0 };
	if (r == 0)
		r = children_of(&w, &root->ref, root->self,
		    root->self ? 0 : root->stat.num_threads, &top.children);
	if (r == 0)
		r = push(&w, top);
	else
		pid_list_free(&top.children);
	if (r == 0)
		r = walk_run(&w);
	if (moved != NULL)
		*moved = w.moved || w.full_scan;
	walk_end(&w);
	if (helper != NULL)
		*helper = w.batch.helper_ended;
	return r;
}

int tree_children_now(struct tree_again *nodes, size_t n)
{
	if (tree_walk_mode() == TREE_MODE_FULL_SCAN)
		return -ENOTSUP;
	struct batch_of_nodes {
		struct procfs_batch_item items[PROCFS_BATCH_MAX];
		size_t idx[PROCFS_BATCH_MAX];   /* the node of each item */
	} *batch = malloc(sizeof(*batch));
	if (batch == NULL)
		return -ENOMEM;
	struct procfs_batch_item *items = batch->items;
	size_t *idx = batch->idx;
	struct procfs_batch b;
	int r = procfs_batch_init(&b, false);
	if (r < 0) {
		free(batch);
		return r;
	}
	for (size_t i = 0; r == 0 && i < n;) {
		size_t k = 0;
		for (; i < n && k < PROCFS_BATCH_MAX; i++) {
			struct tree_again *a = &nodes[i];
			a->children.len = 0;
			if (a->depth == 0) {
				/* The root, as the first pass read it. */
				struct walk w = { .full_scan = false };
				r = children_of(&w, &a->ref, a->self, a->self ? 0 : a->threads,
				    &a->children);
				if (r < 0)
					break;
				continue;
			}
			items[k].pid = a->ref.pid;
			idx[k++] = i;
		}
		if (r < 0 || k == 0)
			break;
		procfs_batch_read_children(&b, items, k);
		for (size_t j = 0; r == 0 && j < k; j++) {
			struct procfs_batch_item *it = &items[j];
			struct tree_again *a = &nodes[idx[j]];
			if (it->result == -ESRCH)
				continue;   /* gone: its children went to a reaper */
			if (it->result < 0) {
				r = it->result;     /* a process must not be passed over */
				break;
			}
			/* More threads (or not known): every thread's file, by pid. */
			if (it->stat.num_threads != 1 || it->children_truncated) {
				char task[PROCFS_PATH_MAX];
				procfs_path(task, sizeof(task), a->ref.pid, "task");
				r = read_children(AT_FDCWD, task, a->ref.pid, 0, &a->children);
			} else {
				r = parse_children(it->children, &a->children);
			}
		}
	}
	procfs_batch_fini(&b);
	free(batch);
	return r;
}

int tree_walk_below(struct tree_again *nodes, size_t n, tree_visit_fn *fn, void *ctx)
{
	struct walk w;
	int r = walk_begin(&w, false, fn, ctx);
	/* Pushed last first: visited in the order given. */
	for (size_t i = n; r == 0 && i-- > 0;) {
		struct tree_again *a = &nodes[i];
		if (a->children.len == 0)
			continue;
		struct frame f = { .ref = a->ref, .self = a->self, .owned = false,
		    .subtree = a->subtree, .depth = a->depth, .children = a->children };
		r = push(&w, f);
		if (r == 0)
			a->children = PID_LIST_INIT;    /* the frame's now */
	}
	if (r == 0)
		r = walk_run(&w);
	walk_end(&w);
	return r;
}

int tree_walk(const struct target *root, tree_visit_fn *fn, void *ctx)
{
	return walk_tree(root, true, fn, ctx, NULL, NULL);
}

int tree_walk_watching(const struct target *root, tree_visit_fn *fn, void *ctx, bool *moved,
    pid_t *helper)
{
	return walk_tree(root, true, fn, ctx, moved, helper);
}

int tree_walk_unpinned(const struct target *root, tree_visit_fn *fn, void *ctx)
{
	return walk_tree(root, false, fn, ctx, NULL, NULL);
}
