/* SPDX-License-Identifier: BSD-2-Clause */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "pidset.h"

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
		size_t cap = l->cap ? l->cap * 2 : 32;
		pid_t *items = realloc(l->items, cap * sizeof(*items));
		if (items == NULL)
			return -ENOMEM;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->len++] = pid;
	return 0;
}

/* Space-separated pids, parsed as they stream in, whatever their number. */
static int read_children_file(const char *path, struct pid_list *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : -errno;  /* thread gone */

	char buf[4096];
	long pid = 0;
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
				pid = pid * 10 + (buf[i] - '0');
				in_number = true;
			} else if (in_number) {
				r = pid_list_push(out, (pid_t)pid);
				pid = 0;
				in_number = false;
			}
		}
		if (r < 0)
			break;
	}
	if (r == 0 && in_number)
		r = pid_list_push(out, (pid_t)pid);
	close(fd);
	return r;
}

void pid_list_free(struct pid_list *l)
{
	free(l->items);
	*l = PID_LIST_INIT;
}

/* The children of parent, from the children file of each of its threads. */
static int children_from_files(pid_t parent, bool self, long threads,
    struct pid_list *out)
{
	/* One thread: its children file is the only one; skip the directory. */
	if (!self && threads == 1) {
		char path[PROCFS_PATH_MAX];
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)parent, (int)parent);
		return read_children_file(path, out);
	}
	char dir_path[PROCFS_PATH_MAX];
	procfs_path(dir_path, sizeof(dir_path), self ? 0 : parent, "task");
	DIR *dir = opendir(dir_path);
	if (dir == NULL)
		return errno == ENOENT || errno == ESRCH || errno == EACCES ? 0 : -errno;

	int r = 0;
	struct dirent *de;
	while (r == 0 && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[PROCFS_PATH_MAX + 256 + 16];
		snprintf(path, sizeof(path), "%s/%s/children", dir_path, de->d_name);
		r = read_children_file(path, out);
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

static int snapshot_take(struct snapshot *s)
{
	DIR *dir = opendir("/proc");
	if (dir == NULL)
		return -ENOTSUP;
	int r = 0;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		struct proc_stat st;
		if (procfs_read_stat((pid_t)pid, &st) < 0)
			continue;
		if (s->len == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			struct proc_stat *procs = realloc(s->procs, cap * sizeof(*procs));
			if (procs == NULL) {
				r = -ENOMEM;
				break;
			}
			s->procs = procs;
			s->cap = cap;
		}
		s->procs[s->len++] = st;
	}
	closedir(dir);
	if (r == 0)
		qsort(s->procs, s->len, sizeof(*s->procs), compare_ppid);
	return r;
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

struct pending {
	pid_t pid;
	uint64_t starttime;
	pid_t subtree;
	unsigned int depth;
	long threads;           /* as /proc showed when it was visited */
};

struct walk {
	const struct target *root;
	tree_visit_fn *fn;
	void *ctx;
	struct pending *queue;
	size_t head, len, cap;
	struct pidset visited;
	struct pid_list children;
	struct snapshot snapshot;
	bool full_scan;
};

static int enqueue(struct walk *w, struct pending p)
{
	if (w->len == w->cap) {
		/* Reclaim the consumed front before growing. */
		if (w->head > 0) {
			memmove(w->queue, w->queue + w->head, (w->len - w->head) * sizeof(*w->queue));
			w->len -= w->head;
			w->head = 0;
		}
		if (w->len == w->cap) {
			size_t cap = w->cap ? w->cap * 2 : 64;
			struct pending *q = realloc(w->queue, cap * sizeof(*q));
			if (q == NULL)
				return -ENOMEM;
			w->queue = q;
			w->cap = cap;
		}
	}
	w->queue[w->len++] = p;
	return 0;
}

/*
 * Visit one child found under parent.  It counts only if /proc still shows
 * parent as its parent and parent is, at that point, still the process the
 * walk reached (its pid not yet reaped and reused).
 */
static int visit_child(struct walk *w, const struct pending *parent,
    const struct pidref *parent_ref, pid_t child)
{
	struct tree_node n;
	if (pidref_open(&n.ref, child, &n.stat) < 0)
		return 0;   /* gone already */
	int r = 0;
	if (n.stat.ppid != parent->pid)
		goto out;
	if (parent_ref != NULL && pidref_verify(parent_ref) < 0)
		goto out;
	r = pidset_add(&w->visited, n.ref.pid, n.ref.starttime, 0);
	if (r <= 0)
		goto out;   /* seen in this pass, or -ENOMEM */

	n.depth = parent->depth + 1;
	n.subtree = parent->depth == 0 ? child : parent->subtree;
	r = w->fn(&n, w->ctx);
	if (r == TREE_RESULT(TREE_DESCEND))
		r = enqueue(w, (struct pending){ child, n.ref.starttime, n.subtree,
		    n.depth, n.stat.num_threads });
	else if (r == TREE_RESULT(TREE_PRUNE))
		r = 0;
out:
	pidref_close(&n.ref);
	return r;
}

static int expand(struct walk *w, const struct pending *p)
{
	bool is_root = p->depth == 0;
	bool self = is_root && w->root->self;
	struct pidref ref = PIDREF_NULL;
	const struct pidref *parent_ref = NULL;

	if (is_root && !self) {
		parent_ref = &w->root->ref;
	} else if (!is_root) {
		/* Re-open the parent: it may have died since it was queued. */
		if (pidref_open(&ref, p->pid, NULL) < 0 || ref.starttime != p->starttime) {
			pidref_close(&ref);
			return 0;
		}
		parent_ref = &ref;
	}

	w->children.len = 0;
	int r = w->full_scan ? children_from_snapshot(&w->snapshot, p->pid, &w->children)
			     : children_from_files(p->pid, self, p->threads, &w->children);
	for (size_t i = 0; r == 0 && i < w->children.len; i++)
		r = visit_child(w, p, parent_ref, w->children.items[i]);
	pidref_close(&ref);
	return r;
}

int tree_walk(const struct target *root, tree_visit_fn *fn, void *ctx)
{
	if (!procfs_pidns_is_ours())
		return -ENOTSUP;

	struct walk w = {
		.root = root, .fn = fn, .ctx = ctx,
		.visited = PIDSET_INIT,
		.full_scan = tree_walk_mode() == TREE_MODE_FULL_SCAN,
	};
	int r = 0;
	if (w.full_scan)
		r = snapshot_take(&w.snapshot);
	if (r == 0)
		r = enqueue(&w, (struct pending){ root->ref.pid, root->ref.starttime, 0, 0,
		    root->self ? 0 : root->stat.num_threads });

	while (r == 0 && w.head < w.len) {
		struct pending p = w.queue[w.head++];
		r = expand(&w, &p);
	}
	if (r == TREE_RESULT(TREE_STOP))
		r = 0;

	free(w.queue);
	free(w.children.items);
	free(w.snapshot.procs);
	pidset_free(&w.visited);
	return r;
}

int tree_children_of(pid_t pid, long threads, struct pid_list *out)
{
	if (tree_walk_mode() == TREE_MODE_FULL_SCAN) {
		struct snapshot s = { NULL, 0, 0 };
		int r = snapshot_take(&s);
		if (r == 0)
			r = children_from_snapshot(&s, pid, out);
		free(s.procs);
		return r;
	}
	return children_from_files(pid, pid == getpid(), threads, out);
}
