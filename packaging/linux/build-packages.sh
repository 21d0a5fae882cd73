#!/usr/bin/env bash
# Builds the kmodguard .deb (dpkg-deb) and .rpm (rpmbuild) from the NativeAOT publish output.
# usage: packaging/linux/build-packages.sh PUBLISH_DIR OUT_DIR     (./build.sh package calls it)
# Both packages ship the same files; only the unit directory differs (/lib/systemd/system on Debian 12,
# /usr/lib/systemd/system for RPM distributions).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PUBLISH=$(cd "$1" && pwd)
OUT=$2
BIN=$PUBLISH/kmodguard
[ -x "$BIN" ] || { echo "error: $BIN is missing: publish the agent first" >&2; exit 1; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
VERSION=$("$BIN" version --json | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')
[ -n "$VERSION" ] || { echo "error: cannot read the version from $BIN" >&2; exit 1; }
# Reproducible: file dates and the changelog date come from the last commit.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}

# --- the file tree both packages ship -------------------------------------------------------------
STAGE=$OUT/stage
rm -rf "$STAGE"
# NativeAOT loads native libraries the publish puts beside the binary (libMonoPosixHelper.so) from the binary's real
# directory: they live together in /usr/lib/kmodguard, and /usr/bin has a symlink.
install -D -m 0755 "$BIN" "$STAGE/usr/lib/kmodguard/kmodguard"
for library in "$PUBLISH"/*.so; do
  if [ -e "$library" ]; then
    install -m 0644 "$library" "$STAGE/usr/lib/kmodguard/"
    # NuGet ships them with symbols; Debian policy (and lintian) want shipped objects stripped, as dh_strip does.
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$STAGE/usr/lib/kmodguard/$(basename "$library")"
  fi
done
install -d -m 0755 "$STAGE/usr/bin"
ln -s ../lib/kmodguard/kmodguard "$STAGE/usr/bin/kmodguard"
install -D -m 0644 "$HERE/kmodguard.service" "$STAGE/lib/systemd/system/kmodguard.service"
install -D -m 0640 "$HERE/kmodguard.yaml" "$STAGE/etc/kmodguard/kmodguard.yaml"
"$BIN" policy show-default >"$STAGE/etc/kmodguard/policy.yaml"
chmod 0640 "$STAGE/etc/kmodguard/policy.yaml"
install -d -m 0700 "$STAGE/var/lib/kmodguard"
install -d -m 0755 "$STAGE/usr/share/bash-completion/completions"
"$BIN" completion bash >"$STAGE/usr/share/bash-completion/completions/kmodguard"
DOC=$STAGE/usr/share/doc/kmodguard
install -D -m 0644 "$HERE/copyright" "$DOC/copyright"
install -m 0644 "$ROOT/docs/deployment.md" "$ROOT/README.md" "$DOC/"
install -D -m 0644 "$HERE/modprobe-denylist.conf" "$DOC/examples/modprobe-denylist.conf"
{
  printf 'kmodguard (%s) unstable; urgency=medium\n\n' "$VERSION"
  printf '  * Release %s. See the README for what it does.\n\n' "$VERSION"
  printf ' -- KmodGuard authors <maintainers@kmodguard.invalid>  %s\n' "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$DOC/changelog.gz"
chmod 0644 "$DOC/changelog.gz" "$STAGE/usr/share/bash-completion/completions/kmodguard"
find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# --- .deb -------------------------------------------------------------------------------------------

# shlibdeps FILE...: the Depends the ELF files need, from dpkg-shlibdeps (which wants a debian/control to run in).
shlibdeps() {
  local dir
  dir=$(mktemp -d)
  mkdir "$dir/debian"
  printf 'Source: kmodguard\n\nPackage: kmodguard\nArchitecture: amd64\n' >"$dir/debian/control"
  (cd "$dir" && dpkg-shlibdeps -O "${@/#/-e}" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
  rm -rf "$dir"
}

DEBROOT=$OUT/deb-root
rm -rf "$DEBROOT"
cp -a "$STAGE" "$DEBROOT"
install -D -m 0644 "$HERE/deb/lintian-overrides" "$DEBROOT/usr/share/lintian/overrides/kmodguard"
touch -h -d "@$SOURCE_DATE_EPOCH" "$DEBROOT/usr/share/lintian" "$DEBROOT/usr/share/lintian/overrides" "$DEBROOT/usr/share/lintian/overrides/kmodguard"
install -d -m 0755 "$DEBROOT/DEBIAN"
DEPENDS=$(shlibdeps "$STAGE"/usr/lib/kmodguard/*)
[ -n "$DEPENDS" ] || { echo "error: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/amd64/" -e "s/@DEPENDS@/$DEPENDS/" \
  -e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$DEBROOT" | cut -f1)/" "$HERE/deb/control.in" >"$DEBROOT/DEBIAN/control"
printf '/etc/kmodguard/kmodguard.yaml\n/etc/kmodguard/policy.yaml\n' >"$DEBROOT/DEBIAN/conffiles"
install -m 0755 "$HERE/deb/postinst" "$HERE/deb/prerm" "$HERE/deb/postrm" "$DEBROOT/DEBIAN/"
(cd "$DEBROOT" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum >DEBIAN/md5sums)
chmod 0644 "$DEBROOT/DEBIAN/control" "$DEBROOT/DEBIAN/conffiles" "$DEBROOT/DEBIAN/md5sums"
DEB=$OUT/kmodguard_${VERSION}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$DEBROOT" "$DEB" >/dev/null
echo "$DEB"

# --- .rpm -------------------------------------------------------------------------------------------
RPMSTAGE=$OUT/rpm-stage
rm -rf "$RPMSTAGE" "$OUT/rpmbuild"
cp -a "$STAGE" "$RPMSTAGE"
install -d "$RPMSTAGE/usr/lib"
mv "$RPMSTAGE/lib/systemd" "$RPMSTAGE/usr/lib/systemd"
rmdir "$RPMSTAGE/lib"
rpmbuild -bb --quiet \
  --define "_topdir $OUT/rpmbuild" \
  --define "kg_version $VERSION" --define "kg_stage $RPMSTAGE" \
  --define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_date_epoch 1" \
  "$HERE/rpm/kmodguard.spec" >/dev/null
RPM=$OUT/kmodguard-${VERSION}-1.x86_64.rpm
mv "$OUT/rpmbuild/RPMS/x86_64/kmodguard-${VERSION}-1.x86_64.rpm" "$RPM"
rm -rf "$OUT/rpmbuild"
echo "$RPM"
