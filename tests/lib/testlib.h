/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared support for the cmocka tests.
 *
 * Tests that change process-wide state (NO_NEW_PRIVS, MDWE, dumpable, the
 * subreaper flag) run their body in a forked child, so that one test cannot
 * change what the next one sees.  cmocka's assertions must not be used in
 * such a child (a failure would longjmp back into the test runner inside
 * the child): use CHECK() there, which reports and exits.
 *
 * Every process a test forks is reaped before the test ends, bounded in
 * time, and killed with SIGKILL if its parent dies (PR_SET_PDEATHSIG).
 */
#ifndef LIBPROCCTL_TESTLIB_H
#define LIBPROCCTL_TESTLIB_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/procctl.h>
#include <sys/types.h>
#include <cmocka.h>

/* ---- assertions in a forked child ---- */

void child_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));

#define CHECK(cond) do { \
	if (!(cond)) child_fail(__FILE__, __LINE__, "CHECK(%s) failed (errno %d: %s)", \
	    #cond, errno, strerror(errno)); \
} while (0)

#define CHECK_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) child_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
	    #a, a_, #b, b_); \
} while (0)

/* The call must return -1 with errno err. */
#define CHECK_ERRNO(err, call) do { \
	errno = 0; \
	long r_ = (long)(call); \
	if (r_ != -1 || errno != (err)) \
		child_fail(__FILE__, __LINE__, "%s = %ld errno %d (%s), expected %d (%s)", \
		    #call, r_, errno, strerror(errno), (err), strerror(err)); \
} while (0)

/* procctl() must succeed. */
#define CHECK_OK(idtype, id, cmd, data) do { \
	if (procctl((idtype), (id), (cmd), (data)) != 0) \
		child_fail(__FILE__, __LINE__, "procctl(%s) failed: %s", #cmd, strerror(errno)); \
} while (0)

/* procctl() must fail with err. */
#define CHECK_FAILS(err, idtype, id, cmd, data) do { \
	errno = 0; \
	int r_ = procctl((idtype), (id), (cmd), (data)); \
	if (r_ != -1 || errno != (err)) \
		child_fail(__FILE__, __LINE__, "procctl(%s) = %d errno %s, expected -1 %s", \
		    #cmd, r_, strerrorname_np(errno) ? strerrorname_np(errno) : "0", \
		    strerrorname_np(err)); \
} while (0)

/* The same in the test process itself, through cmocka. */
#define assert_procctl_ok(idtype, id, cmd, data) do { \
	errno = 0; \
	int r_ = procctl((idtype), (id), (cmd), (data)); \
	if (r_ != 0) fail_msg("procctl(%s) failed: %s", #cmd, strerror(errno)); \
} while (0)

#define assert_procctl_fails(err, idtype, id, cmd, data) do { \
	errno = 0; \
	int r_ = procctl((idtype), (id), (cmd), (data)); \
	if (r_ != -1 || errno != (err)) \
		fail_msg("procctl(%s) = %d errno %s, expected -1 %s", #cmd, r_, \
		    errno ? strerrorname_np(errno) : "0", strerrorname_np(err)); \
} while (0)

/* ---- child processes ---- */

/*
 * Fork; the child runs fn(arg) and exits 0 when it returns.  The test fails
 * if the child exits otherwise, dies, or outlives TL_CHILD_TIMEOUT_MS (it is
 * then killed).  The child is always reaped.
 */
#define TL_CHILD_TIMEOUT_MS 20000
void run_in_child(void (*fn)(void *arg), void *arg);

/*
 * Run fn(arg) in new user, pid and mount namespaces, with a /proc of its
 * own: as PID 1 when as_init, else as PID 2 under a PID 1 that reaps every
 * orphan.  When fn returns the namespace ends and the kernel kills whatever
 * is left, so fn's processes need no other safety net.  The test fails if
 * fn fails.  Returns false, running nothing, where the kernel refuses the
 * namespaces; callers then fall back to run_in_child().
 */
bool tl_run_in_pid_namespace(void (*fn)(void *arg), void *arg, bool as_init);

/* Why tl_run_in_pid_namespace() cannot run here (what was refused), or NULL. */
const char *tl_pid_namespace_refusal(void);

/*
 * Where no pid namespace may be made: run fn(arg) in a child below a
 * subreaper (a child of the test) that, once fn returns, kills and reaps
 * everything left below it, so that fn's processes cannot outlive the
 * test.  fn must bound its forks.  The test fails if fn fails.
 */
