#!/usr/bin/env bash
# Prepares the e2e guest: the current Debian 12 cloud kernel (resolved through apt at run time, cached), its
# module-signing certificate, and an initramfs with busybox-static, test modules, the scenario scripts and, when
# given, the kmodguard agent with its shared libraries and configuration.
#
#   tests/e2e/prepare-guest.sh --cache DIR --out DIR [--agent PATH]
#
# Writes DIR/guest.env (KEY=VALUE lines: KERNEL, INITRD, RELEASE, PACKAGE, VERSION, CERT, module paths and sha256s).
# Exit status 77: this machine cannot run the guest (a tool or the Debian 12 apt source is missing) — a skip, not a failure.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The smallest Debian 12 kernel flavour with signed modules; it boots under qemu from an initramfs on ttyS0.
META_PACKAGE=${E2E_KERNEL_META:-linux-image-cloud-amd64}
CACHE= OUT= AGENT=

first() { echo "$1"; }
die() { printf 'prepare-guest: %s\n' "$*" >&2; exit 1; }
cannot() { printf 'prepare-guest: %s\n' "$*" >&2; exit 77; }
log() { printf 'prepare-guest: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case $1 in
    --cache) CACHE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --agent) AGENT=$2; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -n "$CACHE" ] && [ -n "$OUT" ] || die "usage: prepare-guest.sh --cache DIR --out DIR [--agent PATH]"
for tool in apt-cache apt-get dpkg-deb cpio xz lz4 zstd openssl od; do
  command -v $tool >/dev/null || cannot "$tool is missing (./build.sh e2e installs what it needs as root)"
done
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] && ! ldd "$BUSYBOX" >/dev/null 2>&1 || cannot "a static busybox is needed (Debian package busybox-static)"
mkdir -p "$CACHE" "$OUT"
CACHE=$(cd "$CACHE" && pwd) OUT=$(cd "$OUT" && pwd)

# --- the kernel package -----------------------------------------------------------------------------------------

