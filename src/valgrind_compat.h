/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whether the process runs under valgrind, which emulates only some system
 * calls and clone flags: the engine's helper, the orphan probe's strict
 * mode and the peer judge each need another way there.  False where
 * valgrind's header is not installed (it is only a build-time aid).
 */
#ifndef LIBPROCCTL_VALGRIND_COMPAT_H
#define LIBPROCCTL_VALGRIND_COMPAT_H

#include <stdbool.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

static inline bool under_valgrind(void)
{
#ifdef RUNNING_ON_VALGRIND
	return RUNNING_ON_VALGRIND != 0;
#else
	return false;
#endif
}

/*
 * Stop valgrind counting errors in this process: for the peer judge's
 * throwaway child, whose call is meant to fail on pages it has unmapped.
 * Counted, that error would be reported as the caller's, and with
 * --error-exitcode it would replace the child's exit status, the verdict.
 */
static inline void valgrind_stop_reporting(void)
{
#ifdef VALGRIND_DISABLE_ERROR_REPORTING
	VALGRIND_DISABLE_ERROR_REPORTING;
#endif
}

static inline void valgrind_resume_reporting(void)
{
#ifdef VALGRIND_ENABLE_ERROR_REPORTING
	VALGRIND_ENABLE_ERROR_REPORTING;
#endif
}

#endif
