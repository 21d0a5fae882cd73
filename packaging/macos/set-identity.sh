#!/usr/bin/env bash
# Switches KmodGuard's macOS identity to your Apple Developer team and bundle id prefix: rewrites
# packaging/macos/settings.conf and every value derived from it (Info.plists, MDM profiles, entitlements).
# usage: packaging/macos/set-identity.sh TEAM_ID BUNDLE_ID_PREFIX      e.g. set-identity.sh A1B2C3D4E5 com.acme.kmodguard
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -eq 2 ] || { sed -n '2,4p' "$0" >&2; exit 2; }
new_team=$1 new_prefix=$2
[[ $new_team =~ ^[A-Z0-9]{10}$ ]] || { echo "TEAM_ID must be 10 upper-case letters or digits (see developer.apple.com > Membership)" >&2; exit 2; }
[[ $new_prefix =~ ^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$ ]] || { echo "BUNDLE_ID_PREFIX must be a reverse-DNS name such as com.acme.kmodguard" >&2; exit 2; }

# shellcheck source=settings.conf
. "$here/settings.conf"
old_team=$TEAM_ID old_prefix=$BUNDLE_ID_PREFIX
files=("$here/settings.conf" "$here"/*.plist "$here"/profiles/*.mobileconfig "$root"/entitlements/*.entitlements)
# Literal replacement: the prefix first (it is the longer, more specific value), then the team id.
for f in "${files[@]}"; do
  OLD=$old_prefix NEW=$new_prefix perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$f"
  OLD=$old_team NEW=$new_team perl -0pi -e 's/\b\Q$ENV{OLD}\E\b/$ENV{NEW}/g' "$f"
done
echo "identity is now team $new_team, prefix $new_prefix (extension $new_prefix.extension); run ./build.sh test to check"
