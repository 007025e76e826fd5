/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LIBPROCCTL_TOOLS_PID_ARG_H
#define LIBPROCCTL_TOOLS_PID_ARG_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Read a process or process-group id from the command line.  As in
 * FreeBSD's tools, strtol(3)'s base 0 applies (0x1f and 017 are accepted);
 * anything that is not a whole non-negative number that fits a pid_t is
 * refused.  0 is kept: procctl() takes P_PID 0 to mean the caller.
 */
bool parse_pid_arg(const char *text, id_t *id);

#endif
