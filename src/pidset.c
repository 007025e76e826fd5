/* SPDX-License-Identifier: BSD-2-Clause */
#include "pidset.h"

#include <errno.h>
#include <stdlib.h>

/*
 * Open addressing on the pid.  The same pid can be present with two start
 * times (a pid recycled during a long REAP_KILL), so a probe only stops at
 * an exact match or an empty slot.
 */
static size_t slot_of(const struct pidset *s, pid_t pid)
{
	return ((size_t)(uint32_t)pid * 2654435761u) & (s->capacity - 1);
}

static const struct pidset_entry *find(const struct pidset *s, pid_t pid,
    uint64_t starttime)
{
	if (s->capacity == 0)
		return NULL;
	for (size_t i = slot_of(s, pid);; i = (i + 1) & (s->capacity - 1)) {
		const struct pidset_entry *e = &s->slots[i];
		if (e->pid == 0)
			return NULL;
		if (e->pid == pid && e->starttime == starttime)
			return e;
	}
}

bool pidset_contains(const struct pidset *s, pid_t pid, uint64_t starttime)
{
	return find(s, pid, starttime) != NULL;
}

bool pidset_lookup(const struct pidset *s, pid_t pid, uint64_t starttime, int *value)
{
	const struct pidset_entry *e = find(s, pid, starttime);
	if (e == NULL)
		return false;
	*value = e->value;
	return true;
}

static void insert(struct pidset *s, const struct pidset_entry *entry)
{
	size_t i = slot_of(s, entry->pid);
	while (s->slots[i].pid != 0)
		i = (i + 1) & (s->capacity - 1);
	s->slots[i] = *entry;
	s->count++;
}

static int grow(struct pidset *s)
{
	size_t capacity = s->capacity ? s->capacity * 2 : 64;
	struct pidset_entry *slots = calloc(capacity, sizeof(*slots));
	if (slots == NULL)
		return -ENOMEM;
	struct pidset old = *s;
	s->slots = slots;
	s->capacity = capacity;
	s->count = 0;
	for (size_t i = 0; i < old.capacity; i++)
		if (old.slots[i].pid != 0)
			insert(s, &old.slots[i]);
	free(old.slots);
	return 0;
}

int pidset_add(struct pidset *s, pid_t pid, uint64_t starttime, int value)
{
	if (pidset_contains(s, pid, starttime))
		return 0;
	/* Keep the load under one half, so that probes stay short. */
	if ((s->count + 1) * 2 > s->capacity) {
		int r = grow(s);
		if (r < 0)
			return r;
	}
	insert(s, &(struct pidset_entry){ pid, starttime, value });
	return 1;
}

void pidset_free(struct pidset *s)
{
	free(s->slots);
	*s = PIDSET_INIT;
}
