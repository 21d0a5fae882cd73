#!/usr/bin/env bash
# Syntax-checks the macOS-only native sources against Apple's real SDK headers, for arm64 and x86_64.
#   MACOS_SDK    SDK root with usr/include/EndpointSecurity (the Endpoint Security shim)
#   MACOS_SDK12  SDK root with SystemExtensions.framework (the container app's activation helper)
# How to get both on Linux: DEVELOPERS.md, "macOS SDK headers".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLANG=${CLANG:-clang}
flags=(-fsyntax-only -Wall -Wextra -Werror -std=c11)
checked=0

check() { # check SDK LANGFLAGS... -- FILES...
  local sdk=$1; shift
  local lang=() arch file
  while [ "$1" != -- ]; do lang+=("$1"); shift; done
  shift
  for arch in arm64 x86_64; do
    for file in "$@"; do
      "$CLANG" "${flags[@]}" "${lang[@]}" -target "$arch-apple-macos12" -isysroot "$sdk" \
        -I "$here/es/include" -I "$here/es/src" "$file"
      printf '  ok  %-7s %s\n' "$arch" "${file#"$here"/}"
      checked=$((checked + 1))
    done
  done
}

if [ -n "${MACOS_SDK:-}" ]; then
  [ -f "$MACOS_SDK/usr/include/EndpointSecurity/EndpointSecurity.h" ] ||
    { echo "MACOS_SDK=$MACOS_SDK has no usr/include/EndpointSecurity/EndpointSecurity.h (see DEVELOPERS.md)" >&2; exit 1; }
  check "$MACOS_SDK" -- "$here"/es/src/*.c "$here"/es/test/es_values_check.c
fi
if [ -n "${MACOS_SDK12:-}" ]; then
  [ -d "$MACOS_SDK12/System/Library/Frameworks/SystemExtensions.framework" ] ||
    { echo "MACOS_SDK12=$MACOS_SDK12 has no SystemExtensions.framework (see DEVELOPERS.md)" >&2; exit 1; }
  check "$MACOS_SDK12" -fobjc-arc -std=gnu11 -- "$here"/macos-app/*.m
  # The shim also compiles against the older SDK: nothing newer than macOS 12 is used.
  [ -n "${MACOS_SDK:-}" ] || check "$MACOS_SDK12" -- "$here"/es/src/*.c "$here"/es/test/es_values_check.c
fi
[ "$checked" -gt 0 ] || { echo "set MACOS_SDK and/or MACOS_SDK12 (see DEVELOPERS.md)" >&2; exit 1; }
echo "macOS SDK syntax check: $checked file/architecture pairs passed"
