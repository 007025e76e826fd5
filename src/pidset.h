/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A set of processes, each named by pid and start time, so that a process
 * that took over a recycled pid is not taken for the one already in the set.
 */
#ifndef LIBPROCCTL_PIDSET_H
#define LIBPROCCTL_PIDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pidset_entry {
	pid_t pid;              /* 0: empty slot */
	uint64_t starttime;
	int value;              /* what the user of the set keeps per member */
};

struct pidset {
	struct pidset_entry *slots;
	size_t capacity;        /* a power of two, or 0 */
	size_t count;
};

#define PIDSET_INIT ((struct pidset){ NULL, 0, 0 })

/* 1 if added, 0 if already present (its value unchanged), -ENOMEM. */
int pidset_add(struct pidset *s, pid_t pid, uint64_t starttime, int value);
bool pidset_contains(const struct pidset *s, pid_t pid, uint64_t starttime);
/* The value kept for a member; false if it is not one. */
bool pidset_lookup(const struct pidset *s, pid_t pid, uint64_t starttime, int *value);
void pidset_free(struct pidset *s);

#endif
