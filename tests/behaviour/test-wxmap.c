/* SPDX-License-Identifier: BSD-2-Clause */
/* PROC_WXMAP_CTL and _STATUS on memory-deny-write-execute. */
#include "testlib.h"

#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static bool have_mdwe(void)
{
	return prctl(66 /* PR_GET_MDWE */, 0, 0, 0, 0) >= 0;
}

/* A W+X mapping already there (valgrind's JIT has some) withholds ENFORCE. */
static bool has_wx_mapping(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	if (f == NULL)
		return false;
	char line[512];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		char perms[5];
		if (sscanf(line, "%*s %4s", perms) == 1 && perms[1] == 'w' && perms[2] == 'x')
			found = true;
	}
	fclose(f);
	return found;
}

static int enforced(void)
{
	return has_wx_mapping() ? 0 : (int)PROC_WXORX_ENFORCE;
}

static int wxmap(void)
{
	int v = 0x5555;
	CHECK_OK(P_PID, 0, PROC_WXMAP_STATUS, &v);
	return v;
}

static void permit_then_disallow(void *arg)
{
	(void)arg;
	CHECK_EQ(wxmap(), 0);
	int v = PROC_WX_MAPPINGS_PERMIT;
	CHECK_OK(P_PID, 0, PROC_WXMAP_CTL, &v);
	CHECK_EQ(wxmap(), PROC_WX_MAPPINGS_PERMIT);

	v = PROC_WX_MAPPINGS_DISALLOW_EXEC;
	CHECK_OK(P_PID, 0, PROC_WXMAP_CTL, &v);
	CHECK_EQ(wxmap(), PROC_WX_MAPPINGS_DISALLOW_EXEC | enforced());
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p == MAP_FAILED);

	/* W^X cannot be lifted once in force. */
	v = PROC_WX_MAPPINGS_PERMIT;
	CHECK_FAILS(EPERM, P_PID, 0, PROC_WXMAP_CTL, &v);
	CHECK_EQ(wxmap(), PROC_WX_MAPPINGS_DISALLOW_EXEC | enforced());

	CHECK((status_in_fork_child(PROC_WXMAP_STATUS) & PROC_WX_MAPPINGS_DISALLOW_EXEC));
}

static void disallow_exec_enforces_wx_and_cannot_be_undone(void **state)
{
	(void)state;
	if (!have_mdwe())
		tl_skip("this kernel has no PR_SET_MDWE (Linux 6.3+)");
	run_in_child(permit_then_disallow, NULL);
}

static void disallow_for_probe(void *arg)
{
	(void)arg;
	int v = PROC_WX_MAPPINGS_DISALLOW_EXEC;
	if (procctl(P_PID, 0, PROC_WXMAP_CTL, &v) != 0)
		_exit(80);
}

static void the_next_image_enforces_wx(void **state)
{
	(void)state;
	if (!have_mdwe())
		tl_skip("this kernel has no PR_SET_MDWE (Linux 6.3+)");
	long s = tl_probe_after_exec(disallow_for_probe, NULL, "wxmap");
	assert_int_equal(s, PROC_WX_MAPPINGS_DISALLOW_EXEC | (int)PROC_WXORX_ENFORCE);
	assert_int_equal(tl_probe_after_exec(disallow_for_probe, NULL, "mmap_rwx_errno"),
	    EACCES);
}

static void rwx_mapping_then_disallow(void *arg)
{
	(void)arg;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	int v = PROC_WX_MAPPINGS_DISALLOW_EXEC;
	CHECK_OK(P_PID, 0, PROC_WXMAP_CTL, &v);
	/* Enforced for new mappings, but a W+X one exists: no ENFORCE bit. */
	CHECK_EQ(wxmap(), PROC_WX_MAPPINGS_DISALLOW_EXEC);
}

static void an_existing_wx_mapping_withholds_the_enforce_bit(void **state)
{
	(void)state;
	if (!have_mdwe())
		tl_skip("this kernel has no PR_SET_MDWE (Linux 6.3+)");
	run_in_child(rwx_mapping_then_disallow, NULL);
}

static void invalid_values_are_einval(void **state)
{
	(void)state;
	const int bad[] = { 0, 3, 4, -1 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v = bad[i];
		assert_procctl_fails(EINVAL, P_PID, 0, PROC_WXMAP_CTL, &v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(disallow_exec_enforces_wx_and_cannot_be_undone),
		cmocka_unit_test(the_next_image_enforces_wx),
		cmocka_unit_test(an_existing_wx_mapping_withholds_the_enforce_bit),
		cmocka_unit_test(invalid_values_are_einval),
	};
	return TL_RUN(tests);
}
