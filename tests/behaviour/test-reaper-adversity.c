/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reaper commands under adversity (issue 10): a REAP_KILL made from
 * inside the tree, the library's own processes (the remote engine's helper,
 * the orphan probes) next to reaper commands, a process that fakes their
 * mark, and the branch of an adopted grandchild.
 *
 * Each body runs as PID 2 of its own user+pid namespace and is the reaper
 * there (as in test-reaper.c), so whatever a failure leaves dies with it.
 */
#include "reaper-body.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A child that pauses, after forking a pausing child of its own (*g). */
static pid_t spawn_pair(pid_t *g)
{
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t pid = spawn();
	if (pid == 0) {
		pid_t kid = spawn();
		if (kid == 0)
			pause_forever();
		if (write(p[1], &kid, sizeof(kid)) != sizeof(kid))
			_exit(98);
		pause_forever();
	}
	CHECK_EQ(read(p[0], g, sizeof(*g)), sizeof(*g));
	close(p[0]);
	close(p[1]);
	return pid;
}

/* Reap every child, adopted ones included; return how many ended by sig. */
static int reap_all_counting(int sig)
{
	int n = 0, status;
	pid_t got;
	while ((got = waitpid(-1, &status, __WALL)) > 0 || errno == EINTR)
		if (got > 0 && WIFSIGNALED(status) && WTERMSIG(status) == sig)
			n++;
	return n;
}

/* ---- 1. REAP_KILL from a descendant reaches the whole tree ---- */

struct inside {
	int sig;
	unsigned int flags;
	bool from_thread;
};

/* What the caller's call returned, sent to the reaper if it survives. */
struct inside_result {
	int ret, err;
	struct procctl_reaper_kill rk;
};

static struct procctl_reaper_kill inside_rk;

static void *call_kill(void *arg)
{
	struct inside_result *res = arg;
	errno = 0;
	res->ret = procctl(P_PID, 0, PROC_REAP_KILL, &inside_rk);
	res->err = errno;
	res->rk = inside_rk;
	return NULL;
}

/*
 * The caller A: the reaper's first child (with a child of its own for the
 * SUBTREE case), then B, C, D each with a child.  A names its reaper.
 */
static void kill_from_inside(void *arg)
{
	const struct inside *in = arg;
	acquire();
	int go[2], out[2];
	CHECK(pipe(go) == 0);
	CHECK(pipe(out) == 0);
	pid_t a = spawn();
	if (a == 0) {
		pid_t ag = spawn();
		if (ag == 0)
			pause_forever();
		char c;
		if (read(go[0], &c, 1) != 1)
			_exit(90);
		inside_rk = (struct procctl_reaper_kill){ .rk_sig = in->sig,
		    .rk_flags = in->flags, .rk_subtree = getpid() };
		struct inside_result res;
		memset(&res, 0, sizeof(res));
		if (in->from_thread) {
			pthread_t t;
			if (pthread_create(&t, NULL, call_kill, &res) != 0)
				_exit(91);
			pthread_join(t, NULL);
		} else {
			call_kill(&res);
		}
		if (write(out[1], &res, sizeof(res)) != sizeof(res))
			_exit(92);
		pause_forever();
	}
	pid_t g[3], kids[3];
	for (int i = 0; i < 3; i++)
		kids[i] = spawn_pair(&g[i]);
	CHECK_EQ(write(go[1], "k", 1), 1);
	close(out[1]);

	if (in->sig == SIGSTOP) {
		/* Everyone stops, the caller too: its call returns once continued. */
		for (int i = 0; i < 3; i++) {
			CHECK(tl_wait_state(kids[i], "T", 10000));
			CHECK(tl_wait_state(g[i], "T", 10000));
		}
		CHECK(tl_wait_state(a, "T", 10000));
		CHECK_EQ(kill(a, SIGCONT), 0);
		struct inside_result res;
		CHECK_EQ(read(out[0], &res, sizeof(res)), sizeof(res));
		CHECK_EQ(res.ret, 0);
		/* A, A's child, B, C, D and their children. */
		CHECK_EQ(res.rk.rk_killed, 8);
		CHECK_EQ(res.rk.rk_fpid, -1);
		struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
		CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
		CHECK_EQ(reap_all_counting(SIGKILL), 8);
		return;
	}

	/* SIGKILL, or SIGTERM with no handler: the caller dies with the rest. */
	int status;
	CHECK_EQ(waitpid(a, &status, 0), a);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == in->sig);
	if (in->flags & REAPER_KILL_SUBTREE) {
		/* A's branch only: A's child dies, B, C, D and theirs live on. */
		for (int i = 0; i < 3; i++) {
			CHECK_EQ(kill(kids[i], 0), 0);
			CHECK_EQ(kill(g[i], 0), 0);
		}
		/* A's child, adopted when A died. */
		CHECK(waitpid(-1, &status, 0) > 0);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == in->sig);
		struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
		CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
		CHECK_EQ(rk.rk_killed, 6);
		CHECK_EQ(reap_all_counting(SIGKILL), 6);
		return;
	}
	if (in->flags & REAPER_KILL_CHILDREN) {
		/* The reaper's children: B, C, D die; every grandchild lives. */
		for (int i = 0; i < 3; i++) {
			CHECK_EQ(waitpid(kids[i], &status, 0), kids[i]);
			CHECK(WIFSIGNALED(status) && WTERMSIG(status) == in->sig);
			CHECK_EQ(kill(g[i], 0), 0);
		}
		struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
		CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
		CHECK_EQ(rk.rk_killed, 4);
		CHECK_EQ(reap_all_counting(SIGKILL), 4);
		return;
	}
	/* Everything: A's child, B, C, D and theirs, 7 besides A. */
	CHECK_EQ(reap_all_counting(in->sig), 7);
}

