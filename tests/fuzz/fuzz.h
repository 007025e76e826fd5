/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the libFuzzer harnesses share.  A broken property aborts, which
 * libFuzzer reports as a crash and saves the input that caused it.
 */
#ifndef LIBPROCCTL_FUZZ_H
#define LIBPROCCTL_FUZZ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harness itself cannot work here (no memfd, no namespace): not a finding. */
__attribute__((noreturn, unused)) static void fuzz_die(const char *what)
{
	perror(what);
	exit(2);
}

/* The library broke a property: a finding. */
__attribute__((noreturn, format(printf, 1, 2), unused))
static void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz: property broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* Read every byte, so that ASan sees any that are out of bounds. */
__attribute__((unused)) static void fuzz_touch(const void *p, size_t len)
{
	const volatile unsigned char *b = p;
	unsigned char sum = 0;
	for (size_t i = 0; i < len; i++)
		sum ^= b[i];
	(void)sum;
}

#endif
