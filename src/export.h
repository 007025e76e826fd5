/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LIBPROCCTL_EXPORT_H
#define LIBPROCCTL_EXPORT_H

/* The library builds with -fvisibility=hidden; this marks the public API. */
#define LPC_EXPORT __attribute__((visibility("default")))

#endif
