#!/bin/sh
# libprocctl as a Meson subproject: a consumer project finds it with
# dependency('libprocctl') once the subproject is configured, through
# meson.override_dependency, and builds a FreeBSD program against it.
set -eu
src=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

mkdir -p "$scratch/consumer/subprojects"
# A copy without build directories, as a wrap or a vendored tree would be.
tar -C "$src" --exclude='./build*' --exclude='./.git' -cf - . |
	(mkdir "$scratch/consumer/subprojects/libprocctl" && tar -C "$scratch/consumer/subprojects/libprocctl" -xf -)

cat > "$scratch/consumer/meson.build" <<'MESON'
project('consumer', 'c')
subproject('libprocctl', default_options: [
  'tests=false', 'examples=false', 'tools=false', 'bench=false'])
executable('consumer', 'main.c', dependencies: dependency('libprocctl'))
MESON
cat > "$scratch/consumer/main.c" <<'PROG'
#include <sys/procctl.h>
#include <stdio.h>
int main(void)
{
	struct procctl_reaper_status rs;
	if (procctl(P_PID, 0, PROC_REAP_STATUS, &rs) != 0)
		return 1;
	printf("reaper %d\n", (int)rs.rs_reaper);
	return 0;
}
PROG
meson setup "$scratch/build" "$scratch/consumer" >/dev/null
ninja -C "$scratch/build" >/dev/null
"$scratch/build/consumer" >/dev/null
echo "ok: built and ran a consumer of libprocctl as a subproject"
