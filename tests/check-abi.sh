#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The exported ABI against the baseline in abi/ (libabigail's abidw XML).
#   check-abi.sh check  LIB BASELINE   fail on an incompatible change
#   check-abi.sh update LIB BASELINE   write LIB's ABI as the new baseline
# `ninja -C build abi-update` runs the second; README.md says when to.
# abidiff's exit status is a bit mask: 1 error, 2 usage, 4 the ABI changed,
# 8 the change is incompatible.  A compatible change (a new symbol) passes
# and is shown, so that the baseline is updated with the release that adds it.
set -u
mode=$1
lib=$2
baseline=$3

if ! command -v abidw >/dev/null 2>&1 || ! command -v abidiff >/dev/null 2>&1; then
	echo "# skip reason: abidw and abidiff are not installed (Debian: abigail-tools)"
	exit 77
fi
# Without DWARF abidw sees symbols but no types: the check would be hollow.
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
	echo "# skip reason: $lib has no debug information (build with -g, e.g. buildtype debugoptimized)"
	exit 77
fi

dump() {
	abidw --no-corpus-path --no-comp-dir-path --no-show-locs \
	    --exported-interfaces-only "$1"
}

if [ "$mode" = update ]; then
	dump "$lib" >"$baseline.new" && mv "$baseline.new" "$baseline" || exit 1
	echo "wrote $baseline; commit it with the change that altered the ABI"
	exit 0
fi

current=$(mktemp)
trap 'rm -f "$current"' EXIT
dump "$lib" >"$current" || exit 1
abidiff --no-show-locs "$baseline" "$current" >"$current.report" 2>&1
status=$?
cat "$current.report"
rm -f "$current.report"
if [ $((status & 8)) -ne 0 ]; then
	echo "incompatible ABI change against $baseline: this needs a soname bump (README.md, ABI)"
	exit 1
fi
if [ $((status & 3)) -ne 0 ]; then
	echo "abidiff failed (status $status)"
	exit 1
fi
if [ $((status & 4)) -ne 0 ]; then
	echo "ok: compatible ABI change (an addition); update the baseline with ninja abi-update"
else
	echo "ok: the exported ABI is the baseline's"
fi
exit 0
