/* SPDX-License-Identifier: BSD-2-Clause */
#include "testlib.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "usermem.h"

struct pages {
	char *base;     /* [rw][ro][none][unmapped] */
	size_t size;
};

static struct pages map_pages(void)
{
	struct pages p;
	p.size = (size_t)sysconf(_SC_PAGESIZE);
	p.base = mmap(NULL, 4 * p.size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p.base != MAP_FAILED);
	memset(p.base, 0x5a, 2 * p.size);
	assert_int_equal(mprotect(p.base + p.size, p.size, PROT_READ), 0);
	assert_int_equal(mprotect(p.base + 2 * p.size, p.size, PROT_NONE), 0);
	assert_int_equal(munmap(p.base + 3 * p.size, p.size), 0);
	return p;
}

static void check_all(bool probed)
{
	usermem_avoid_process_vm(probed);
	struct pages p = map_pages();
	char *rw = p.base, *ro = p.base + p.size;
	char *none = p.base + 2 * p.size, *unmapped = p.base + 3 * p.size;
	char buf[64];

	memset(buf, 0, sizeof(buf));
	assert_int_equal(usermem_copyin(buf, rw, sizeof(buf)), 0);
	assert_int_equal((unsigned char)buf[10], 0x5a);
	assert_int_equal(usermem_copyin(buf, ro, sizeof(buf)), 0);

	assert_int_equal(usermem_copyin(buf, NULL, 4), -EFAULT);
	assert_int_equal(usermem_copyin(buf, (void *)1, 4), -EFAULT);
	assert_int_equal(usermem_copyin(buf, none, 4), -EFAULT);
	assert_int_equal(usermem_copyin(buf, unmapped, 4), -EFAULT);
	/* A range that starts readable and runs into a PROT_NONE page. */
	assert_int_equal(usermem_copyin(buf, none - 8, 16), -EFAULT);
	assert_int_equal(usermem_copyin(buf, (void *)UINTPTR_MAX, 4), -EFAULT);

	memset(buf, 0x11, sizeof(buf));
	assert_int_equal(usermem_copyout(rw, buf, sizeof(buf)), 0);
	assert_int_equal(rw[63], 0x11);
	assert_int_equal(usermem_copyout(ro, buf, 4), -EFAULT);
	assert_int_equal((unsigned char)ro[0], 0x5a);   /* unchanged */
	assert_int_equal(usermem_copyout(NULL, buf, 4), -EFAULT);
	assert_int_equal(usermem_copyout(none, buf, 4), -EFAULT);
	assert_int_equal(usermem_copyout(unmapped, buf, 4), -EFAULT);

	/* Zero bytes never fault, wherever they point. */
	assert_int_equal(usermem_copyin(buf, NULL, 0), 0);
	assert_int_equal(usermem_copyout(NULL, buf, 0), 0);

	munmap(p.base, 3 * p.size);
	usermem_avoid_process_vm(0);
}

static void bad_pointers_fault_through_process_vm(void **state)
{
	(void)state;
	check_all(false);
}

static void bad_pointers_fault_when_the_pages_are_probed(void **state)
{
	(void)state;
	check_all(true);
}

static void a_large_copy_is_probed_page_by_page(void **state)
{
	(void)state;
	usermem_avoid_process_vm(1);
	size_t len = 300000;
	unsigned char *src = malloc(len), *dst = calloc(1, len);
	assert_non_null(src);
	assert_non_null(dst);
	for (size_t i = 0; i < len; i++)
		src[i] = (unsigned char)(i * 31);
	assert_int_equal(usermem_copyin(dst, src, len), 0);
	assert_memory_equal(dst, src, len);
	free(src);
	free(dst);
	usermem_avoid_process_vm(0);
}

/*
 * The probes touch whole words around the range: they must leave the
 * bytes next to it, and the signal mask, exactly as they were.
 */
static void probing_changes_nothing_around_the_range(void **state)
{
	(void)state;
	usermem_avoid_process_vm(1);
	unsigned char word[16];
	memset(word, 0xa5, sizeof(word));
	unsigned char one = 0x11;
	sigset_t before, after;
	sigemptyset(&before);
	sigemptyset(&after);
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &before), 0);
	assert_int_equal(usermem_copyout(word + 5, &one, 1), 0);
	assert_int_equal(usermem_copyin(&one, word + 9, 1), 0);
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &after), 0);
	/* The kernel's mask is 64 bits; the rest of a sigset_t is libc's. */
	assert_memory_equal(&before, &after, sizeof(uint64_t));
	for (size_t i = 0; i < sizeof(word); i++)
		assert_int_equal(word[i], i == 5 ? 0x11 : 0xa5);
	assert_int_equal(one, 0xa5);
	usermem_avoid_process_vm(0);
}

/* A copy that starts in a good page and ends in a bad one faults before writing. */
static void a_copy_out_into_a_read_only_page_writes_nothing(void **state)
{
	(void)state;
	usermem_avoid_process_vm(1);
	struct pages p = map_pages();
	char buf[16];
	memset(buf, 0x11, sizeof(buf));
	char *rw_end = p.base + p.size - 8;
	assert_int_equal(usermem_copyout(rw_end, buf, sizeof(buf)), -EFAULT);
	assert_int_equal((unsigned char)rw_end[0], 0x5a);
	munmap(p.base, 3 * p.size);
	usermem_avoid_process_vm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_pointers_fault_through_process_vm),
		cmocka_unit_test(bad_pointers_fault_when_the_pages_are_probed),
		cmocka_unit_test(a_large_copy_is_probed_page_by_page),
		cmocka_unit_test(probing_changes_nothing_around_the_range),
		cmocka_unit_test(a_copy_out_into_a_read_only_page_writes_nothing),
	};
	return TL_RUN(tests);
}