static void sigkill_from_a_descendant_reaches_every_process(void **state)
{
	(void)state;
	struct inside in = { .sig = SIGKILL };
	run_body(kill_from_inside, &in);
}

static void sigterm_from_a_descendant_reaches_every_process(void **state)
{
	(void)state;
	struct inside in = { .sig = SIGTERM };
	run_body(kill_from_inside, &in);
}

static void sigstop_from_a_descendant_stops_all_and_returns_when_continued(void **state)
{
	(void)state;
	struct inside in = { .sig = SIGSTOP };
	run_body(kill_from_inside, &in);
}

static void sigkill_from_a_thread_of_a_descendant_reaches_every_process(void **state)
{
	(void)state;
	struct inside in = { .sig = SIGKILL, .from_thread = true };
	run_body(kill_from_inside, &in);
}

static void children_mode_from_a_child_reaches_every_child(void **state)
{
	(void)state;
	struct inside in = { .sig = SIGKILL, .flags = REAPER_KILL_CHILDREN };
	run_body(kill_from_inside, &in);
}

static void subtree_mode_from_inside_the_branch_reaches_the_branch(void **state)
{
	(void)state;
	struct inside in = { .sig = SIGKILL, .flags = REAPER_KILL_SUBTREE };
	run_body(kill_from_inside, &in);
}

/* ---- 2. The remote engine's helper is no descendant ---- */

/* A process outside the reaper's tree: adopted by init before acquiring. */
static pid_t spawn_outsider(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t m = spawn();
	if (m == 0) {
		pid_t x = fork();
		if (x == 0)
			pause_forever();
		if (write(p[1], &x, sizeof(x)) != sizeof(x))
			_exit(98);
		_exit(0);
	}
	pid_t x = 0;
	CHECK_EQ(read(p[0], &x, sizeof(x)), sizeof(x));
	close(p[0]);
	close(p[1]);
	CHECK_EQ(waitpid(m, NULL, 0), m);
	return x;
}

#define ENGINE_CALLS 60

static atomic_bool engine_done;

