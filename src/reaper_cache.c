/* SPDX-License-Identifier: BSD-2-Clause */
#include "reaper_cache.h"

#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

#include "lifecycle.h"
#include "pidref.h"
#include "procfs.h"

/* Longer ancestries are not remembered: the probe is asked every time. */
#define CHAIN_MAX 32

struct member {
	pid_t pid;
	uint64_t starttime;
};

/*
 * One answer for the whole process.  A thread that finds the lock taken
 * does without (a miss, or no store) rather than wait, so nothing blocks.
 * A fork child drops the copy it inherited (reaper_cache_fork_child).
 */
static struct {
	pid_t owner;            /* getpid() of the process that stored it */
	struct member reaper;
	bool announced;         /* the reaper was in the registry */
	unsigned int len;
	struct member chain[CHAIN_MAX];  /* the parent first */
} cache;
static atomic_flag cache_lock = ATOMIC_FLAG_INIT;

static bool announced(struct registry_lookup *lookup, const struct member *m)
{
	struct pidref ref = { .pid = m->pid, .fd = -1, .procdir = false,
	    .starttime = m->starttime };
	return registry_says_reaper(lookup, &ref);
}

/* m's process now: true if it is the same one, with parent *ppid. */
static bool still(const struct member *m, pid_t *ppid)
{
	struct proc_stat st;
	if (procfs_read_stat(m->pid, &st) < 0 || st.starttime != m->starttime ||
	    proc_stat_is_zombie(&st) || proc_stat_is_exiting(&st))
		return false;
	*ppid = st.ppid;
	return true;
}

static bool holds(struct registry_lookup *lookup)
{
	if (cache.owner != getpid() || cache.reaper.pid <= 0)
		return false;
	pid_t next = getppid();
	for (unsigned int i = 0; i < cache.len; i++) {
		pid_t ppid;
		if (cache.chain[i].pid != next || !still(&cache.chain[i], &ppid) ||
		    announced(lookup, &cache.chain[i]))
			return false;
		next = ppid;
	}
	pid_t ignored;
	if (next != cache.reaper.pid || !still(&cache.reaper, &ignored))
		return false;
	return !cache.announced || announced(lookup, &cache.reaper);
}

bool reaper_cache_lookup(pid_t *reaper, struct registry_lookup *lookup)
{
	if (atomic_flag_test_and_set(&cache_lock))
		return false;
	bool hit = holds(lookup);
	if (hit)
		*reaper = cache.reaper.pid;
	atomic_flag_clear(&cache_lock);
	return hit;
}

void reaper_cache_store(pid_t reaper, struct registry_lookup *lookup)
{
	if (atomic_flag_test_and_set(&cache_lock))
		return;
	cache.owner = 0;
	cache.len = 0;
	struct proc_stat st;
	pid_t pid = getppid();
	bool complete = false;
	while (cache.len <= CHAIN_MAX && procfs_read_stat(pid, &st) == 0) {
		struct member m = { pid, st.starttime };
		if (pid == reaper) {
			cache.reaper = m;
			cache.announced = announced(lookup, &m);
			complete = true;
			break;
		}
		if (cache.len == CHAIN_MAX || st.ppid <= 0)
			break;
		cache.chain[cache.len++] = m;
		pid = st.ppid;
	}
	if (complete)
		cache.owner = getpid();
	atomic_flag_clear(&cache_lock);
}

void reaper_cache_fork_child(void)
{
	cache.owner = 0;
	atomic_flag_clear(&cache_lock);
}
