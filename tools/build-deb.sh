#!/bin/sh
# Builds libapache2-mod-seances-auth_VERSION_ARCH.deb with dpkg-buildpackage, on a clean copy of
# the tree (dpkg-buildpackage writes into the source tree and into its parent directory), then
# runs lintian on it, which must report no error and no warning.
#
#   sh tools/build-deb.sh [SOURCE [OUTDIR]]      (defaults: the project, build/deb)
#
# The .deb (and .buildinfo, .changes, -dbgsym) land in OUTDIR; its path is the last line of
# the output. SOURCE may be the top of a git checkout (tracked and untracked files are copied,
# ignored ones are not) or a plain directory (copied whole, but for build/).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
SRC=$(cd "${1:-$TOP}" && pwd)
OUT=${2:-$TOP/build/deb}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

rm -rf "$OUT/src"
mkdir -p "$OUT/src"
if [ "$(git -C "$SRC" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$SRC" && pwd -P)" ]; then
    (cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
        xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf -) | tar -C "$OUT/src" -xf -
else
    tar -C "$SRC" --exclude=./build -cf - . | tar -C "$OUT/src" -xf -
fi

cd "$OUT/src"
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -q DEB_HOST_ARCH)
deb="$OUT/libapache2-mod-seances-auth_${version}_${arch}.deb"
rm -f "$deb"
echo "build-deb: dpkg-buildpackage in $OUT/src (version $version)"
DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=2}" dpkg-buildpackage -b --no-sign >"$OUT/build.log" 2>&1 ||
    { tail -40 "$OUT/build.log"; echo "build-deb: dpkg-buildpackage failed (log: $OUT/build.log)"; exit 1; }
[ -f "$deb" ] || { echo "build-deb: $deb was not made"; exit 1; }

# Errors and warnings fail the build; each override in debian/*.lintian-overrides says why.
# (SKIP_LINTIAN=1: the package test's second package, a copy with one more migration.)
[ "${SKIP_LINTIAN:-0}" = 1 ] && { echo "$deb"; exit 0; }
echo "build-deb: lintian"
lintian --fail-on error,warning --display-info "$deb"
echo "$deb"