static void *engine_calls(void *arg)
{
	pid_t x = *(pid_t *)arg;
	for (int i = 0; i < ENGINE_CALLS; i++) {
		/*
		 * Both go through the engine; FORCE_DISABLE is not used because
		 * a container's profile refuses personality(ADDR_NO_RANDOMIZE).
		 */
		int v = (i % 2) ? PROC_ASLR_NOFORCE : PROC_ASLR_FORCE_ENABLE;
		CHECK_OK(P_PID, (id_t)x, PROC_ASLR_CTL, &v);
	}
	atomic_store(&engine_done, true);
	return NULL;
}

static void helper_beside_reaper_commands(void *arg)
{
	(void)arg;
	pid_t x = spawn_outsider();
	acquire();
	int v = 0;
	if (procctl(P_PID, (id_t)x, PROC_ASLR_STATUS, &v) != 0 ||
	    procctl(P_PID, (id_t)x, PROC_ASLR_CTL, &(int){ PROC_ASLR_NOFORCE }) != 0) {
		/* No engine here (another architecture): nothing to race with. */
		kill(x, SIGKILL);
		return;
	}
	pthread_t t;
	atomic_store(&engine_done, false);
	CHECK(pthread_create(&t, NULL, engine_calls, &x) == 0);
	for (int i = 0; i < 100000 && !atomic_load(&engine_done); i++) {
		struct procctl_reaper_status rs;
		CHECK_OK(P_PID, 0, PROC_REAP_STATUS, &rs);
		CHECK_EQ(rs.rs_descendants, 0);
		CHECK_EQ(rs.rs_children, 0);
		struct procctl_reaper_pidinfo info[4];
		memset(info, 0, sizeof(info));
		struct procctl_reaper_pids rp = { .rp_count = 4, .rp_pids = info };
		CHECK_OK(P_PID, 0, PROC_REAP_GETPIDS, &rp);
		if (info[0].pi_flags != 0) {
			char path[64], line[512] = "";
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)info[0].pi_pid);
			FILE *fp = fopen(path, "r");
			if (fp != NULL) {
				if (fgets(line, sizeof(line), fp) == NULL)
					line[0] = '\0';
				fclose(fp);
			}
			child_fail(__FILE__, __LINE__, "listed %d: %s", (int)info[0].pi_pid, line);
		}
		struct procctl_reaper_kill rk = { .rk_sig = (i % 2) ? SIGKILL : SIGSTOP };
		CHECK_FAILS(ESRCH, P_PID, 0, PROC_REAP_KILL, &rk);
		CHECK_EQ(rk.rk_killed, 0);
	}
	pthread_join(t, NULL);
	/* The target went on untouched. */
	CHECK(tl_wait_state(x, "S", 10000));
	kill(x, SIGKILL);
}

static void the_engines_helper_is_never_counted_listed_or_signalled(void **state)
{
	(void)state;
	run_body(helper_beside_reaper_commands, NULL);
}

/* The same seen from the reaper, while a descendant uses the engine. */
static void foreign_helper_beside_reaper_commands(void *arg)
{
	(void)arg;
	pid_t x = spawn_outsider();
	acquire();
	if (procctl(P_PID, (id_t)x, PROC_ASLR_CTL, &(int){ PROC_ASLR_NOFORCE }) != 0) {
		kill(x, SIGKILL);
		return;     /* no engine here */
	}
	int done[2];
	CHECK(pipe(done) == 0);
	pid_t d = spawn();
	if (d == 0) {
		close(done[0]);
		engine_calls(&x);
		_exit(0);
	}
	close(done[1]);
	struct pollfd pfd = { .fd = done[0], .events = POLLIN };
	for (int i = 0; i < 100000 && poll(&pfd, 1, 0) == 0; i++) {
		struct procctl_reaper_status rs;
		CHECK_OK(P_PID, 0, PROC_REAP_STATUS, &rs);
		if (rs.rs_descendants == 0)
			break;      /* d is exiting */
		CHECK_EQ(rs.rs_descendants, 1);
		CHECK_EQ(rs.rs_children, 1);
		struct procctl_reaper_pidinfo info[4];
		memset(info, 0, sizeof(info));
		struct procctl_reaper_pids rp = { .rp_count = 4, .rp_pids = info };
		CHECK_OK(P_PID, 0, PROC_REAP_GETPIDS, &rp);
		if (info[0].pi_flags != 0 && info[0].pi_pid != d) {
			char path[64], line[512] = "";
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)info[0].pi_pid);
			FILE *fp = fopen(path, "r");
			if (fp != NULL) {
				if (fgets(line, sizeof(line), fp) == NULL)
					line[0] = '\0';
				fclose(fp);
			}
			child_fail(__FILE__, __LINE__, "listed %d (flags %#x): %s",
			    (int)info[0].pi_pid, info[0].pi_flags, line);
		}
		CHECK_EQ(info[1].pi_flags, 0);
	}
	int status;
	CHECK_EQ(waitpid(d, &status, 0), d);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	kill(x, SIGKILL);
}

