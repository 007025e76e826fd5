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

/* One sock_diag request: attributes of the unix socket with inode ino. */
static int diag_query(int diag, unsigned int ino, unsigned int show,
    unsigned int *peer, unsigned int *uid)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} msg;
	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST;
	msg.req.sdiag_family = AF_UNIX;
	msg.req.udiag_states = ~0U;
	msg.req.udiag_ino = ino;
	msg.req.udiag_show = show;
	msg.req.udiag_cookie[0] = msg.req.udiag_cookie[1] = ~0U;
	if (send(diag, &msg, sizeof(msg), 0) != (ssize_t)sizeof(msg))
		return -errno;

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

bool registry_says_reaper(struct registry_lookup *l, const struct pidref *ref)
{
	if (l->sock < 0) {
		l->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (l->sock < 0)
			return false;
		l->pidns = own_pidns();
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

void registry_lookup_close(struct registry_lookup *l)
{
	fd_closep(&l->sock);
	fd_closep(&l->diag);
}
