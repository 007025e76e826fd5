/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command table: one row per procctl command, describing everything the
 * dispatcher needs so that the rules every command shares (copy-in, id types,
 * target lookup, access checks, P_PGID best effort, copy-out) are written
 * once, in procctl.c.  Handlers receive a target that is already found and
 * checked, and data already copied in.
 */
#ifndef LIBPROCCTL_COMMAND_H
#define LIBPROCCTL_COMMAND_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/procctl.h>

#include "target.h"

/* Every shape of `data`, copied in and out by the dispatcher. */
union procctl_data {
	int value;
	struct procctl_reaper_status status;
	struct procctl_reaper_pids pids;
	struct procctl_reaper_kill kill;
};

/* Returns 0 or -errno; never touches errno's meaning for the caller. */
typedef int command_handler(struct target *t, union procctl_data *data);

/* Privilege a command needs before anything else (machine-dependent rows). */
enum command_priv {
	PRIV_NONE,
	PRIV_RAWIO,          /* FreeBSD's PRIV_IO: CAP_SYS_RAWIO */
};

struct command {
	int cmd;
	const char *name;
	uint8_t copyin;              /* bytes read from data before acting */
	uint8_t copyout;             /* bytes written to data after acting */
	bool pgid_ok;                /* accepts P_PGID as well as P_PID */
	bool data_must_be_null;      /* non-NULL data is EINVAL */
	bool esrch_is_einval;        /* a pid that is not found is EINVAL */
	bool copyout_on_error;       /* data is written back even on failure */
	bool denied_in_capmode;      /* ECAPMODE in capability mode, even for the caller */
	enum target_access access;   /* what the caller needs on another process */
	/*
	 * Machine-dependent commands follow FreeBSD's cpu_procctl() order:
	 * privilege, copy-in and the value check come before the lookup.
	 */
	bool md;
	enum command_priv priv;
	int (*check_value)(int value);
	command_handler *handler;
};

/* The row for cmd, or NULL when cmd is not a command on this machine. */
const struct command *command_lookup(int cmd);

/* Iteration for tests and tools: rows in table order, NULL at the end. */
const struct command *command_at(size_t index);

#endif
