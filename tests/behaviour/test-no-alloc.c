/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Commands on the caller allocate nothing (so they are safe where malloc is
 * not: in a fork child of a threaded program, under a hostile allocator).
 *
 * The test program defines malloc and friends; glibc and libprocctl call
 * them in its place, and they count.  The reaper's STATUS, GETPIDS and KILL
 * walk a tree and are left out, as is SPROTECT with PPROT_DESCEND.
 */
#include "testlib.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(__SANITIZE_ADDRESS__)
#define ALLOCATOR_REPLACED "AddressSanitizer provides its own malloc"
#else
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);

static atomic_long allocations;

void *malloc(size_t size)
{
	atomic_fetch_add(&allocations, 1);
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	atomic_fetch_add(&allocations, 1);
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	atomic_fetch_add(&allocations, 1);
	return __libc_realloc(p, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	atomic_fetch_add(&allocations, 1);
	void *p = __libc_memalign(align, size);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}
#endif

static void skip_if_replaced(void **state)
{
	(void)state;
#if defined(ALLOCATOR_REPLACED)
	tl_skip(ALLOCATOR_REPLACED);
#endif
	if (RUNNING_ON_VALGRIND)
		tl_skip("valgrind replaces malloc, so the count cannot be taken");
}

#if !defined(ALLOCATOR_REPLACED)
/* procctl() must succeed or fail as expected without a single allocation. */
#define CHECK_NO_ALLOC(expected_errno, cmd, data) do { \
	long before_ = atomic_load(&allocations); \
	errno = 0; \
	int r_ = procctl(P_PID, 0, (cmd), (data)); \
	long made_ = atomic_load(&allocations) - before_; \
	if (made_ != 0) \
		child_fail(__FILE__, __LINE__, "%s allocated %ld times", #cmd, made_); \
	if ((expected_errno) == 0) \
		CHECK_EQ(r_, 0); \
	else \
		CHECK(r_ == -1 && errno == (expected_errno)); \
} while (0)

static const int statuses[] = {
	PROC_TRACE_STATUS, PROC_TRAPCAP_STATUS, PROC_PDEATHSIG_STATUS,
	PROC_ASLR_STATUS, PROC_PROTMAX_STATUS, PROC_STACKGAP_STATUS,
	PROC_NO_NEW_PRIVS_STATUS, PROC_WXMAP_STATUS, PROC_LOGSIGEXIT_STATUS,
#if defined(__x86_64__)
	PROC_KPTI_STATUS, PROC_LA_STATUS,
#endif
};

static void every_command_on_the_caller(void *arg)
{
	int refusal = *(const int *)arg;
	/* The count must see allocations, or this test could not fail. */
	long seen = atomic_load(&allocations);
	free(strdup("counted"));
	CHECK_EQ(atomic_load(&allocations) - seen, 1);
	int v;
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		CHECK_NO_ALLOC(0, statuses[i], &v);

	v = SIGUSR1;
	CHECK_NO_ALLOC(0, PROC_PDEATHSIG_CTL, &v);
	v = PROC_TRACE_CTL_DISABLE;
	CHECK_NO_ALLOC(0, PROC_TRACE_CTL, &v);
	v = PROC_TRACE_CTL_ENABLE;
	CHECK_NO_ALLOC(0, PROC_TRACE_CTL, &v);
	v = PROC_TRAPCAP_CTL_ENABLE;
	CHECK_NO_ALLOC(0, PROC_TRAPCAP_CTL, &v);
	v = PROC_ASLR_FORCE_DISABLE;
	/* A container's profile refuses it (tl_aslr_refusal): ENOTSUP, still without allocating. */
	CHECK_NO_ALLOC(refusal != 0 ? ENOTSUP : 0, PROC_ASLR_CTL, &v);
	v = PROC_PROTMAX_FORCE_DISABLE;
	CHECK_NO_ALLOC(0, PROC_PROTMAX_CTL, &v);
	v = PROC_STACKGAP_DISABLE_EXEC;
	CHECK_NO_ALLOC(0, PROC_STACKGAP_CTL, &v);
	v = PROC_LOGSIGEXIT_CTL_NOFORCE;
	CHECK_NO_ALLOC(0, PROC_LOGSIGEXIT_CTL, &v);
	/* Refusals allocate nothing either. */
	v = 77;
	CHECK_NO_ALLOC(EINVAL, PROC_ASLR_CTL, &v);
	CHECK_NO_ALLOC(EFAULT, PROC_TRACE_STATUS, NULL);
	CHECK_NO_ALLOC(EINVAL, 999, &v);

	if (getpid() != 1) {
		CHECK_NO_ALLOC(0, PROC_REAP_ACQUIRE, NULL);
		CHECK_NO_ALLOC(EBUSY, PROC_REAP_ACQUIRE, NULL);
		CHECK_NO_ALLOC(0, PROC_REAP_RELEASE, NULL);
	}
	/* SPROTECT without DESCEND: success or EPERM, never an allocation. */
	v = PPROT_SET;
	long before = atomic_load(&allocations);
	(void)procctl(P_PID, 0, PROC_SPROTECT, &v);
	CHECK_EQ(atomic_load(&allocations) - before, 0);

	v = PROC_NO_NEW_PRIVS_ENABLE;
	CHECK_NO_ALLOC(0, PROC_NO_NEW_PRIVS_CTL, &v);
	v = PROC_WX_MAPPINGS_DISALLOW_EXEC;
	long mdwe_before = atomic_load(&allocations);
	(void)procctl(P_PID, 0, PROC_WXMAP_CTL, &v);   /* ENOTSUP before Linux 6.3 */
	CHECK_EQ(atomic_load(&allocations) - mdwe_before, 0);
}

static void *park(void *arg)
{
	char c;
	while (read(*(int *)arg, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* NO_NEW_PRIVS in a threaded caller takes the every-thread path. */
static void threaded_no_new_privs(void *arg)
{
	(void)arg;
	int p[2];
	CHECK(pipe(p) == 0);
	pthread_t th;
	CHECK(pthread_create(&th, NULL, park, &p[0]) == 0);
	int v = PROC_NO_NEW_PRIVS_ENABLE;
	long before = atomic_load(&allocations);
	int r = procctl(P_PID, 0, PROC_NO_NEW_PRIVS_CTL, &v);
	CHECK(r == 0 || errno == ENOTSUP);
	CHECK_EQ(atomic_load(&allocations) - before, 0);
	CHECK(write(p[1], "x", 1) == 1);
	pthread_join(th, NULL);
}
#endif

static void commands_on_the_caller_allocate_nothing(void **state)
{
	skip_if_replaced(state);
#if !defined(ALLOCATOR_REPLACED)
	int refusal = tl_aslr_refusal();
	run_in_child(every_command_on_the_caller, &refusal);
#endif
}

static void the_threaded_no_new_privs_path_allocates_nothing(void **state)
{
	skip_if_replaced(state);
#if !defined(ALLOCATOR_REPLACED)
	run_in_child(threaded_no_new_privs, NULL);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commands_on_the_caller_allocate_nothing),
		cmocka_unit_test(the_threaded_no_new_privs_path_allocates_nothing),
	};
	return TL_RUN(tests);
}
