/* SPDX-License-Identifier: BSD-2-Clause */
#include "reaper_registry.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fdutil.h"
#include "lifecycle.h"
#include "procfs.h"

/* The caller's own announcement; -1 when it has none. */
static atomic_int announcement = -1;

/*
 * The pid namespace the caller numbers processes in.  Abstract socket names
 * belong to the network namespace, which pid namespaces often share (every
 * container on a host network): without this, "pid 2" of one namespace
 * would answer for "pid 2" of another.
 */
static unsigned long long own_pidns(void)
{
	struct stat st;
	return stat("/proc/self/ns/pid", &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

static socklen_t name_of(struct sockaddr_un *addr, unsigned long long pidns,
    pid_t pid, uint64_t starttime)
{
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	/* sun_path[0] stays '\0': the abstract namespace, nothing on disk. */
	int n = snprintf(addr->sun_path + 1, sizeof(addr->sun_path) - 1,
	    "libprocctl/reaper/%llu/%d/%llu", pidns, (int)pid,
	    (unsigned long long)starttime);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

/* A fork child is not a reaper (the kernel does not copy the flag either). */
void registry_fork_child(void)
{
	int fd = atomic_exchange(&announcement, -1);
	if (fd >= 0)
		close(fd);
}

int registry_announce(void)
{
	struct proc_stat st;
	int r = procfs_read_stat(0, &st);
	if (r < 0)
		return r;

	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_un addr;
	socklen_t len = name_of(&addr, own_pidns(), getpid(), st.starttime);
	if (bind(fd, (struct sockaddr *)&addr, len) != 0) {
		r = -errno;
		close(fd);
		/* Already announced (two threads acquiring at once): fine. */
		return r == -EADDRINUSE ? 0 : r;
	}
	int old = atomic_exchange(&announcement, fd);
	if (old >= 0)
		close(old);
	return 0;
}

void registry_withdraw(void)
{
	int fd = atomic_exchange(&announcement, -1);
	if (fd >= 0)
		close(fd);
}

/* After execve the flag is still set but the old image's socket is gone. */
void registry_at_load(void)
{
	int on = 0;
	if (prctl(PR_GET_CHILD_SUBREAPER, &on, 0, 0, 0) == 0 && on)
		(void)registry_announce();
}

/*
 * Ask sock_diag about unix sockets in every state (one that anyone has
 * connected to stays "established" for good): the one with inode ino, or
 * all of them with NLM_F_DUMP.
 */
static int diag_request(int diag, unsigned short flags, unsigned int ino, unsigned int show)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} msg;
	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	msg.req.sdiag_family = AF_UNIX;
	msg.req.udiag_states = ~0U;
	msg.req.udiag_ino = ino;
	msg.req.udiag_show = show;
	msg.req.udiag_cookie[0] = msg.req.udiag_cookie[1] = ~0U;
	return send(diag, &msg, sizeof(msg), 0) == (ssize_t)sizeof(msg) ? 0 : -errno;
}

/* One sock_diag request: attributes of the unix socket with inode ino. */
static int diag_query(int diag, unsigned int ino, unsigned int show,
    unsigned int *peer, unsigned int *uid)
{
	int r = diag_request(diag, 0, ino, show);
	if (r < 0)
		return r;

	union {
		struct nlmsghdr nlh;
		char bytes[1024];
	} reply;
	ssize_t n = recv(diag, &reply, sizeof(reply), 0);
	if (n < 0)
		return -errno;
	if (n < (ssize_t)NLMSG_LENGTH(0) || !NLMSG_OK(&reply.nlh, (size_t)n))
		return -EIO;
	if (reply.nlh.nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(&reply.nlh);
		return e->error < 0 ? e->error : -EIO;
	}
	const struct unix_diag_msg *m = NLMSG_DATA(&reply.nlh);
	int len = (int)reply.nlh.nlmsg_len - (int)NLMSG_LENGTH(sizeof(*m));
	for (const struct rtattr *a = (const void *)(m + 1); RTA_OK(a, len);
	    a = RTA_NEXT(a, len)) {
		if (a->rta_type == UNIX_DIAG_PEER && peer != NULL)
			memcpy(peer, RTA_DATA(a), sizeof(*peer));
		if (a->rta_type == UNIX_DIAG_UID && uid != NULL)
			memcpy(uid, RTA_DATA(a), sizeof(*uid));
	}
	return 0;
}

/* The owner of the socket our lookup socket is connected to. */
static int announcement_owner(struct registry_lookup *l, uid_t *owner)
{
	if (l->diag < 0) {
		l->diag = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		if (l->diag < 0)
			return -errno;
	}
	struct stat st;
	if (fstat(l->sock, &st) != 0)
		return -errno;
	unsigned int peer = 0, uid = ~0U;
	int r = diag_query(l->diag, (unsigned int)st.st_ino, UDIAG_SHOW_PEER, &peer, NULL);
	if (r < 0)
		return r;
	if (peer == 0)
		return -ENOENT;
	r = diag_query(l->diag, peer, UDIAG_SHOW_UID, NULL, &uid);
	if (r < 0)
		return r;
	if (uid == ~0U)
		return -ENOTSUP;    /* a kernel before 5.3 does not say */
	*owner = uid;
	return 0;
}

/*
 * Root may announce for anyone (it could set the flag for real); anyone
 * else only with a uid the target itself holds.  A reaper that changes to
 * uids other than the one it announced under is no longer recognised.
 */
static bool owner_may_speak_for(uid_t owner, const struct pidref *ref)
{
	if (owner == 0)
		return true;
	struct proc_ids ids;
	if (procfs_status_ids(ref->pid, &ids) < 0)
		return false;
	for (int i = 0; i < 4; i++)
		if (ids.uid[i] == owner)
			return pidref_verify(ref) == 0;
	return false;
}

/* The way without a snapshot: connect to the name the candidate would hold. */
static bool says_reaper_by_connect(struct registry_lookup *l, const struct pidref *ref)
{
	if (l->sock < 0) {
		l->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (l->sock < 0)
			return false;
	}
	struct sockaddr_un addr;
	socklen_t len = name_of(&addr, l->pidns, ref->pid, ref->starttime);
	/* A datagram socket may be connected again, to another name. */
	if (connect(l->sock, (struct sockaddr *)&addr, len) != 0)
		return false;   /* ECONNREFUSED: no such announcement */
	uid_t owner = 0;
	if (announcement_owner(l, &owner) < 0)
		return false;   /* unverifiable is not believed */
	return owner_may_speak_for(owner, ref);
}

static atomic_bool force_per_process;
static atomic_uint snapshots_taken;

unsigned int registry_snapshots_taken(void)
{
	return atomic_load(&snapshots_taken);
}

void registry_force_per_process(bool on)
{
	atomic_store(&force_per_process, on);
}

/* "libprocctl/reaper/<pidns>/<pid>/<start time>", abstract, as name_of() makes it. */
static bool parse_name(const char *name, size_t len, const char *prefix, size_t prefix_len,
    pid_t *pid, uint64_t *starttime)
{
	if (len <= prefix_len + 1 || name[0] != '\0' || memcmp(name + 1, prefix, prefix_len) != 0)
		return false;
	unsigned long long v[2] = { 0, 0 };
	size_t i = 1 + prefix_len;
	for (int k = 0; k < 2; k++) {
		size_t digits = 0;
		for (; i < len && name[i] >= '0' && name[i] <= '9' && digits < 20; i++, digits++)
			v[k] = v[k] * 10 + (unsigned long long)(name[i] - '0');
		if (digits == 0)
			return false;
		if (k == 0 && (i == len || name[i++] != '/'))
			return false;
	}
	if (i != len || v[0] == 0 || v[0] > INT32_MAX)
		return false;
	*pid = (pid_t)v[0];
	*starttime = v[1];
	return true;
}

static int add_entry(struct registry_lookup *l, pid_t pid, uint64_t starttime, uid_t owner)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct registry_entry *items = realloc(l->items, cap * sizeof(*items));
		if (items == NULL)
			return -ENOMEM;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->len++] = (struct registry_entry){ pid, owner, starttime };
	return 0;
}

