#!/bin/sh
# Builds the C peers of bench/compare.sh into OUTDIR (default: the current folder):
#   auparse_walk, read_floor (need cc and libauparse-dev) and libvirt_encode (libaudit-dev, libglib2.0-dev).
# Installs nothing: a missing header stops it with the apt-get line to run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-.}
mkdir -p "$out"
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || { echo "build.sh: no C compiler ($cc): apt-get install -y gcc" >&2; exit 2; }
[ -e /usr/include/auparse.h ] || { echo "build.sh: libauparse-dev is missing: apt-get install -y libauparse-dev" >&2; exit 2; }
[ -e /usr/include/libaudit.h ] || { echo "build.sh: libaudit-dev is missing: apt-get install -y libaudit-dev" >&2; exit 2; }
pkg-config --exists glib-2.0 2>/dev/null || { echo "build.sh: libglib2.0-dev is missing: apt-get install -y libglib2.0-dev pkg-config" >&2; exit 2; }
"$cc" -O2 -Wall -Wextra -Werror -o "$out/auparse_walk" "$here/auparse_walk.c" -lauparse
"$cc" -O2 -Wall -Wextra -Werror -o "$out/read_floor" "$here/read_floor.c"
# shellcheck disable=SC2046 # pkg-config prints several flags
"$cc" -O2 -Wall -Wextra -Werror -o "$out/libvirt_encode" "$here/libvirt_encode.c" $(pkg-config --cflags --libs glib-2.0) -laudit