static void another_processs_helper_is_never_counted_or_listed(void **state)
{
	(void)state;
	run_body(foreign_helper_beside_reaper_commands, NULL);
}

/*
 * A descendant that fakes the helper's mark (the name, exit signal 0) to
 * escape: it gets whatever its creator gets.
 */
static int forger_main(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "libprocctl", 0, 0, 0);
	for (;;)
		pause();
	return 0;
}

static void faked_helper(void *arg)
{
	int sig = *(int *)arg;
	acquire();
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t creator = spawn();
	if (creator == 0) {
		static char stack[64 * 1024];
		/* Exit signal 0, as the engine's helper has. */
		pid_t f = clone(forger_main, stack + sizeof(stack), 0, NULL);
		if (f < 0 || write(p[1], &f, sizeof(f)) != sizeof(f))
			_exit(98);
		pause_forever();
	}
	pid_t f = 0;
	CHECK_EQ(read(p[0], &f, sizeof(f)), sizeof(f));
	/* Wait until it wears the name. */
	char path[64], comm[32] = "";
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)f);
	for (int i = 0; i < 10000 && strncmp(comm, "libprocctl", 10) != 0; i++) {
		FILE *fp = fopen(path, "r");
		if (fp != NULL) {
			if (fgets(comm, sizeof(comm), fp) == NULL)
				comm[0] = '\0';
			fclose(fp);
		}
		usleep(1000);
	}
	CHECK(strncmp(comm, "libprocctl", 10) == 0);

	struct procctl_reaper_kill rk = { .rk_sig = sig };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	if (sig == SIGSTOP) {
		CHECK(tl_wait_state(creator, "T", 10000));
		CHECK(tl_wait_state(f, "T", 10000));
		rk.rk_sig = SIGKILL;
		CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	}
	/* The creator, and the forger adopted once it died. */
	CHECK_EQ(reap_all_counting(SIGKILL), 2);
}

static void a_process_faking_the_helper_mark_is_killed_with_its_creator(void **state)
{
	(void)state;
	int sig = SIGKILL;
	run_body(faked_helper, &sig);
}

static void a_process_faking_the_helper_mark_is_stopped_with_its_creator(void **state)
{
	(void)state;
	int sig = SIGSTOP;
	run_body(faked_helper, &sig);
}

/*
 * A descendant that fakes the probe's mark with its main thread only (the
 * name, seccomp strict mode) while another thread runs free: not a probe.
 */