resolve_package() { # empty when apt does not know the meta package
  { apt-cache depends "$META_PACKAGE" 2>/dev/null || true; } | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

PACKAGE=$(resolve_package)
if [ -z "$PACKAGE" ] && [ "$(id -u)" -eq 0 ]; then
  log "refreshing the apt lists to resolve $META_PACKAGE"
  apt-get update -q >/dev/null 2>&1 || log "apt-get update failed; resolving with the lists there are"
  PACKAGE=$(resolve_package)
fi
[ -n "$PACKAGE" ] || cannot "cannot resolve $META_PACKAGE to a kernel package: no Debian 12 apt source is configured"
VERSION=$(apt-cache policy "$PACKAGE" | awk '/Candidate:/ { print $2 }')
[ -n "$VERSION" ] && [ "$VERSION" != "(none)" ] || die "no installable version of $PACKAGE"

KDIR=$CACHE/${PACKAGE}_$VERSION
if [ ! -f "$KDIR/.complete" ]; then
  # Keep one kernel in the cache: remove older downloads and extractions.
  rm -rf "$CACHE"/linux-image-*
  log "downloading $PACKAGE $VERSION"
  (cd "$CACHE" && apt-get download -q "$PACKAGE=$VERSION" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
  DEB=$(first "$CACHE/${PACKAGE}"_*.deb)
  [ -f "$DEB" ] || die "apt-get download $PACKAGE=$VERSION produced no .deb"
  dpkg-deb -x "$DEB" "$KDIR"
  rm -f "$DEB"
  touch "$KDIR/.complete"
fi
RELEASE=$(ls "$KDIR/lib/modules")
KERNEL=$KDIR/boot/vmlinuz-$RELEASE
[ -f "$KERNEL" ] || die "$KERNEL is missing from $PACKAGE"

# --- the module-signing certificate, from inside the kernel image ---------------------------------------------------

# bytes FILE OFFSET LENGTH: a slice of a file on stdout.
bytes() { dd if="$1" iflag=skip_bytes,count_bytes bs=1M skip="$2" count="$3" status=none; }

# Debian signs modules with a per-build key whose certificate exists only inside vmlinuz (the builtin trusted
# keyring). bzImage: the compressed kernel starts payload_offset (at 0x248) bytes after the setup sectors.
extract_certificate() {
  local image=$1 pem=$2 work=$CACHE/cert-work
  rm -rf "$work" && mkdir -p "$work"
  local setup_sects offset length start magic
  setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$image" | tr -d ' ')
  [ "$setup_sects" -eq 0 ] && setup_sects=4
  offset=$(od -An -tu4 -j $((0x248)) -N4 "$image" | tr -d ' ')
  length=$(od -An -tu4 -j $((0x24c)) -N4 "$image" | tr -d ' ')
  start=$(((setup_sects + 1) * 512 + offset))
  bytes "$image" "$start" "$length" > "$work/payload"
  magic=$(head -c 4 "$work/payload" | od -An -tx1 | tr -d ' \n')
  # Decompressors complain about the 4-byte size trailer; the ELF they write before that is complete.
  case $magic in
    02214c18) lz4 -dc "$work/payload" > "$work/vmlinux" 2>/dev/null || true ;;
    28b52ffd) zstd -dcq "$work/payload" > "$work/vmlinux" 2>/dev/null || true ;;
    fd377a58) xz -dcq "$work/payload" > "$work/vmlinux" 2>/dev/null || true ;;
    1f8b*) gzip -dcq "$work/payload" > "$work/vmlinux" 2>/dev/null || true ;;
    *) die "unknown kernel compression (magic $magic) in $image" ;;
  esac
  [ "$(head -c 4 "$work/vmlinux" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || die "could not decompress $image"
  # DER certificates start SEQUENCE(long form) SEQUENCE(long form): 30 82 xx xx 30 82.
  local at len
  for at in $(LC_ALL=C grep -obUaP '\x30\x82[\x00-\xff]{2}\x30\x82' "$work/vmlinux" | cut -d: -f1); do
    len=$(($(od -An -tu1 -j $((at + 2)) -N1 "$work/vmlinux") * 256 + $(od -An -tu1 -j $((at + 3)) -N1 "$work/vmlinux") + 4))
    bytes "$work/vmlinux" "$at" "$len" > "$work/candidate.der"
    if openssl x509 -inform DER -in "$work/candidate.der" -noout -subject 2>/dev/null | grep -q 'Build time autogenerated kernel key'; then
      openssl x509 -inform DER -in "$work/candidate.der" -out "$pem"
      rm -rf "$work"
      return 0
    fi
  done
  die "no module-signing certificate found in $image"
}

CERT=$KDIR/module-signing-key.pem
[ -f "$CERT" ] || extract_certificate "$KERNEL" "$CERT"

# --- test modules -----------------------------------------------------------------------------------------------------

MODDIR=$KDIR/lib/modules/$RELEASE
DUMMY_SOURCE=$(first "$MODDIR"/kernel/drivers/net/dummy.ko*)
[ -f "$DUMMY_SOURCE" ] || die "$PACKAGE has no drivers/net/dummy.ko"
WORK=$OUT/modules
rm -rf "$WORK" && mkdir -p "$WORK"
case $DUMMY_SOURCE in
  *.ko) cp "$DUMMY_SOURCE" "$WORK/dummy.ko" ;;
  *.ko.xz) xz -dc "$DUMMY_SOURCE" > "$WORK/dummy.ko" ;;
  *.ko.zst) zstd -dcq "$DUMMY_SOURCE" > "$WORK/dummy.ko" ;;
  *.ko.gz) gzip -dc "$DUMMY_SOURCE" > "$WORK/dummy.ko" ;;
esac
signature_length() { # the big-endian sig_len just before the 28-byte "~Module signature appended~\n"
  local size=$(stat -c %s "$1")
  local b=($(od -An -tu1 -j $((size - 28 - 4)) -N4 "$1"))
  echo $(((b[0] << 24) + (b[1] << 16) + (b[2] << 8) + b[3]))
}
[ "$(tail -c 28 "$WORK/dummy.ko")" = "~Module signature appended~" ] || die "$DUMMY_SOURCE is not signed"
SIZE=$(stat -c %s "$WORK/dummy.ko")
head -c $((SIZE - 28 - 12 - $(signature_length "$WORK/dummy.ko"))) "$WORK/dummy.ko" > "$WORK/dummy-unsigned.ko"
# One byte of .modinfo changed (rtnl-link-dummy -> rtnl-link-dummz): the signature still parses but fails.
cp "$WORK/dummy.ko" "$WORK/dummy-tampered.ko"
AT=$(LC_ALL=C grep -obUa -m1 'alias=rtnl-link-dummy' "$WORK/dummy.ko" | cut -d: -f1)
[ -n "$AT" ] || die "dummy.ko has no rtnl-link-dummy alias to tamper with"
printf z | dd of="$WORK/dummy-tampered.ko" bs=1 seek=$((AT + 20)) conv=notrunc status=none
xz -kc --check=crc32 "$WORK/dummy.ko" > "$WORK/dummy.ko.xz"