void tl_run_below_subreaper(void (*fn)(void *arg), void *arg);

/*
 * Whether a child may make new namespaces (ns_flags for unshare(2), which
 * include CLONE_NEWPID|CLONE_NEWNS) and mount a /proc of its own there with
 * these mount options (NULL for none).  Probed in children, which end at
 * once; when it may not, why says what was refused (for the skip reason).
 */
bool tl_can_mount_proc(unsigned long ns_flags, const char *options, char *why, size_t size);

/*
 * run_in_child() in capability mode: the child runs before(arg) when it is
 * not NULL, enables TRAPCAP when `trapcap` is true, calls cap_enter(), then
 * runs fn(arg).  Returns false when cap_enter() fails with ENOSYS (no
 * seccomp here; valgrind does not implement it): the caller skips, with
 * TL_NO_CAPMODE_REASON.
 */
bool tl_run_in_capmode(void (*before)(void *arg), void (*fn)(void *arg), void *arg,
    bool trapcap);
#define TL_NO_CAPMODE_REASON \
	"cap_enter: ENOSYS, seccomp(2) is unavailable here (valgrind does not implement it)"

/* tl_run_in_capmode(), skipping the test where capability mode is unavailable. */
#define tl_in_capmode_or_skip(before, fn, arg, trapcap) do { \
	if (!tl_run_in_capmode((before), (fn), (arg), (trapcap))) \
		tl_skip(TL_NO_CAPMODE_REASON); \
} while (0)

/*
 * The running kernel's Landlock ABI version, with which cap_enter() confines
 * lookups beneath the directories held, or -errno: ENOSYS without Landlock
 * (and under valgrind, which does not implement it), EOPNOTSUPP where it is
 * built but not enabled at boot.
 */
int tl_landlock_abi(void);

/* Skip the test where Landlock is unavailable, saying why. */
#define tl_landlock_or_skip() do { \
	int abi_ = tl_landlock_abi(); \
	if (abi_ < 0) \
		tl_skip("Landlock is unavailable here (%s; valgrind does not implement it)", \
		    strerrorname_np(-abi_)); \
} while (0)

/* In a forked child: wait for its own child pid, which must exit 0. */
void tl_child_waits_for_success(pid_t pid);

/*
 * For a body running in a forked child: fork once more and return what a
 * STATUS command reports in that grandchild, which is what fork handed
 * down.  Fails the child (child_fail) if the call fails.
 */
int status_in_fork_child(int cmd);

/* fork() with PR_SET_PDEATHSIG(SIGKILL) in the child; asserts on failure. */
pid_t tl_fork(void);

/* A child that waits in pause() until killed. */
pid_t tl_spawn_pause(void);

/*
 * A child that forks n children of its own; all pause.  Returns once every
 * one exists, with the grandchildren's pids in kids[0..n-1].  SIGTERM to the
 * child makes it kill and reap its children, then exit 0; tl_end_family()
 * does that and reaps the child.
 */
/* Enough for a family wider than a batch of the walk, or than its children buffer. */
#define TL_FAMILY_MAX 320
pid_t tl_spawn_family(int n, pid_t kids[]);
void tl_end_family(pid_t child);

/* Reap any exited child (orphans adopted by a reaper or by ns init). */
void tl_reap_orphans(void);

/* Wait for a child (bounded); returns its wait status, or -1 on timeout. */
int tl_wait(pid_t pid, int timeout_ms);

/* SIGKILL a child this test created, and reap it. */
void tl_kill_and_reap(pid_t pid);

/* Wait (bounded) until /proc shows pid in one of the given states. */
bool tl_wait_state(pid_t pid, const char *states, int timeout_ms);

/* ---- the environment ---- */

bool tl_is_ns_init(void);
/* Whether the caller is in the initial user namespace (capabilities count there). */
bool tl_in_initial_userns(void);
/* Capabilities, through libcap: in the caller's effective set; in pid's. */
bool tl_has_cap(int cap);
bool tl_pid_has_cap(pid_t pid, int cap);
/*
 * Drop cap from the calling thread's effective set (it stays permitted):
 * root as a container often runs it, uid 0 without that capability.
 */
void tl_drop_effective_cap(int cap);
long tl_read_long(const char *path, long fallback);
long tl_status_field(pid_t pid, const char *key);   /* -1 if absent */

/*
 * A process running a program whose real, effective and saved uids all
 * differ from the caller's: PID 1 where it qualifies, else the first found
 * in /proc; 0 when none is visible (say, in a container run as one user).
 */
