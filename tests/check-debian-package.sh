#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The Debian packages, the way Debian builds and tests them, on clean roots
# made with mmdebstrap from Debian 12's archive:
#   1. a fresh root, `apt-get build-dep ./`, `dpkg-buildpackage -us -uc -b`
#      (nocheck: the suite runs the tests itself), no symbols-file drift;
#   2. lintian on the result: no error and no warning;
#   3. another fresh root: the packages installed with apt (which pulls in
#      their dependencies from the archive), and debian/tests run there as
#      autopkgtest runs them.
# Prints TAP; a step the machine cannot do is skipped with its reason.
#   check-debian-package.sh SRCDIR
# The two roots are made once and kept as tarballs in LPC_CACHE_DIR
# (default /var/cache/libprocctl), named by a hash of what they hold;
# LPC_DEBIAN_MIRROR names the archive.
set -u
srcdir=$(cd "$1" && pwd)
cache=${LPC_CACHE_DIR:-/var/cache/libprocctl}
mirror=${LPC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
# What debian/tests/control needs besides our packages, and tools to run it.
test_packages=gcc,libc6-dev,pkgconf

echo "1..3"
failed=0
skip_from() {
	n=$1
	shift
	echo "# skip reason: $*"
	while [ "$n" -le 3 ]; do
		echo "ok $n # SKIP $*"
		n=$((n + 1))
	done
	exit 0
}
fail_rest() {
	n=$1
	shift
	while [ "$n" -le 3 ]; do
		echo "not ok $n - $*"
		n=$((n + 1))
	done
	exit 1
}

[ "$(id -u)" -eq 0 ] || skip_from 1 "making a Debian root with mmdebstrap and chroot needs root"
for tool in mmdebstrap unshare chroot tar sha256sum python3; do
	command -v $tool >/dev/null 2>&1 || skip_from 1 "$tool is not installed"
done

# Without Debian's archive no root can be made: that is the machine, not us.
# (A root already cached needs the archive only for step 3's dependencies.)
if ! python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/dists/" + sys.argv[2] + "/Release", timeout=20)' \
    "$mirror" "$suite" >/dev/null 2>&1; then
	skip_from 1 "Debian's archive ($mirror) cannot be reached"
fi

scratch=$(mktemp -d /tmp/lpc-debian.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
log=$scratch/log

# The source as a fresh clone holds it: tracked and new files, no build trees.
mkdir "$scratch/src" "$scratch/share"
if git -C "$srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$srcdir" && git ls-files -z --cached --others --exclude-standard |
	    tar --null -T - -cf -) | tar -C "$scratch/src" -xf -
else
	tar -C "$srcdir" --exclude='./build*' --exclude='./obj-*' -cf - . |
	    tar -C "$scratch/src" -xf -
fi

# A root tarball, made once: cached_root NAME WHAT MMDEBSTRAP-ARGS...
# (named by a hash of the arguments and WHAT, the text it depends on).
cached_root() {
	name=$1
	what=$2
	shift 2
	# Not of this run's scratch directory, which a hook names: the root
	# was made anew on every run.
	key=$(printf '%s\n' "$suite" "$mirror" "$what" "$@" | sed "s|$scratch|SCRATCH|g" |
	    sha256sum | cut -c1-16)
	tarball=$cache/debian12-$name-$key.tar
	if [ ! -s "$tarball" ]; then
		mkdir -p "$cache" || return 1
		rm -rf "$cache"/debian12-"$name"-*.tar "$cache"/debian12-"$name"-*.tar.part
		mmdebstrap --quiet --format=tar "$@" "$suite" "$tarball.part" "$mirror" \
		    >>"$log" 2>&1 || { rm -rf "$tarball.part"; return 1; }
		mv "$tarball.part" "$tarball"
	fi
	echo "$tarball"
}

# in_root TARBALL SCRIPT: run SCRIPT with sh in a fresh copy of the root,
# with its own /proc, /dev and pid namespace; the copy is gone afterwards.
# $scratch/share is /share inside; what it prints goes to $log, anew.
in_root() {
	root=$scratch/root
	rm -rf "$root"
	: >"$log"
	mkdir -p "$root" "$cache/apt-archives/partial"
	tar -C "$root" -xf "$1" || return 1
	mkdir -p "$root/share"
	unshare --mount --pid --fork --kill-child sh -eu -c '
		root=$1
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		mount --bind "$2" "$root/share"
		mount --bind "$3" "$root/var/cache/apt/archives"
		cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
		exec chroot "$root" /bin/sh -eu -c "$4"
	' in_root "$root" "$scratch/share" "$cache/apt-archives" "$2" >>"$log" 2>&1
	status=$?
	rm -rf "$root"
	return $status
}

# 1. The build root: buildd's set plus `apt-get build-dep ./` of our control.
mkdir -p "$scratch/control/debian"
cp "$srcdir/debian/control" "$srcdir/debian/changelog" "$scratch/control/debian/"
build_deps=$(sed -n '/^Build-Depends/,/^[A-Z]/p' "$srcdir/debian/control")
build_root=$(cached_root build "$build_deps" --variant=buildd \
    --customize-hook="mkdir -p \"\$1/tmp/src\" && cp -r $scratch/control/debian \"\$1/tmp/src/\"" \
    --customize-hook='chroot "$1" apt-get build-dep -y -qq /tmp/src' \
    --customize-hook='rm -rf "$1/tmp/src"') ||
    { sed 's/^/# /' "$log" | tail -n 20; fail_rest 1 "no Debian 12 build root could be made with mmdebstrap"; }

cp -a "$scratch/src" "$scratch/share/src"
if in_root "$build_root" '
	cd /share/src
	DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b >/share/build.log 2>&1 ||
	    { tail -n 30 /share/build.log; exit 1; }
	# A symbol the symbols file does not list, or lists and is gone.
	! grep -A 10 "dpkg-gensymbols: warning" /share/build.log'; then
	echo "ok 1 - dpkg-buildpackage -us -uc -b after apt-get build-dep ./ in a fresh Debian 12 root"
else
	sed 's/^/# /' "$log" | tail -n 40
	fail_rest 1 "dpkg-buildpackage"
fi
mkdir "$scratch/debs"
mv "$scratch/share/"*.deb "$scratch/share/"*.changes "$scratch/share/"*.buildinfo "$scratch/debs/"

# 2. lintian, on this machine (it reads the packages, it does not run them),
#    on the binary packages and on the source package made from the copy.
if command -v lintian >/dev/null 2>&1 && command -v dpkg-source >/dev/null 2>&1; then
	version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$srcdir/debian/changelog")
	mkdir "$scratch/srcpkg"
	cp -a "$scratch/src" "$scratch/srcpkg/libprocctl-$version"
	(cd "$scratch/srcpkg/libprocctl-$version" && dpkg-source -b . >>"$log" 2>&1)
	lintian --display-info --pedantic "$scratch/debs/"*.changes "$scratch/srcpkg/"*.dsc \
	    >"$scratch/lintian" 2>&1
	lintian_status=$?
	grep -v '^running with root privileges' "$scratch/lintian" | sed 's/^/# lintian: /'
	if [ $lintian_status -eq 0 ] && ! grep -q '^[EW]: ' "$scratch/lintian"; then
		echo "ok 2 - lintian on the binary and source packages: no error, no warning"
	else
		echo "not ok 2 - lintian: errors or warnings"
		failed=1
	fi
else
	echo "# skip reason: lintian or dpkg-source is not installed"
	echo "ok 2 # SKIP lintian or dpkg-source is not installed"
fi

# 3. A clean root with only what the test declares; apt installs our
#    packages from files and their dependencies from the archive.
test_root=$(cached_root test "" --variant=minbase --include="$test_packages" \
    --skip=cleanup/apt/lists) ||
    { sed 's/^/# /' "$log" | tail -n 20; echo "not ok 3 - no Debian 12 test root could be made"; exit 1; }
rm -rf "$scratch/share/src"
cp -a "$scratch/src" "$scratch/share/src"
mkdir "$scratch/share/debs"
cp "$scratch/debs/"*.deb "$scratch/share/debs/"
rm -f "$scratch/share/debs/"*-dbgsym_*.deb
tests=$(sed -n 's/^Tests:[[:space:]]*//p' "$srcdir/debian/tests/control")
if in_root "$test_root" '
	export DEBIAN_FRONTEND=noninteractive
	# The lists kept in the root may name versions the archive replaced since.
	apt-get update -qq || true
	apt-get install -y -qq --no-install-recommends /share/debs/*.deb >/dev/null
	cd /share/src
	for t in '"$tests"'; do
		tmp=$(mktemp -d)
		echo "autopkgtest: $t"
		AUTOPKGTEST_TMP=$tmp debian/tests/$t
		rm -rf "$tmp"
	done'; then
	grep -e '^autopkgtest:' -e '^ok:' "$log" | sed 's/^/# /'
	echo "ok 3 - packages installed on a clean Debian 12 root; debian/tests pass there"
	exit $failed
else
	sed 's/^/# /' "$log" | tail -n 40
	echo "not ok 3 - debian/tests in a clean Debian 12 root"
	exit 1
fi
