#!/bin/sh
# Install into a scratch directory and build a FreeBSD program exactly as a
# user would: only through pkg-config, and only with the installed files.
set -eu
builddir=$1
srcdir=$2
with_tools=${3:-no-tools}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

meson install -C "$builddir" --no-rebuild --destdir "$scratch/root" >/dev/null
pcdir=$(dirname "$(find "$scratch/root" -name libprocctl.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$scratch/root"

# Nothing but sys/procctl.h and sys/capsicum.h is put on the include path.
# (libseccomp, a private requirement, may add its own -I: look at ours only.)
incdir=$(pkg-config --cflags-only-I libprocctl | tr ' ' '\n' | sed -n 's/^-I\(.*\/libprocctl\)$/\1/p')
[ -n "$incdir" ] || { echo "pkg-config names no libprocctl include directory"; exit 1; }
extra=$(cd "$incdir" && find . -type f ! -path ./sys/procctl.h ! -path ./sys/capsicum.h)
if [ -n "$extra" ]; then
	echo "the include directory shadows more than it should: $extra"
	exit 1
fi

for std in c99 c11 gnu17; do
	for prog in freebsd-program freebsd-capsicum; do
		cc -std=$std -pedantic -Wall -Wextra -Werror $(pkg-config --cflags libprocctl) \
		    -c "$srcdir/tests/header/$prog.c" -o "$scratch/$prog-$std.o"
	done
done
cat > "$scratch/main.c" <<'PROG'
#include <sys/capsicum.h>
#include <sys/procctl.h>
#include <stdio.h>
int main(void)
{
	int v;
	unsigned int mode;
	if (procctl(P_PID, 0, PROC_TRACE_STATUS, &v) != 0 || cap_getmode(&mode) != 0)
		return 1;
	printf("%d %u\n", v, mode);
	return 0;
}
PROG
cc $(pkg-config --cflags libprocctl) "$scratch/main.c" -o "$scratch/main" \
    $(pkg-config --libs libprocctl)
libdir=$pcdir/..
LD_LIBRARY_PATH="$libdir" "$scratch/main" >/dev/null
# The static library needs what libprocctl.pc lists as private: libseccomp, libcap.
cc $(pkg-config --cflags libprocctl) "$scratch/main.c" -o "$scratch/main-static" \
    "$libdir/libprocctl.a" -lseccomp -lcap -pthread
"$scratch/main-static" >/dev/null

# The manual pages, and the tools running on the installed library.
pages="man3/procctl.3"
[ "$with_tools" = tools ] && pages="$pages man1/proccontrol.1 man1/protect.1"
for page in $pages; do
	if [ -z "$(find "$scratch/root" -path "*/man/$page")" ]; then
		echo "the manual page $page is not installed"
		exit 1
	fi
done
if [ "$with_tools" = tools ]; then
	bindir=$(dirname "$(find "$scratch/root" -type f -name proccontrol | head -n 1)")
	LD_LIBRARY_PATH="$libdir" "$bindir/proccontrol" -m stackgap -q >/dev/null
	[ -x "$bindir/protect" ]
fi
echo "ok: installed header, pkg-config file, libraries, manual pages and tools all work"
