/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness: the /proc parsers, fed whatever bytes a file could hold.
 *
 * The first byte picks a parser, the rest is the file.  Parsers that take a
 * line get it NUL-terminated; parsers that read a file get a memfd, opened by
 * its /proc/self/fd path exactly as they open /proc/PID/status, so the real
 * reading code (short lines, over-long lines, no final newline, NUL bytes)
 * runs too.  Nothing here acts on any process: it can run anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "procfs.h"
#include "tree.h"

#include "fuzz.h"

static int memfd = -1;
static char memfd_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memfd = memfd_create("fuzz-procfs", MFD_CLOEXEC);
	if (memfd < 0)
		fuzz_die("memfd_create");
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	return 0;
}

/* The file every reader opens holds exactly these bytes. */
static void set_file(const uint8_t *data, size_t size)
{
	if (ftruncate(memfd, 0) < 0 ||
	    (size > 0 && pwrite(memfd, data, size, 0) != (ssize_t)size))
		fuzz_die("memfd write");
}

/* Every line handed to a callback is readable and NUL-terminated at len. */
static int check_line(const char *line, size_t len, void *ctx)
{
	size_t *lines = ctx;
	if (line[len] != '\0' || len >= 1024)
		fuzz_fail("line of %zu bytes not terminated at its length", len);
	fuzz_touch(line, len);
	return ++*lines > 100000;
}

static int check_mapping(const struct proc_mapping *m, void *ctx)
{
	(void)ctx;
	if (m->perms[4] != '\0')
		fuzz_fail("perms not terminated");
	fuzz_touch(m->name, strlen(m->name));
	return 0;
}

static const char *const keys[] = {
	"TracerPid", "NoNewPrivs", "Seccomp", "Pid", "Threads", "Uid", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t which = data[0];
	data++;
	size--;

	switch (which % 8) {
	case 0: {
		/* One stat line, as procfs_read_stat hands it over. */
		char *line = malloc(size + 1);
		if (line == NULL)
			return 0;
		memcpy(line, data, size);
		line[size] = '\0';
		struct proc_stat st;
		int r = procfs_parse_stat(line, &st);
		if (r != 0 && r != -EINVAL)
			fuzz_fail("parse_stat returned %d", r);
		if (r == 0) {
			(void)proc_stat_is_zombie(&st);
			(void)proc_stat_is_exiting(&st);
		}
		free(line);
		break;
	}
	case 1: {
		if (size < 1)
			return 0;
		const char *key = keys[data[0] % (sizeof(keys) / sizeof(keys[0]))];
		set_file(data + 1, size - 1);
		long v;
		int r = procfs_keyed_number(memfd_path, key, &v);
		if (r != 0 && r != -ENOENT)
			fuzz_fail("keyed_number returned %d", r);
		break;
	}
	case 2: {
		set_file(data, size);
		struct proc_ids ids;
		int r = procfs_status_ids_at(AT_FDCWD, memfd_path, &ids);
		if (r != 0 && r != -ENOENT && r != -EINVAL)
			fuzz_fail("status_ids returned %d", r);
		break;
	}
	case 3: {
		set_file(data, size);
		size_t lines = 0;
		int r = procfs_for_each_line(memfd_path, check_line, &lines);
		if (r < 0)
			fuzz_fail("for_each_line returned %d", r);
		break;
	}
	case 4:
		set_file(data, size);
		if (procfs_for_each_mapping_at(AT_FDCWD, memfd_path, check_mapping, NULL) != 0)
			fuzz_fail("for_each_mapping failed");
		break;
	case 5: {
		/* A children file: every number in it, nothing else. */
		set_file(data, size);
		struct pid_list kids = PID_LIST_INIT;
		int r = tree_read_children_file(AT_FDCWD, memfd_path, &kids);
		if (r != 0 && r != -ENOMEM)
			fuzz_fail("read_children_file returned %d", r);
		for (size_t i = 0; i < kids.len; i++)
			if (kids.items[i] < 0)
				fuzz_fail("negative pid %d in a children list", (int)kids.items[i]);
		pid_list_free(&kids);
		break;
	}
	case 6: {
		set_file(data, size);
		long v;
		(void)procfs_read_long(memfd_path, &v);
		char small[64];
		ssize_t n = procfs_read_small(memfd_path, small, sizeof(small));
		if (n < 0 || (size_t)n >= sizeof(small) || small[n] != '\0')
			fuzz_fail("read_small returned %zd", n);
		break;
	}
	default: {
		/* A stat line through the file reader, as a /proc/PID/stat read. */
		set_file(data, size);
		char buf[2048];
		ssize_t n = procfs_read_small(memfd_path, buf, sizeof(buf));
		if (n < 0)
			fuzz_fail("read_small returned %zd", n);
		struct proc_stat st;
		(void)procfs_parse_stat(buf, &st);
		break;
	}
	}
	return 0;
}