static void *free_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void faked_probe(void *arg)
{
	(void)arg;
	acquire();
	int ready[2], hold[2];
	CHECK(pipe(ready) == 0);
	CHECK(pipe(hold) == 0);
	pid_t f = spawn();
	if (f == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, free_thread, NULL) != 0)
			_exit(90);
		prctl(PR_SET_NAME, "libprocctl", 0, 0, 0);
		char c = 's';
		/* SECCOMP_MODE_STRICT; from here on: read, write, exit. */
		if (prctl(PR_SET_SECCOMP, 1, 0, 0, 0) != 0)
			c = 'n';
		(void)syscall(SYS_write, ready[1], &c, 1);
		(void)syscall(SYS_read, hold[0], &c, 1);
		syscall(SYS_exit, 0);
	}
	/*
	 * Bounded: under valgrind strict mode ends the main thread instead
	 * (valgrind's own calls), and the free thread keeps the pipe open.
	 */
	struct pollfd pfd = { .fd = ready[0], .events = POLLIN };
	CHECK(poll(&pfd, 1, 10000) >= 0);
	struct procctl_reaper_status rs;
	CHECK_OK(P_PID, 0, PROC_REAP_STATUS, &rs);
	CHECK_EQ(rs.rs_children, 1);
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 1);
	int status;
	CHECK_EQ(waitpid(f, &status, 0), f);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void a_process_faking_the_probe_mark_with_one_thread_is_killed(void **state)
{
	(void)state;
	run_body(faked_probe, NULL);
}

/* ---- 3. Orphan probes do not pile up in the reaper ---- */

#define STATUS_CALLS 100

