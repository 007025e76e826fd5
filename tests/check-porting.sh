#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# docs/PORTING.md's recipes, followed to the letter on programs written for
# the project in FreeBSD's style: libprocctl installed into a scratch root,
# then only pkg-config and the guide's command lines.  Prints TAP.
#   check-porting.sh BUILDDIR SRCDIR
set -u
builddir=$1
srcdir=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo "1..2"

meson install -C "$builddir" --no-rebuild --destdir "$scratch/root" >/dev/null || exit 1
pc=$(find "$scratch/root" -name libprocctl.pc | head -n 1)
# Point the installed .pc at the scratch root, and leave every other
# package (libbsd-overlay, atf-c) where the system has it.
sed -i "s|^prefix=|prefix=$scratch/root|" "$pc"
export PKG_CONFIG_PATH="$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$(dirname "$(dirname "$pc")")"
porting=$srcdir/docs/porting
cc=${CC:-cc}

# 1. A FreeBSD utility: libbsd's overlay, and the sys_signame shim.
if ! pkg-config --exists libbsd-overlay; then
	echo "# skip reason: pkg-config finds no libbsd-overlay (Debian: libbsd-dev)"
	echo "ok 1 # SKIP libbsd-dev is not installed"
else
	# shellcheck disable=SC2046
	if $cc -Wall -Wextra -Werror -c "$porting/bsd-signame.c" -o "$scratch/bsd-signame.o" &&
	    $cc -Wall -Wextra -Werror -I"$porting" -include bsd-signame.h \
	    $(pkg-config --cflags libbsd-overlay libprocctl) \
	    "$srcdir/tests/porting/reapwait.c" "$scratch/bsd-signame.o" \
	    -o "$scratch/reapwait" $(pkg-config --libs libbsd-overlay libprocctl); then
		ok=true
		r=$scratch/reapwait
		# The command's status comes back; its orphan is signalled and reaped.
		"$r" -v -s term sh -c 'sleep 600 & exit 3' 2>"$scratch/err"
		[ $? -eq 3 ] && grep -q 'sent SIGTERM to 1 left behind' "$scratch/err" || ok=false
		"$r" -s SIGKILL sh -c 'sleep 600 & sleep 600 & exit 0' || ok=false
		"$r" -v -s 9 sh -c 'sleep 600 &' 2>"$scratch/err" || ok=false
		grep -q 'sent SIGKILL to 1' "$scratch/err" || ok=false
		# "+" in getopt's string: -c is sh's option, not reapwait's.
		"$r" sh -c 'exit 4'
		[ $? -eq 4 ] || ok=false
		"$r" -s nosuchsignal true 2>/dev/null
		[ $? -eq 64 ] || ok=false
		if $ok; then
			echo "ok 1 - a FreeBSD-style utility builds with libbsd-overlay and runs as on FreeBSD"
		else
			cat "$scratch/err" | sed 's/^/# /'
			echo "not ok 1 - reapwait did not behave"
		fi
	else
		echo "not ok 1 - reapwait did not build with the guide's command line"
	fi
fi

# 2. An ATF test program, the form of FreeBSD's tests/sys/kern/reaper.c.
if ! pkg-config --exists atf-c libbsd-overlay; then
	echo "# skip reason: pkg-config finds no atf-c or libbsd-overlay (Debian: libatf-dev, libbsd-dev)"
	echo "ok 2 # SKIP libatf-dev is not installed"
else
	# shellcheck disable=SC2046
	if $cc -Wall -Werror $(pkg-config --cflags atf-c libbsd-overlay libprocctl) \
	    -D'__unused=__attribute__((__unused__))' -include stdint.h \
	    "$srcdir/tests/porting/atf-reaper.c" -o "$scratch/atf-reaper" \
	    $(pkg-config --libs atf-c libbsd-overlay libprocctl); then
		ok=true
		for tc in $("$scratch/atf-reaper" -l | sed -n 's/^ident: //p'); do
			(cd "$scratch" && ./atf-reaper -r "$scratch/result" "$tc") >/dev/null 2>&1
			grep -q '^passed' "$scratch/result" || {
				echo "# $tc: $(cat "$scratch/result")"; ok=false; }
		done
		if $ok; then
			echo "ok 2 - an ATF test program builds with libatf-dev and its cases pass"
		else
			echo "not ok 2 - an ATF test case failed"
		fi
	else
		echo "not ok 2 - the ATF program did not build with the guide's command line"
	fi
fi
