/* SPDX-License-Identifier: BSD-2-Clause */
/* The reaper registry: announcements, and what a reader believes. */
#include "testlib.h"

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/procctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reaper_registry.h"

static bool announced(pid_t pid)
{
	struct pidref ref;
	if (pidref_open(&ref, pid, NULL) != 0)
		return false;
	struct registry_lookup l = REGISTRY_LOOKUP_INIT;
	bool yes = registry_says_reaper(&l, &ref);
	registry_lookup_close(&l);
	pidref_close(&ref);
	return yes;
}

static void announce_and_withdraw(void *arg)
{
	(void)arg;
	CHECK(!announced(getpid()));
	CHECK_EQ(registry_announce(), 0);
	CHECK(announced(getpid()));
	/* Twice is harmless. */
	CHECK_EQ(registry_announce(), 0);
	CHECK(announced(getpid()));

	int up[2], down[2];
	CHECK(pipe(up) == 0 && pipe(down) == 0);
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		/* Without the parent's ends, a failed parent means EOF here, not a hang. */
		close(up[0]);
		close(down[1]);
		/* Not inherited: the child is no reaper, the parent still is. */
		int ok = !announced(getpid()) && announced(getppid());
		char c;
		if (write(up[1], &ok, sizeof(ok)) != sizeof(ok) || read(down[0], &c, 1) != 1)
			_exit(90);
		/* After the parent withdrew, the child does not keep the name alive. */
		_exit(announced(getppid()) ? 91 : 0);
	}
	close(up[1]);
	close(down[0]);
	int ok = 0;
	CHECK_EQ(read(up[0], &ok, sizeof(ok)), sizeof(ok));
	CHECK_EQ(ok, 1);
	registry_withdraw();
	CHECK(!announced(getpid()));
	CHECK_EQ(write(down[1], "x", 1), 1);
	int status;
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK_EQ(WEXITSTATUS(status), 0);
}

static void an_announcement_is_seen_and_not_inherited(void **state)
{
	(void)state;
	run_in_child(announce_and_withdraw, NULL);
}

static unsigned long long own_pidns(void)
{
	struct stat st;
	return stat("/proc/self/ns/pid", &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* Another uid binds the name that would announce the parent. */
static void forged_by_another_uid(void *arg)
{
	(void)arg;
	struct proc_stat st;
	CHECK_EQ(procfs_read_stat(0, &st), 0);
	pid_t victim = getpid();
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t forger = fork();
	CHECK(forger >= 0);
	if (forger == 0) {
		if (setresuid(65534, 65534, 65534) != 0)
			_exit(90);
		int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		struct sockaddr_un addr = { .sun_family = AF_UNIX };
		int n = snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1,
		    "libprocctl/reaper/%llu/%d/%llu", own_pidns(), (int)victim,
		    (unsigned long long)st.starttime);
		if (bind(fd, (struct sockaddr *)&addr,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n)) != 0)
			_exit(91);
		char c = 'x';
		if (write(p[1], &c, 1) != 1)
			_exit(92);
		pause();
		_exit(0);
	}
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	/* The name is bound, but by a uid the victim does not hold. */
	CHECK(!announced(victim));
	kill(forger, SIGKILL);
	waitpid(forger, NULL, 0);
}

static void a_forged_announcement_is_not_believed(void **state)
{
	(void)state;
	if (getuid() != 0 || !tl_in_initial_userns())
		tl_skip("needs root to make a process of another uid");
	run_in_child(forged_by_another_uid, NULL);
}

/* The snapshot of one lookup, and the connect(2) for each candidate, agree. */
static bool announced_by(pid_t pid, bool per_process)
{
	registry_force_per_process(per_process);
	bool yes = announced(pid);
	registry_force_per_process(false);
	return yes;
}

static void snapshot_and_connect(void *arg)
{
	(void)arg;
	CHECK(!announced_by(getpid(), false) && !announced_by(getpid(), true));
	CHECK_EQ(registry_announce(), 0);
	CHECK(announced_by(getpid(), false) && announced_by(getpid(), true));

	/* The same pid with another start time: a recycled pid, never a match. */
	struct pidref ref;
	CHECK_EQ(pidref_open(&ref, getpid(), NULL), 0);
	ref.starttime++;
	struct registry_lookup l = REGISTRY_LOOKUP_INIT;
	CHECK(!registry_says_reaper(&l, &ref));
	ref.starttime--;
	CHECK(registry_says_reaper(&l, &ref));

	/* One snapshot per lookup: a withdrawal after it is seen by the next one. */
	registry_withdraw();
	CHECK(registry_says_reaper(&l, &ref));
	registry_lookup_close(&l);
	CHECK(!registry_says_reaper(&l, &ref));
	registry_lookup_close(&l);
	pidref_close(&ref);
	CHECK(!announced_by(getpid(), false) && !announced_by(getpid(), true));
}

static void one_snapshot_per_lookup_answers_as_connect_does(void **state)
{
	(void)state;
	run_in_child(snapshot_and_connect, NULL);
}

