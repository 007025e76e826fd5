/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Without libFuzzer (a gcc build, valgrind): run a harness once on every
 * file of its corpus, so that every tier of the suite replays the inputs
 * that once crashed the library.  A broken property aborts, as in the fuzzer.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define INPUT_MAX (1 << 20)

static int replay_file(int dirfd, const char *name, uint8_t *buf)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(name);
		return -1;
	}
	size_t len = 0;
	ssize_t n;
	while (len < INPUT_MAX && (n = read(fd, buf + len, INPUT_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	/* An exact-size copy, so that ASan catches a read past the input. */
	uint8_t *input = malloc(len ? len : 1);
	if (input == NULL)
		return -1;
	memcpy(input, buf, len);
	(void)LLVMFuzzerTestOneInput(input, len);
	free(input);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-DIRECTORY\n", argv[0]);
		return 2;
	}
	(void)LLVMFuzzerInitialize(&argc, &argv);
	DIR *dir = opendir(argv[1]);
	uint8_t *buf = malloc(INPUT_MAX);
	if (dir == NULL || buf == NULL) {
		perror(argv[1]);
		return 2;
	}
	int files = 0, bad = 0;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (replay_file(dirfd(dir), de->d_name, buf) < 0)
			bad++;
		files++;
	}
	closedir(dir);
	free(buf);
	printf("replayed %d inputs from %s\n", files, argv[1]);
	return bad || files == 0 ? 1 : 0;
}
