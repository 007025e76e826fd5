/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The modes of proccontrol(1): for each, the procctl(2) commands behind it,
 * the values that -s enable and -s disable send, and how -q words the
 * status.  The words are FreeBSD's, so that scripts written for FreeBSD's
 * proccontrol read the same output here.
 */
#ifndef LIBPROCCTL_TOOLS_PROCCONTROL_MODES_H
#define LIBPROCCTL_TOOLS_PROCCONTROL_MODES_H

#include <stdbool.h>
#include <stdio.h>

enum mode_action {
	ACTION_QUERY,
	ACTION_ENABLE,
	ACTION_DISABLE,
};

struct mode {
	const char *name;
	int ctl_cmd;
	int status_cmd;
	int enable_value;
	int disable_value;
	void (*print_status)(FILE *out, int status);
	/*
	 * Why an enabled setting would not reach a command run through
	 * proccontrol, when Linux loses it at execve where FreeBSD keeps it;
	 * NULL when it carries over.
	 */
	const char *enable_lost_at_exec;
};

/* The mode called name, or NULL. */
const struct mode *mode_find(const char *name);

/* Every mode name, separated by sep. */
void mode_print_names(FILE *out, const char *sep);

/*
 * Why the request failed with err, in words a user can act on, when that
 * is known for this mode and action; else NULL.  other_process is true
 * when the request named a process other than proccontrol itself.
 */
const char *mode_refusal_reason(const struct mode *m, enum mode_action action,
    int err, bool other_process);

#endif