/* Many announcements: the dump spans several messages, each one is found. */
static void many_announcers(void *arg)
{
	(void)arg;
	enum { N = 40 };
	pid_t kids[N];
	int ready[2];
	CHECK(pipe(ready) == 0);
	for (int i = 0; i < N; i++) {
		kids[i] = fork();
		CHECK(kids[i] >= 0);
		if (kids[i] == 0) {
			close(ready[0]);
			if (registry_announce() != 0)
				_exit(90);
			char c = 'x';
			if (write(ready[1], &c, 1) != 1)
				_exit(91);
			pause();
			_exit(0);
		}
	}
	close(ready[1]);
	char c;
	for (int i = 0; i < N; i++)
		CHECK_EQ(read(ready[0], &c, 1), 1);
	close(ready[0]);
	struct registry_lookup l = REGISTRY_LOOKUP_INIT;
	int seen = 0;
	for (int i = 0; i < N; i++) {
		struct pidref ref;
		if (pidref_open(&ref, kids[i], NULL) == 0) {
			seen += registry_says_reaper(&l, &ref);
			pidref_close(&ref);
		}
	}
	registry_lookup_close(&l);
	for (int i = 0; i < N; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	CHECK_EQ(seen, N);
}

static void every_announcement_is_in_the_snapshot(void **state)
{
	(void)state;
	run_in_child(many_announcers, NULL);
}

/*
 * One reaper command asks the registry once: finding the target's reaper
 * (is C a reaper?) and listing its descendants (is D?) share one snapshot.
 * A reaper announced after it is seen by the next call.
 */
static unsigned int pidinfo_flags_of(pid_t reaper, pid_t pid, unsigned int *dumps)
{
	struct procctl_reaper_pidinfo info[4];
	memset(info, 0, sizeof(info));
	struct procctl_reaper_pids rp = { .rp_count = 4, .rp_pids = info };
	unsigned int before = registry_snapshots_taken();
	CHECK_EQ(procctl(P_PID, reaper, PROC_REAP_GETPIDS, &rp), 0);
	*dumps = registry_snapshots_taken() - before;
	for (int i = 0; i < 4; i++)
		if (info[i].pi_pid == pid)
			return info[i].pi_flags;
	return 0;
}

static void one_dump_per_command(void *arg)
{
	(void)arg;
	int ready[2], go[2];
	CHECK(pipe(ready) == 0 && pipe(go) == 0);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		/* C: a reaper, with one child D that becomes one when told. */
		close(ready[0]);
		close(go[1]);
		if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0)
			_exit(80);
		pid_t d = fork();
		if (d < 0)
			_exit(81);
		char x = 'x';
		if (d == 0) {
			if (write(ready[1], &x, 1) != 1 || read(go[0], &x, 1) != 1)
				_exit(82);
			if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0)
				_exit(83);
			if (write(ready[1], &x, 1) != 1)
				_exit(84);
			(void)read(go[0], &x, 1);  /* EOF: the test is over */
			_exit(0);
		}
		close(ready[1]);
		close(go[0]);
		int status;
		(void)waitpid(d, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 85);
	}
	close(ready[1]);
	close(go[0]);
	char x;
	CHECK_EQ(read(ready[0], &x, 1), 1);
	/* C's only child: its pid is in C's children file. */
	pid_t d = 0;
	for (int tries = 0; tries < 1000 && d == 0; tries++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)c, (int)c);
		FILE *f = fopen(path, "r");
		CHECK(f != NULL);
		int v;
		if (fscanf(f, "%d", &v) == 1)
			d = v;
		fclose(f);
	}
	CHECK(d > 0);

	unsigned int dumps;
	unsigned int flags = pidinfo_flags_of(c, d, &dumps);
	CHECK(flags & REAPER_PIDINFO_VALID);
	CHECK(!(flags & REAPER_PIDINFO_REAPER));
	CHECK_EQ(dumps, 1);

	CHECK_EQ(write(go[1], "x", 1), 1);
	CHECK_EQ(read(ready[0], &x, 1), 1);
	flags = pidinfo_flags_of(c, d, &dumps);
	CHECK(flags & REAPER_PIDINFO_REAPER);
	CHECK_EQ(dumps, 1);

	close(go[1]);
	int status;
	CHECK_EQ(waitpid(c, &status, 0), c);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(ready[0]);
}

static void a_command_asks_the_registry_once(void **state)
{
	(void)state;
	run_in_child(one_dump_per_command, NULL);
}

static void acquire_then_exec(void *arg)
{
	(void)arg;
	if (procctl(P_PID, 0, PROC_REAP_ACQUIRE, NULL) != 0)
		_exit(80);
}

/* The flag survives execve; the library, loaded again, announces it again. */
static void after_exec_the_new_image_announces_again(void **state)
{
	(void)state;
	if (tl_is_ns_init())
		tl_skip("PID 1 cannot acquire: it is already the reaper");
	int in[2], out[2];
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	pid_t pid = tl_fork();
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		close(in[1]);
		close(out[0]);
		acquire_then_exec(NULL);
		tl_exec_probe("hold");
	}
	close(in[0]);
	close(out[1]);
	char ready[8] = "";
	assert_true(read(out[0], ready, sizeof(ready)) > 0);
	assert_true(announced(pid));
	close(in[1]);
	close(out[0]);
	assert_true(tl_wait(pid, 5000) != -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_announcement_is_seen_and_not_inherited),
		cmocka_unit_test(a_forged_announcement_is_not_believed),
		cmocka_unit_test(one_snapshot_per_lookup_answers_as_connect_does),
		cmocka_unit_test(every_announcement_is_in_the_snapshot),
		cmocka_unit_test(a_command_asks_the_registry_once),
		cmocka_unit_test(after_exec_the_new_image_announces_again),
	};
	return TL_RUN(tests);
}