# --- initramfs --------------------------------------------------------------------------------------------------------

ROOT=$OUT/initramfs
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,e2e/modules,var/lib/kmodguard} \
  "$ROOT"/etc/{modules-load.d,modprobe.d,kmodguard/trusted} "$ROOT/lib/modules/$RELEASE/kernel/drivers/net"
cp "$BUSYBOX" "$ROOT/bin/busybox"
cp "$WORK/dummy.ko" "$ROOT/lib/modules/$RELEASE/kernel/drivers/net/dummy.ko"
cp "$MODDIR"/modules.{order,builtin,builtin.modinfo} "$ROOT/lib/modules/$RELEASE/" 2>/dev/null || true
cp "$WORK"/dummy-unsigned.ko "$WORK"/dummy-tampered.ko "$WORK"/dummy.ko.xz "$ROOT/e2e/modules/"
cp "$HERE/guest/init" "$ROOT/init"
cp "$HERE/guest/lib.sh" "$HERE/guest/scenarios.sh" "$ROOT/e2e/"
chmod 755 "$ROOT/init"
cp "$CERT" "$ROOT/etc/kmodguard/trusted/debian-module-signing-key.pem"

if [ -n "$AGENT" ]; then
  [ -x "$AGENT" ] || die "--agent $AGENT is not an executable"
  cp "$AGENT" "$ROOT/usr/bin/kmodguard"
  # Native libraries published beside the binary (Mono.Posix's helper), loaded from the binary's directory.
  helpers=()
  for lib in "$(dirname "$AGENT")"/*.so; do
    [ -f "$lib" ] && cp "$lib" "$ROOT/usr/bin/" && helpers+=("$lib")
  done
  # The shared libraries of the binary and of those helpers (the helper needs libz), and OpenSSL, which .NET's
  # cryptography loads at run time (dlopen: ldd cannot see it).
  for lib in $(ldd "$AGENT" "${helpers[@]}" 2>/dev/null | awk '$3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' | sort -u) \
    /usr/lib/x86_64-linux-gnu/lib{ssl,crypto}.so.3; do
    [ -f "$lib" ] || continue
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$lib" "$ROOT$lib"
  done
  "$AGENT" policy show-default > "$ROOT/etc/kmodguard/policy-monitor.yaml"
  sed 's/^mode: monitor$/mode: enforce/' "$ROOT/etc/kmodguard/policy-monitor.yaml" > "$ROOT/etc/kmodguard/policy-enforce.yaml"
  grep -q '^mode: enforce$' "$ROOT/etc/kmodguard/policy-enforce.yaml" || die "could not derive the enforce policy from the default policy"
  cp "$HERE/guest/kmodguard.yaml" "$ROOT/etc/kmodguard/kmodguard.yaml"
fi

(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$OUT/initramfs.cpio"

sha() { sha256sum "$1" | cut -d' ' -f1; }
cat > "$OUT/guest.env" <<ENV
PACKAGE=$PACKAGE
VERSION=$VERSION
RELEASE=$RELEASE
KERNEL=$KERNEL
INITRD=$OUT/initramfs.cpio
CERT=$CERT
CERT_SERIAL=$(openssl x509 -in "$CERT" -noout -serial | cut -d= -f2)
AGENT=$AGENT
DUMMY_PATH=/lib/modules/$RELEASE/kernel/drivers/net/dummy.ko
DUMMY_SHA256=$(sha "$WORK/dummy.ko")
UNSIGNED_SHA256=$(sha "$WORK/dummy-unsigned.ko")
TAMPERED_SHA256=$(sha "$WORK/dummy-tampered.ko")
XZ_SHA256=$(sha "$WORK/dummy.ko.xz")
ENV
cat "$OUT/guest.env"