static void probes_in_the_reaper(void *arg)
{
	(void)arg;
	acquire();
	const pid_t reaper = getpid();
	int done[2], go[2];
	CHECK(pipe(done) == 0);
	CHECK(pipe(go) == 0);
	pid_t c = spawn();
	if (c == 0) {
		pid_t g = spawn();
		if (g == 0) {
			for (int i = 0; i < STATUS_CALLS; i++) {
				struct procctl_reaper_status rs;
				CHECK_OK(P_PID, 0, PROC_REAP_STATUS, &rs);
				CHECK_EQ(rs.rs_reaper, reaper);
				CHECK_EQ(rs.rs_flags & REAPER_STATUS_OWNED, 0);
			}
			if (write(done[1], "d", 1) != 1)
				_exit(97);
			char ch;
			if (read(go[0], &ch, 1) != 1)
				_exit(96);
			_exit(0);
		}
		char ch;
		if (read(go[0], &ch, 1) != 1)
			_exit(96);
		while (waitpid(g, NULL, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	char ch;
	CHECK_EQ(read(done[0], &ch, 1), 1);

	struct procctl_reaper_status rs;
	CHECK_OK(P_PID, 0, PROC_REAP_STATUS, &rs);
	CHECK_EQ(rs.rs_children, 1);
	CHECK_EQ(rs.rs_descendants, 2);
	struct procctl_reaper_pidinfo info[8];
	memset(info, 0, sizeof(info));
	struct procctl_reaper_pids rp = { .rp_count = 8, .rp_pids = info };
	CHECK_OK(P_PID, 0, PROC_REAP_GETPIDS, &rp);
	CHECK(info[0].pi_flags & REAPER_PIDINFO_VALID);
	CHECK(info[1].pi_flags & REAPER_PIDINFO_VALID);
	CHECK_EQ(info[2].pi_flags, 0);
	for (int i = 0; i < 2; i++)
		CHECK_EQ(info[i].pi_flags & REAPER_PIDINFO_ZOMBIE, 0);

	/* The kernel gave us the probes to reap: one, as the answer was reused. */
	int probes = 0;
	pid_t got;
	while ((got = waitpid(-1, NULL, WNOHANG)) > 0)
		if (got != c)
			probes++;
	CHECK(probes <= 1);
	CHECK_EQ(write(go[1], "gg", 2), 2);
	int status;
	CHECK_EQ(waitpid(c, &status, 0), c);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void a_grandchilds_probes_do_not_pile_up_in_its_reaper(void **state)
{
	(void)state;
	run_body(probes_in_the_reaper, NULL);
}

/*
 * The reused answer is dropped when the reaper it names releases: the next
 * call asks the kernel again.
 */
static void reaper_releases(void *arg)
{
	(void)arg;
	if (getpid() == 1)
		return;     /* init cannot release */
	acquire();
	int ask[2], answer[2];
	CHECK(pipe(ask) == 0);
	CHECK(pipe(answer) == 0);
	pid_t c = spawn();
	if (c == 0) {
		pid_t g = spawn();
		if (g == 0) {
			char ch;
			for (int i = 0; i < 2; i++) {
				if (read(ask[0], &ch, 1) != 1)
					_exit(96);
				struct procctl_reaper_status rs;
				CHECK_OK(P_PID, 0, PROC_REAP_STATUS, &rs);
				if (write(answer[1], &rs.rs_reaper, sizeof(pid_t)) != sizeof(pid_t))
					_exit(97);
			}
			_exit(0);
		}
		while (waitpid(g, NULL, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	pid_t reaper = 0;
	CHECK_EQ(write(ask[1], "a", 1), 1);
	CHECK_EQ(read(answer[0], &reaper, sizeof(reaper)), sizeof(reaper));
	CHECK_EQ(reaper, getpid());
	CHECK_OK(P_PID, 0, PROC_REAP_RELEASE, NULL);
	CHECK_EQ(write(ask[1], "a", 1), 1);
	CHECK_EQ(read(answer[0], &reaper, sizeof(reaper)), sizeof(reaper));
	CHECK(reaper != getpid());
	CHECK_EQ(waitpid(c, NULL, 0), c);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void a_reused_reaper_is_dropped_when_it_releases(void **state)
{
	(void)state;
	run_body(reaper_releases, NULL);
}

/* ---- 4. The branch of an adopted grandchild ---- */

static void branch_after_head_died(void *arg)
{
	(void)arg;
	acquire();
	pid_t g1, g2;
	pid_t c1 = spawn_pair(&g1);
	pid_t c2 = spawn_pair(&g2);
	struct procctl_reaper_status rs;
	CHECK_OK(P_PID, 0, PROC_REAP_STATUS, &rs);   /* sees both branches */
	CHECK_EQ(rs.rs_descendants, 4);
	kill(c1, SIGKILL);
	CHECK_EQ(waitpid(c1, NULL, 0), c1);
	/* g1 is the reaper's child now, of c1's branch still. */
	struct procctl_reaper_kill rk = { .rk_sig = SIGKILL,
	    .rk_flags = REAPER_KILL_SUBTREE, .rk_subtree = c1 };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(rk.rk_killed, 1);
	int status;
	CHECK_EQ(waitpid(g1, &status, 0), g1);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK_EQ(kill(c2, 0), 0);
	CHECK_EQ(kill(g2, 0), 0);
	rk = (struct procctl_reaper_kill){ .rk_sig = SIGKILL };
	CHECK_OK(P_PID, 0, PROC_REAP_KILL, &rk);
	CHECK_EQ(reap_all_counting(SIGKILL), 2);
}

static void subtree_kill_finds_a_branch_whose_head_died(void **state)
{
	(void)state;
	run_body(branch_after_head_died, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sigkill_from_a_descendant_reaches_every_process),
		cmocka_unit_test(sigterm_from_a_descendant_reaches_every_process),
		cmocka_unit_test(sigstop_from_a_descendant_stops_all_and_returns_when_continued),
		cmocka_unit_test(sigkill_from_a_thread_of_a_descendant_reaches_every_process),
		cmocka_unit_test(children_mode_from_a_child_reaches_every_child),
		cmocka_unit_test(subtree_mode_from_inside_the_branch_reaches_the_branch),
		cmocka_unit_test(the_engines_helper_is_never_counted_listed_or_signalled),
		cmocka_unit_test(another_processs_helper_is_never_counted_or_listed),
		cmocka_unit_test(a_process_faking_the_helper_mark_is_killed_with_its_creator),
		cmocka_unit_test(a_process_faking_the_helper_mark_is_stopped_with_its_creator),
		cmocka_unit_test(a_process_faking_the_probe_mark_with_one_thread_is_killed),
		cmocka_unit_test(a_grandchilds_probes_do_not_pile_up_in_its_reaper),
		cmocka_unit_test(a_reused_reaper_is_dropped_when_it_releases),
		cmocka_unit_test(subtree_kill_finds_a_branch_whose_head_died),
	};
	return TL_RUN(tests);
}
