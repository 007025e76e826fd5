/* SPDX-License-Identifier: BSD-2-Clause */
/* A child with a slow exit; see exiting-process.h. */
#include "exiting-process.h"
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PF_EXITING_BIT 0x00000004u

/* Freeing this many small pages takes several milliseconds. */
#define SLOW_EXIT_BYTES ((size_t)128 << 20)

static _Noreturn void exit_slowly(int ready, int go)
{
	char *m = mmap(NULL, SLOW_EXIT_BYTES, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		_exit(2);
	/* Huge pages would be freed in a few steps. */
	(void)madvise(m, SLOW_EXIT_BYTES, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < SLOW_EXIT_BYTES; i += 4096)
		m[i] = 1;
	if (write(ready, "r", 1) != 1)
		_exit(3);
	char byte;
	(void)read(go, &byte, 1);       /* a byte, or EOF when the test ends */
	_exit(0);
}

void tl_exiting_start(struct tl_exiting *e)
{
	int ready[2], go[2];
	if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0)
		fail_msg("pipe2: %s", strerror(errno));
	e->pid = tl_fork();
	if (e->pid == 0) {
		close(ready[0]);
		close(go[1]);
		exit_slowly(ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	e->go = go[1];
	char byte;
	ssize_t n = read(ready[0], &byte, 1);
	close(ready[0]);
	if (n != 1)
		fail_msg("child %d did not get ready", (int)e->pid);
}

/* 1: exiting, 0: not yet, -1: a zombie or gone.  No stdio: signal-safe. */
static int exit_state(pid_t pid)
{
	char path[32] = "/proc/", buf[512];
	char digits[12];
	int len = 0;
	for (unsigned int v = (unsigned int)pid; len == 0 || v != 0; v /= 10)
		digits[len++] = (char)('0' + v % 10);
	size_t at = strlen(path);
	while (len > 0)
		path[at++] = digits[--len];
	memcpy(path + at, "/stat", sizeof("/stat"));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	if (p == NULL || p[1] != ' ')
		return -1;
	char state = p[2];
	if (state == 'Z' || state == 'X')
		return -1;
	/* Fields after the state: ppid pgrp session tty_nr tpgid flags. */
	p += 3;
	for (int field = 0; field < 5; field++) {
		p = strchr(p + 1, ' ');
		if (p == NULL)
			return -1;
	}
	unsigned long flags = strtoul(p + 1, NULL, 10);
	return (flags & PF_EXITING_BIT) != 0;
}

bool tl_exiting_enter(const struct tl_exiting *e)
{
	if (write(e->go, "x", 1) != 1)
		return false;
	/* Bounded: the exit itself begins within microseconds. */
	for (int i = 0; i < 1000000; i++) {
		int s = exit_state(e->pid);
		if (s != 0)
			return s > 0;
	}
	return false;
}

void tl_exiting_end(struct tl_exiting *e)
{
	close(e->go);
	int status = tl_wait(e->pid, 10000);
	if (status < 0)
		tl_kill_and_reap(e->pid);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the exiting child ended with status %#x", status);
}
