#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The manual pages must pass mandoc's lint without a warning or an error.
# (Style notes, such as a cross-reference to a page this machine lacks,
# depend on the machine and are left out.)
set -u
if ! command -v mandoc >/dev/null 2>&1; then
	echo "# skip reason: mandoc is not installed"
	exit 77
fi
status=0
for page in "$@"; do
	if ! mandoc -T lint -W warning "$page"; then
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "ok: $# manual pages lint clean"
exit "$status"