/* One unix_diag_msg of the dump: an announcement of our pid namespace? */
static int take_message(struct registry_lookup *l, const struct nlmsghdr *h,
    const char *prefix, size_t prefix_len)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return -EIO;
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*m));
	const char *name = NULL;
	size_t name_len = 0;
	unsigned int uid = ~0U;
	for (const struct rtattr *a = (const void *)(m + 1); RTA_OK(a, len);
	    a = RTA_NEXT(a, len)) {
		if (a->rta_type == UNIX_DIAG_NAME) {
			name = RTA_DATA(a);
			name_len = RTA_PAYLOAD(a);
		} else if (a->rta_type == UNIX_DIAG_UID && RTA_PAYLOAD(a) >= sizeof(uid)) {
			memcpy(&uid, RTA_DATA(a), sizeof(uid));
		}
	}
	pid_t pid;
	uint64_t starttime;
	/* No owner (a kernel before 5.3 does not say): unverifiable, not believed. */
	if (name == NULL || uid == ~0U ||
	    !parse_name(name, name_len, prefix, prefix_len, &pid, &starttime))
		return 0;
	return add_entry(l, pid, starttime, (uid_t)uid);
}

static int compare_entries(const void *a, const void *b)
{
	const struct registry_entry *x = a, *y = b;
	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->starttime > y->starttime) - (x->starttime < y->starttime);
}

