#!/usr/bin/env bash
# Builds, signs, notarizes and packages KmodGuard for macOS into artifacts/macos/KmodGuard-<version>.pkg.
# Runs on a Mac only (Xcode command line tools, .NET 10 SDK with the macos workload, cmake). Steps (docs/macos.md):
#   1. the shim: libkmodguard_es.a for arm64 and x86_64 (native/es, CMake)
#   2. the extension: NativeAOT publish for osx-arm64 and osx-x64, shim linked statically; lipo to one binary
#   3. the container app: KmodGuard.MacOS.App (net10.0-macos) with the activation helper (native/macos-app)
#   4. the bundle: KmodGuard.app/Contents/Library/SystemExtensions/<ext id>.systemextension, provisioning profiles
#   5. signing inside-out with hardened runtime, notarization of app and pkg, stapling
#
# Environment (all required unless marked):
#   DEVELOPER_ID_APP        "Developer ID Application: <Name> (<TEAM_ID>)"
#   DEVELOPER_ID_INSTALLER  "Developer ID Installer: <Name> (<TEAM_ID>)"
#   NOTARY_PROFILE          a notarytool keychain profile (xcrun notarytool store-credentials <name> ...)
#   APP_PROFILE             provisioning profile for the app's App ID (system-extension.install)
#   EXTENSION_PROFILE       provisioning profile for the extension's App ID (endpoint-security.client)
#   VERSION                 (optional) package version, default 0.1.0
set -euo pipefail

if [ "$(uname -s)" != Darwin ]; then
  echo "build-sign-notarize.sh builds, signs and notarizes the macOS package and runs on macOS only" >&2
  echo "(it needs Xcode's codesign, notarytool, lipo, pkgbuild and a NativeAOT toolchain for osx-*)." >&2
  echo "On Linux, './build.sh test' checks everything that can be checked here; see docs/macos.md." >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=settings.conf
. "$here/settings.conf"
APP_ID=$BUNDLE_ID_PREFIX
EXT_ID=$BUNDLE_ID_PREFIX.extension
VERSION=${VERSION:-0.1.0}
out=$root/artifacts/macos
for v in DEVELOPER_ID_APP DEVELOPER_ID_INSTALLER NOTARY_PROFILE APP_PROFILE EXTENSION_PROFILE; do
  [ -n "${!v:-}" ] || { echo "set $v (see the header of $0)" >&2; exit 2; }
done
case "$DEVELOPER_ID_APP" in *"($TEAM_ID)"*) ;; *) echo "DEVELOPER_ID_APP is not team $TEAM_ID (settings.conf)" >&2; exit 2 ;; esac

log() { printf '==> %s\n' "$*"; }
rm -rf "$out" && mkdir -p "$out"

log "1. shim (arm64 + x86_64)"
cmake -S "$root/native" -B "$out/native" -DCMAKE_BUILD_TYPE=Release -DCMAKE_OSX_ARCHITECTURES="arm64;x86_64" \
  -DCMAKE_OSX_DEPLOYMENT_TARGET=12.0 >/dev/null
cmake --build "$out/native" --target kmodguard_es >/dev/null
shim=$out/native/es/libkmodguard_es.a

log "2. extension (NativeAOT)"
for rid in osx-arm64 osx-x64; do
  dotnet publish "$root/src/KmodGuard.MacOS.Extension" -c Release -r "$rid" -p:KmodGuardEsLibrary="$shim" \
    -o "$out/extension-$rid" --nologo -v quiet
done
lipo -create "$out/extension-osx-arm64/kmodguard-extension" "$out/extension-osx-x64/kmodguard-extension" \
  -output "$out/$EXT_ID"
otool -l "$out/$EXT_ID" | grep -A4 LC_BUILD_VERSION | grep -q 'minos 12.0' ||
  echo "warning: the extension's LC_BUILD_VERSION minos is not 12.0 (dotnet/runtime#98124)" >&2

log "3. container app"
# The activation helper: SystemExtensions has no .NET binding, so the app links this Objective-C static library.
clang -fobjc-arc -arch arm64 -arch x86_64 -mmacosx-version-min=12.0 -Wall -Wextra -Werror \
  -c "$root/native/macos-app/kg_sysext.m" -o "$out/kg_sysext.o"
libtool -static -o "$out/libkg_sysext.a" "$out/kg_sysext.o"
dotnet build "$root/src/KmodGuard.MacOS.App" -c Release -p:ApplicationId="$APP_ID" -p:ExtensionBundleId="$EXT_ID" \
  -p:KmodGuardSysextLibrary="$out/libkg_sysext.a" -o "$out/app-build" --nologo -v quiet
app=$out/KmodGuard.app
cp -R "$out/app-build/KmodGuard.app" "$app"

log "4. bundle"
sysext=$app/Contents/Library/SystemExtensions/$EXT_ID.systemextension
mkdir -p "$sysext/Contents/MacOS"
cp "$here/Extension-Info.plist" "$sysext/Contents/Info.plist"
cp "$out/$EXT_ID" "$sysext/Contents/MacOS/$EXT_ID"
cp "$EXTENSION_PROFILE" "$sysext/Contents/embedded.provisionprofile"
cp "$here/App-Info.plist" "$app/Contents/Info.plist"
cp "$APP_PROFILE" "$app/Contents/embedded.provisionprofile"

log "5. sign (inside out), notarize, staple"
sign() { codesign --force --timestamp --options runtime,library,kill --sign "$DEVELOPER_ID_APP" "$@"; }
sign --entitlements "$root/entitlements/KmodGuard.Extension.entitlements" "$sysext"
sign --entitlements "$root/entitlements/KmodGuard.App.entitlements" "$app"
codesign --verify --deep --strict -vv -R="certificate leaf[subject.OU] = $TEAM_ID" "$app"
ditto -c -k --keepParent "$app" "$out/KmodGuard.zip"
xcrun notarytool submit "$out/KmodGuard.zip" --keychain-profile "$NOTARY_PROFILE" --wait
xcrun stapler staple "$app"

pkg=$out/KmodGuard-$VERSION.pkg
pkgbuild --component "$app" --install-location /Applications --identifier "$APP_ID.pkg" --version "$VERSION" \
  --sign "$DEVELOPER_ID_INSTALLER" --timestamp "$pkg"
xcrun notarytool submit "$pkg" --keychain-profile "$NOTARY_PROFILE" --wait
xcrun stapler staple "$pkg"
log "done: $pkg (deploy with the profiles in packaging/macos/profiles, see docs/macos.md)"
