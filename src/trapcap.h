/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LIBPROCCTL_TRAPCAP_H
#define LIBPROCCTL_TRAPCAP_H

#include <stdbool.h>

/* Whether capability-mode violations should raise SIGTRAP in this process. */
bool trapcap_enabled(void);

#endif
