#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs inside the container (tests/run-in-container starts it): copy the
# read-only source at /src to a scratch directory this user can write, and
# run the suite there, as a user of the container would.
#   inside.sh [--cmd 'SHELL COMMAND']    (the command instead of the suite)
set -eu
work=$(mktemp -d /tmp/libprocctl.XXXXXX)
# The host's build directories and git metadata are not the source.
tar -C /src --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$work" -xf -
cd "$work"
echo "container: uid $(id -u), seccomp $(sed -n 's/^Seccomp:[[:space:]]*//p' /proc/self/status)," \
    "CapEff $(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status), pid $$"
if [ "${1:-}" = --cmd ]; then
	exec sh -c "$2"
fi
# Nested containers are not this suite's business.
exec tests/run-suite --no-containers
