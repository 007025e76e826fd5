#!/bin/sh
# The shared library exports procctl(), cap_enter() and cap_getmode() and
# nothing else of its own, under the LIBPROCCTL_1.0 version node.
set -eu
lib=$1
expected='cap_enter@@LIBPROCCTL_1.0
cap_getmode@@LIBPROCCTL_1.0
procctl@@LIBPROCCTL_1.0'
actual=$(nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sort)
if [ "$actual" != "$expected" ]; then
	echo "unexpected exports in $lib:"
	echo "$actual"
	exit 1
fi
echo "ok: exactly these are exported:" $expected
