/* SPDX-License-Identifier: BSD-2-Clause */
/* The same FreeBSD-style program, compiled as C++ (the header's extern "C"). */
#include "freebsd-program.c"
