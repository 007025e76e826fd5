/* SPDX-License-Identifier: BSD-2-Clause */
/* Self-restoring calls; see remote_frame.h. */
#include "remote_frame.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ptrace.h>

#include "procfs.h"

/* Executable bytes searched for the gadgets, at most. */
#define GADGET_SCAN_MAX (32 * 1024 * 1024)
#define SCAN_CHUNK 16384

/* Room kept free between the red zone and the frame: the session's scratch. */
#define SCRATCH_ROOM 512

/*
 * Where the gadgets were found last: the file (by inode) and their offsets
 * in it, so that the next target mapping the same library (every process
 * of a system, mostly) costs a few bytes read instead of a search.  Shared
 * by every use of the engine in this process, the helper sharing the
 * caller's memory; each value is checked against the target's own bytes
 * before use, so a stale or torn entry only costs a search.
 */
static struct {
	_Atomic uint64_t gadget_inode, gadget_off, restorer_inode, restorer_off;
} known;

struct gadget_scan {
	struct remote_job *job;
	bool searching;         /* false: only the known offsets are tried */
	size_t scanned;
};

static bool bytes_at(struct remote_job *job, uintptr_t at, bool restorer)
{
	unsigned char code[ARCH_SIGRETURN_LEN];
	size_t off;
	if (remote_mem_access(job, at, code, restorer ? ARCH_SIGRETURN_LEN : ARCH_GADGET_LEN,
	    false) < 0)
		return false;
	return restorer ? arch_is_sigreturn(code, &off) : arch_is_syscall_ret(code);
}

/* The known offset in m, if m maps that file and the bytes are there. */
static uintptr_t try_known(struct remote_job *job, const struct proc_mapping *m,
    uint64_t inode, uint64_t off, bool restorer)
{
	if (inode == 0 || m->inode != inode || off < m->offset || off - m->offset >= m->end - m->start)
		return 0;
	uintptr_t at = m->start + (uintptr_t)(off - m->offset);
	return bytes_at(job, at, restorer) ? at : 0;
}

static void remember(const struct proc_mapping *m, uintptr_t at, bool restorer)
{
	uint64_t off = m->offset + (at - m->start);
	atomic_store(restorer ? &known.restorer_inode : &known.gadget_inode, m->inode);
	atomic_store(restorer ? &known.restorer_off : &known.gadget_off, off);
}

static uintptr_t search(const unsigned char *buf, size_t len, uintptr_t base,
    const char *pattern, size_t plen)
{
	const unsigned char *hit = memmem(buf, len, pattern, plen);
	return hit != NULL ? base + (uintptr_t)(hit - buf) : 0;
}

static void scan_chunk(struct remote_job *job, const struct proc_mapping *m, uintptr_t base,
    const unsigned char *buf, size_t len)
{
	if (job->gadget == 0 && (job->gadget = search(buf, len, base, ARCH_GADGET_BYTES,
	    sizeof(ARCH_GADGET_BYTES) - 1)) != 0 && m->inode != 0)
		remember(m, job->gadget, false);
	if (job->restorer == 0) {
		uintptr_t at = search(buf, len, base, ARCH_SIGRETURN_BYTES,
		    sizeof(ARCH_SIGRETURN_BYTES) - 1);
		if (at == 0)
			at = search(buf, len, base, ARCH_SIGRETURN_BYTES_2,
			    sizeof(ARCH_SIGRETURN_BYTES_2) - 1);
		if (at != 0 && bytes_at(job, at, true)) {
			job->restorer = at;
			if (m->inode != 0)
				remember(m, at, true);
		}
	}
}

