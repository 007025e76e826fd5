/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Two reaper checks written as an ATF test program, the form FreeBSD's
 * tests/sys/kern/reaper.c has, with the idioms such tests use (__FBSDID,
 * __unused, uint8_t without <stdint.h>), to test docs/PORTING.md's recipe
 * for them with Debian's libatf-dev.  Not FreeBSD code.
 */
#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include <sys/types.h>
#include <sys/procctl.h>
#include <sys/wait.h>

#include <atf-c.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

ATF_TC_WITHOUT_HEAD(acquire_then_status);
ATF_TC_BODY(acquire_then_status, tc)
{
	struct procctl_reaper_status rs;

	ATF_REQUIRE_EQ(0, procctl(P_PID, getpid(), PROC_REAP_ACQUIRE, NULL));
	memset(&rs, 0, sizeof(rs));
	ATF_REQUIRE_EQ(0, procctl(P_PID, getpid(), PROC_REAP_STATUS, &rs));
	ATF_CHECK((rs.rs_flags & REAPER_STATUS_OWNED) != 0);
	ATF_CHECK_EQ(0u, rs.rs_children);
	ATF_CHECK_EQ(0u, rs.rs_descendants);
	ATF_CHECK_EQ(getpid(), rs.rs_reaper);
	ATF_CHECK_EQ(-1, rs.rs_pid);
}

static void
on_signal(int sig __unused)
{
}

ATF_TC_WITHOUT_HEAD(orphan_comes_to_the_reaper);
ATF_TC_BODY(orphan_comes_to_the_reaper, tc)
{
	pid_t middle, got;
	int pip[2], status;

	ATF_REQUIRE(signal(SIGUSR1, on_signal) != SIG_ERR);
	ATF_REQUIRE_EQ(0, procctl(P_PID, getpid(), PROC_REAP_ACQUIRE, NULL));
	ATF_REQUIRE_EQ(0, pipe(pip));
	middle = fork();
	ATF_REQUIRE(middle != -1);
	if (middle == 0) {
		/* The orphan waits until its parent is gone. */
		if (fork() == 0) {
			close(pip[1]);
			_exit(read(pip[0], &(uint8_t){ 0 }, 1) == 0 ? 2 : 9);
		}
		_exit(3);
	}
	ATF_REQUIRE_EQ(middle, waitpid(middle, &status, 0));
	ATF_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	ATF_REQUIRE_EQ(0, close(pip[1]));
	/* The orphan (2) comes back to us. */
	int seen = 0;
	while ((got = waitpid(-1, &status, 0)) != -1 || errno == EINTR) {
		if (got == -1)
			continue;
		ATF_REQUIRE(WIFEXITED(status));
		seen |= 1 << WEXITSTATUS(status);
	}
	ATF_CHECK_EQ(ECHILD, errno);
	ATF_CHECK_EQ(1 << 2, seen);
	ATF_REQUIRE_EQ(0, close(pip[0]));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, acquire_then_status);
	ATF_TP_ADD_TC(tp, orphan_comes_to_the_reaper);
	return (atf_no_error());
}
