/* SPDX-License-Identifier: BSD-2-Clause */
#include "target-process.h"

#include <dirent.h>
#include <errno.h>
#include <linux/capability.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The next line, or false at end of output or after timeout_ms. */
static bool next_line(struct target_process *tp, char *line, size_t size, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		char *nl = memchr(tp->pending, '\n', tp->pending_len);
		if (nl != NULL) {
			size_t len = (size_t)(nl - tp->pending);
			snprintf(line, size, "%.*s", (int)len, tp->pending);
			memmove(tp->pending, nl + 1, tp->pending_len - len - 1);
			tp->pending_len -= len + 1;
			return true;
		}
		long left = deadline - now_ms();
		if (left <= 0 || tp->pending_len == sizeof(tp->pending))
			return false;
		struct pollfd p = { .fd = tp->out, .events = POLLIN };
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		ssize_t n = read(tp->out, tp->pending + tp->pending_len,
		    sizeof(tp->pending) - tp->pending_len);
		if (n <= 0)
			return false;
		tp->pending_len += (size_t)n;
	}
}

bool tp_start(struct target_process *tp, const char *const args[])
{
	const char *path = getenv("LPC_REMOTE_TARGET");
	if (path == NULL)
		fail_msg("LPC_REMOTE_TARGET is not set");
	const char *argv[24] = { path };
	size_t n = 1;
	for (; args[n - 1] != NULL && n < 23; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;

	int in[2], out[2];
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
		fail_msg("pipe: %s", strerror(errno));
	memset(tp, 0, sizeof(*tp));
	tp->pid = tl_fork();
	if (tp->pid == 0) {
		if (dup2(in[0], STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0)
			_exit(98);
		execv(path, (char *const *)argv);
		_exit(97);
	}
	close(in[0]);
	close(out[1]);
	tp->in = in[1];
	tp->out = out[0];

	char line[256];
	if (!next_line(tp, line, sizeof(line), TP_TIMEOUT_MS) || strncmp(line, "ready ", 6) != 0) {
		tl_skip_note("remote-target %s did not start: %s", args[0], line);
		tp_kill(tp);
		return false;
	}
	return true;
}

/* Whether every thread of pid sleeps (S): none starting, faulting (D) or running. */
bool tp_all_threads_asleep(pid_t pid)
{
	char path[32];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (d == NULL)
		return false;
	bool asleep = true;
	struct dirent *e;
	while (asleep && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char file[320], buf[512];
		snprintf(file, sizeof(file), "%s/%s/stat", path, e->d_name);
		FILE *f = fopen(file, "r");
		if (f == NULL)
			continue;
		const char *close = NULL;
		if (fgets(buf, sizeof(buf), f) != NULL)
			close = strrchr(buf, ')');
		asleep = close != NULL && close[1] == ' ' && close[2] == 'S';
		fclose(f);
	}
	closedir(d);
	return asleep;
}

void tp_wait_state(struct target_process *tp, const char *states)
{
	if (!tl_wait_state(tp->pid, states, TP_TIMEOUT_MS))
		fail_msg("target %d never reached state %s", (int)tp->pid, states);
}

void tp_wait_all_asleep(struct target_process *tp)
{
	long deadline = now_ms() + TP_TIMEOUT_MS;
	while (!tp_all_threads_asleep(tp->pid)) {
		if (now_ms() > deadline)
			fail_msg("target %d: not every thread came to sleep", (int)tp->pid);
		usleep(1000);
	}
}

void tp_send(struct target_process *tp, const char *line)
{
	size_t len = strlen(line);
	if (write(tp->in, line, len) != (ssize_t)len)
		fail_msg("write to target: %s", strerror(errno));
}

void tp_expect(struct target_process *tp, const char *prefix, char *line, size_t size)
{
	long deadline = now_ms() + TP_TIMEOUT_MS;
	for (;;) {
		long left = deadline - now_ms();
		if (left <= 0 || !next_line(tp, line, size, (int)left))
			fail_msg("target %d: no line starting with '%s'", (int)tp->pid, prefix);
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			return;
	}
}

void tp_expect_exactly(struct target_process *tp, const char *prefix, const char *want)
{
	char line[512];
	tp_expect(tp, prefix, line, sizeof(line));
	if (strcmp(line, want) != 0)
		fail_msg("target %d said '%s', expected '%s'", (int)tp->pid, line, want);
}

pid_t tp_vfork_child(struct target_process *tp)
{
	char line[128];
	tp_expect(tp, "vfork-child", line, sizeof(line));
	pid_t child = (pid_t)atoi(line + strlen("vfork-child "));
	if (child <= 0)
		fail_msg("target %d said '%s'", (int)tp->pid, line);
	tp_wait_state(tp, "D");
	return child;
}

bool tp_can_judge_filters(void)
{
	return tl_has_cap(CAP_SYS_ADMIN) && tl_in_initial_userns() &&
	    tl_status_field(getpid(), "Seccomp") == 0;
}

static void close_pipes(struct target_process *tp)
{
	if (tp->in >= 0)
		close(tp->in);
	if (tp->out >= 0)
		close(tp->out);
	tp->in = tp->out = -1;
}

int tp_finish(struct target_process *tp)
{
	int status = tl_wait(tp->pid, TP_TIMEOUT_MS);
	if (status == -1) {
		tp_kill(tp);
		fail_msg("target did not exit");
	}
	close_pipes(tp);
	tp->pid = 0;
	return status;
}

void tp_finish_cleanly(struct target_process *tp)
{
	int status = tp_finish(tp);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("target ended with status %#x", status);
}

void tp_end_reading(struct target_process *tp, const char *want_attrs)
{
	tp_send(tp, "intact\n");
	tp_expect_exactly(tp, "read", "read n=7 data=intact");
	if (want_attrs != NULL)
		tp_expect_exactly(tp, "attrs", want_attrs);
	tp_finish_cleanly(tp);
}

void tp_kill(struct target_process *tp)
{
	if (tp->pid > 0)
		tl_kill_and_reap(tp->pid);
	tp->pid = 0;
	close_pipes(tp);
}