static int scan_mapping(const struct proc_mapping *m, void *ctx)
{
	struct gadget_scan *s = ctx;
	struct remote_job *job = s->job;
	if (m->perms[0] != 'r' || m->perms[2] != 'x' || strcmp(m->name, "[vsyscall]") == 0)
		return 0;
	if (!s->searching) {
		if (job->gadget == 0)
			job->gadget = try_known(job, m, atomic_load(&known.gadget_inode),
			    atomic_load(&known.gadget_off), false);
		if (job->restorer == 0)
			job->restorer = try_known(job, m, atomic_load(&known.restorer_inode),
			    atomic_load(&known.restorer_off), true);
		return job->gadget != 0 && job->restorer != 0;
	}
	unsigned char buf[SCAN_CHUNK];
	for (uintptr_t at = m->start; at < m->end; at += SCAN_CHUNK - ARCH_SIGRETURN_LEN) {
		size_t len = m->end - at < SCAN_CHUNK ? m->end - at : SCAN_CHUNK;
		if (remote_mem_access(job, at, buf, len, false) < 0)
			break;
		scan_chunk(job, m, at, buf, len);
		s->scanned += len;
		if (job->gadget != 0 && job->restorer != 0)
			return 1;
		if (s->scanned >= GADGET_SCAN_MAX || len < SCAN_CHUNK)
			break;
	}
	return s->scanned >= GADGET_SCAN_MAX;
}

int frame_find_gadgets(struct remote_job *job)
{
	job->gadget = job->restorer = 0;
	if (job->shadow_stack)
		return -ENOTSUP;
	struct gadget_scan s = { .job = job };
	(void)procfs_for_each_mapping_at(job->procdir, "maps", scan_mapping, &s);
	if (job->gadget == 0 || job->restorer == 0) {
		s.searching = true;
		(void)procfs_for_each_mapping_at(job->procdir, "maps", scan_mapping, &s);
	}
	if (job->gadget == 0 || job->restorer == 0) {
		job->gadget = job->restorer = 0;
		return -ENOTSUP;
	}
	return 0;
}

/* The registers th must come back to by itself. */
static void fallback_registers(const struct remote_thread *th, struct arch_regs *back)
{
	*back = th->saved;
	if (th->reissue)
		arch_reissue(back);     /* a spurious -EINTR: enter the call again */
	else
		arch_apply_restart(back);
}

static int write_frame(struct remote_job *job, struct remote_thread *th)
{
	long fp_len = arch_get_fpstate(th->tid, job->fpstate, FPSTATE_MAX);
	if (fp_len < 0)
		return (int)fp_len;
	size_t sealed = arch_seal_fpstate(job->fpstate, (size_t)fp_len, FPSTATE_MAX);

	uintptr_t top = arch_stack_pointer(&th->saved) - ARCH_RED_ZONE - SCRATCH_ROOM;
	uintptr_t fp_at = (top - sealed) & ~(uintptr_t)63;
	unsigned char frame[ARCH_FRAME_MAX];
	struct arch_regs back;
	fallback_registers(th, &back);
	size_t len = arch_build_frame(frame, &back, th->frame_mask, 0, job->restorer, fp_at, sealed);
	uintptr_t frame_at = (fp_at - len) & ~(uintptr_t)15;
	int r = remote_mem_access(job, fp_at, job->fpstate, sealed, true);
	if (r == 0)
		r = remote_mem_access(job, frame_at, frame, len, true);
	if (r < 0)
		return r;
	th->frame_at = frame_at;
	return 0;
}

void frame_prepare(struct remote_job *job, struct remote_thread *th, struct arch_regs *call)
{
	if (job->gadget == 0)
		return;
	if (!th->mask_known) {
		uint64_t mask = 0;
		if (ptrace(PTRACE_GETSIGMASK, th->tid, (void *)sizeof(mask), &mask) != 0)
			return;
		th->frame_mask = mask;
	}
	if (write_frame(job, th) < 0) {
		th->frame_at = 0;
		return;
	}
	arch_set_stack_pointer(call, th->frame_at);
}

void frame_learn_mask(struct remote_job *job, struct remote_thread *th)
{
	if (th->mask_known || th->frame_at == 0)
		return;
	uint64_t mask = 0;
	if (ptrace(PTRACE_GETSIGMASK, th->tid, (void *)sizeof(mask), &mask) != 0)
		return;
	th->frame_mask = mask;
	th->mask_known = true;
	if (write_frame(job, th) < 0)
		th->frame_at = 0;
}
