/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-restoring calls: whatever instant the helper dies at (SIGKILL from
 * anyone, or the caller's kill of a stopped helper), a thread it injected a
 * call into finishes that call on its own and comes back to its own
 * registers, signal mask and FPU state.
 *
 * Before a call is injected, a signal frame is written below the thread's
 * red zone (memory the ABI lets signal delivery overwrite at any time)
 * holding the registers it must get back, with the kernel's restart of its
 * interrupted call applied as when no handler runs, its signal mask and its
 * FPU state.  The call is entered at a `syscall; ret` found in the
 * target's code, with the stack pointer at the frame, whose first word is
 * the address of an rt_sigreturn sequence (`mov $15,%rax; syscall`, glibc's
 * __restore_rt).  With the helper alive, the thread never gets past the
 * call: it is stopped at the call's exit and given its registers back by
 * ptrace.  Without it, `ret` leads to rt_sigreturn, which restores all of
 * it.  Where the gadgets, the FPU state or the stack are missing, or the
 * thread uses a shadow stack (its frames need a token), calls are injected
 * as before and docs/COMPAT.md says what a killed helper then leaves.
 */
#ifndef LIBPROCCTL_REMOTE_FRAME_H
#define LIBPROCCTL_REMOTE_FRAME_H

#include "remote_session.h"

/* Look for the two gadgets (once per use of the engine): 0, or -ENOTSUP. */
int frame_find_gadgets(struct remote_job *job);

/*
 * For a call about to be injected into th with registers *call: write the
 * frame and aim *call at the gadget and the frame.  Nothing changes if the
 * frame cannot be written.
 */
void frame_prepare(struct remote_job *job, struct remote_thread *th, struct arch_regs *call);

/*
 * At the entry stop of the first call: the thread's own signal mask is in
 * force again (a sigsuspend's or ppoll's lent mask is gone): write it into
 * the frame.
 */
void frame_learn_mask(struct remote_job *job, struct remote_thread *th);

#endif