/*
 * Every unix socket of our network namespace, with its name and owner, in
 * one dump; the announcements of our pid namespace are kept.  Every state
 * is asked for: a datagram socket once connected to (by a lookup without
 * the snapshot) is marked established for good.
 */
static int take_snapshot(struct registry_lookup *l)
{
	char prefix[64];
	int n = snprintf(prefix, sizeof(prefix), "libprocctl/reaper/%llu/", l->pidns);
	size_t prefix_len = (size_t)n;

	int diag = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (diag < 0)
		return -errno;
	int r = diag_request(diag, NLM_F_DUMP, 0, UDIAG_SHOW_NAME | UDIAG_SHOW_UID);

	/* 8 KiB at a time, the size the kernel fills a dump's messages to. */
	union {
		struct nlmsghdr nlh;
		char bytes[8192];
	} buf;
	bool done = false;
	while (r == 0 && !done) {
		ssize_t got = recv(diag, &buf, sizeof(buf), 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (got == 0)
			break;
		size_t left = (size_t)got;
		for (const struct nlmsghdr *h = &buf.nlh; r == 0 && NLMSG_OK(h, left);
		    h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				r = e->error < 0 ? e->error : -EIO;
				break;
			}
			if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY)
				r = take_message(l, h, prefix, prefix_len);
		}
	}
	close(diag);
	if (r == 0 && l->len > 1)
		qsort(l->items, l->len, sizeof(*l->items), compare_entries);
	return r;
}

static const struct registry_entry *find_entry(const struct registry_lookup *l,
    const struct pidref *ref)
{
	if (l->len == 0)
		return NULL;    /* bsearch() must not be handed a null array */
	struct registry_entry key = { .pid = ref->pid, .starttime = ref->starttime };
	return bsearch(&key, l->items, l->len, sizeof(*l->items), compare_entries);
}

bool registry_says_reaper(struct registry_lookup *l, const struct pidref *ref)
{
	if (!l->taken) {
		l->taken = true;
		l->pidns = own_pidns();
		l->per_process = atomic_load(&force_per_process);
		/* A dump refused or cut short: nobody is believed, as below. */
		if (!l->per_process) {
			atomic_fetch_add(&snapshots_taken, 1);
			if (take_snapshot(l) < 0)
				l->len = 0;
		}
	}
	if (l->per_process)
		return says_reaper_by_connect(l, ref);
	const struct registry_entry *e = find_entry(l, ref);
	return e != NULL && owner_may_speak_for(e->owner, ref);
}

void registry_lookup_close(struct registry_lookup *l)
{
	fd_closep(&l->sock);
	fd_closep(&l->diag);
	free(l->items);
	*l = REGISTRY_LOOKUP_INIT;
}
