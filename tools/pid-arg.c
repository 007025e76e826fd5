/* SPDX-License-Identifier: BSD-2-Clause */
#include "pid-arg.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

bool parse_pid_arg(const char *text, id_t *id)
{
	char *end;
	errno = 0;
	long value = strtol(text, &end, 0);
	if (end == text || *end != '\0' || errno != 0 || value < 0 || value > INT_MAX)
		return false;
	*id = (id_t)value;
	return true;
}