pid_t tl_other_uid_process(void);

/* Report why a test cannot run here (a TAP comment), then skip it. */
#define tl_skip(...) do { tl_skip_note(__VA_ARGS__); skip(); return; } while (0)
void tl_skip_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A pid that names no process (above pid_max). */
pid_t tl_unused_pid(void);

/*
 * As PID 1 of a pid namespace (tl_run_in_pid_namespace): fork a child that
 * takes pid, which must be free (ns_last_pid); like fork(), 0 in the child.
 * The child pauses for ever unless it is given work by the caller.
 */
pid_t tl_fork_as(pid_t pid);

/*
 * The errno with which this system refuses personality(ADDR_NO_RANDOMIZE),
 * or 0 where it allows it.  A container's seccomp profile refuses it:
 * Docker's with EPERM, Podman's with ENOSYS; PROC_ASLR_CTL FORCE_DISABLE
 * then fails with ENOTSUP, on the caller and on any other process.  Probed
 * in a child, which the change does not outlive.
 */
int tl_aslr_refusal(void);

/* ---- programs run as subprocesses ---- */

/* What a program printed (NUL-terminated, cut to fit) and how it ended. */
#define TL_OUTPUT_MAX 4096
struct tl_output {
	int status;                 /* wait status */
	char out[TL_OUTPUT_MAX];
	char err[TL_OUTPUT_MAX];
};

/*
 * Fork a child that runs setup(arg) (when not NULL; CHECK() may be used
 * there) and then execs argv[0] with argv, searching PATH.  Capture its
 * standard output and error and its wait status.  The child is bounded by
 * TL_CHILD_TIMEOUT_MS, killed if it overruns, and always reaped.
 */
void tl_capture(void (*setup)(void *arg), void *arg, char *const argv[],
    struct tl_output *o);

/*
 * tl_capture() of the program whose path the environment variable `env`
 * holds (set by tests/meson.build), with the arguments that follow, up to
 * a NULL.
 */
void tl_run_program(struct tl_output *o, void (*setup)(void *arg), void *arg,
    const char *env, ...) __attribute__((sentinel));

/* The same, with the arguments in an array that ends with NULL. */
void tl_run_program_args(struct tl_output *o, void (*setup)(void *arg), void *arg,
    const char *env, char *const args[]);

/* The program exited with `code` and printed exactly `out` and `err`. */
void tl_assert_output(const struct tl_output *o, int code, const char *out,
    const char *err);

/* ---- the exec probe ---- */

/*
 * Run tests/helpers/status-probe (path from $LPC_STATUS_PROBE) in this
 * process image: it prints the result of a STATUS command.  Used in a
 * forked child to check what survives execve.
 */
void tl_exec_probe(const char *what) __attribute__((noreturn));

/*
 * Fork a child that runs setup(arg) and then execs the probe for `what`;
 * return what the probe printed (a number), or fail the test.
 */
long tl_probe_after_exec(void (*setup)(void *arg), void *arg, const char *what);

/*
 * Go on in a new pid namespace with its own /proc, below a PID 1 that only
 * reaps, where the caller may create one without changing its credentials
 * (root): whatever a failing test leaves behind dies with the namespace.
 * Where it may not (a container's seccomp profile, an unprivileged user),
 * go on below a subreaper that kills and reaps every process left below it
 * when the tests end, so that none outlives them holding their output.
 * Call first thing in main(); as PID 1 (the nsinit tier) it returns at once.
 */
void tl_contain_in_pid_namespace(void);

/*
 * tests/helpers/capmode-exec-probe ($LPC_CAPMODE_EXEC_PROBE), a static
 * program that reports what an image started in capability mode sees.
 * Opens it, then, in a child in capability mode, runs fn(arg) (when not
 * NULL) and starts it with fexecve(3), its arguments args (NULL-terminated;
 * NULL for none).  Puts the line it printed in line and returns true; false,
 * running nothing, where capability mode is unavailable (the caller skips,
 * with TL_NO_CAPMODE_REASON).
 */
bool tl_capmode_probe(void (*fn)(void *arg), void *arg, char *const args[],
    char *line, size_t size);

/* Run a cmocka group with TAP output; the main() of every test program. */
#define TL_RUN(tests) tl_run_group(__FILE__, tests, sizeof(tests) / sizeof(tests[0]))
int tl_run_group(const char *file, const struct CMUnitTest *tests, size_t count);

#endif
