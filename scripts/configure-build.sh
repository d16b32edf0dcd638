#!/usr/bin/env bash
# Configures a build folder from the repository's root CMakeLists.txt, unless
# it already is, with the given -DNAME=VALUE options:
#   scripts/configure-build.sh BUILD_DIR [-DNAME=VALUE ...]
# Quick when nothing changed, so every make target can call it. A folder that
# was configured from another source folder (the old `cmake -S plugin`
# layout, or another clone) is configured afresh.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$1"
shift
cache="$build/CMakeCache.txt"

if [ -f "$cache" ] && ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$cache"; then
  echo "$build was configured from another source folder: configuring it afresh"
  rm -rf "$cache" "$build/CMakeFiles"
fi

configure=0
[ -f "$cache" ] || configure=1
for option in "$@"; do
  name="${option#-D}"
  name="${name%%=*}"
  value="${option#*=}"
  case "$name" in
    # The cache holds the compiler's full path: it is chosen once, when the folder is made.
    CMAKE_*_COMPILER) continue ;;
  esac
  cached="$(sed -n "s/^$name:[A-Z]*=//p" "$cache" 2>/dev/null | head -n 1 || true)"
  [ "$cached" = "$value" ] || configure=1
done

if [ "$configure" -eq 1 ]; then
  cmake -S "$root" -B "$build" "$@"
fi
