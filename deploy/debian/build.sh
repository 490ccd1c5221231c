#!/usr/bin/env bash
# Builds the Debian package of the gateway: the agent compiled with Native AOT and the trimmed self-contained `edgegw`
# CLI (no .NET needed on the device), the hardened systemd unit, /etc/edgegw/edgegw.json as a conffile, maintainer scripts.
#   deploy/debian/build.sh --arch arm64|amd64 --version X.Y.Z --out DIR [--published DIR] [--lintian]
# Output: DIR/edgegw_X.Y.Z_ARCH.deb. Publishes into out/deb-<rid>/{agent,cli} (git ignores out/) unless --published
# names such a folder already published (the CI test's upgrade package reuses the first build's binaries). --lintian
# runs lintian on the result and fails on any tag that deploy/debian/lintian-overrides does not explain. Built with
# dpkg-deb (no debhelper): files owned by root, xz-compressed. See deploy/README.md, "Debian package".
set -euo pipefail
cd "$(dirname "$0")/../.."
script=build.sh

arch="" version="" out="" published="" lint=""
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --published) published="$2"; shift 2 ;;
    --lintian) lint=1; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "$script: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$arch" in
  arm64) rid=linux-arm64 ;;
  amd64) rid=linux-x64 ;;
  *) echo "$script: --arch must be arm64 or amd64 (see --help)" >&2; exit 2 ;;
esac
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "$script: --version must be X.Y.Z (see --help)" >&2; exit 2; }
[ -n "$out" ] || { echo "$script: --out DIR is required (see --help)" >&2; exit 2; }

if [ -z "$published" ]; then
  published="out/deb-$rid"
  rm -rf "$published"
  echo "$script: publishing the agent (Native AOT) and the CLI (trimmed) for $rid, version $version -> $published"
  # The agent by deploy/arm64/publish.sh itself (Native AOT, without debug symbols; it installs the toolchain); the CLI
  # trimmed as its project file says, checked command by command against its untrimmed build by
  # deploy/debian/cli-check.sh (deploy/README.md, "Debian package").
  deploy/arm64/publish.sh -o "$published" -p:Version="$version" "$rid"
  mv "$published/edgegw-agent-$rid" "$published/agent"
  dotnet publish src/EdgeGateway.Cli/EdgeGateway.Cli.csproj -c Release -r "$rid" --self-contained \
    -p:PublishTrimmed=true -p:Version="$version" -o "$published/cli" -nologo -clp:NoSummary -v:q
fi
[ -x "$published/agent/edgegw-agent" ] && [ -x "$published/cli/edgegw" ] ||
  { echo "$script: no edgegw-agent and edgegw under $published/{agent,cli}" >&2; exit 1; }

mkdir -p "$out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/edgegw-deb-XXXXXX")
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
lib="$root/usr/lib/edgegw"
install -d "$lib" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/edgegw" "$root/usr/share/doc/edgegw" \
  "$root/usr/share/lintian/overrides" "$root/usr/share/man/man1" "$root/usr/share/man/man8" "$root/DEBIAN"
cp -r "$published/agent" "$lib/agent"
cp -r "$published/cli" "$lib/cli"
# No debug symbols on the device; regular files 0644, the two executables and native libraries as published.
find "$lib" -name '*.pdb' -delete
find "$lib" -type d -exec chmod 0755 {} +
find "$lib" -type f -exec chmod 0644 {} +
chmod 0755 "$lib/agent/edgegw-agent" "$lib/cli/edgegw"
ln -s ../lib/edgegw/cli/edgegw "$root/usr/bin/edgegw"
ln -s ../lib/edgegw/agent/edgegw-agent "$root/usr/bin/edgegw-agent"
# Debian 12 keeps units in /lib/systemd/system (what deb-systemd-helper and lintian of bookworm expect).
install -m 0644 deploy/systemd/edgegw.service "$root/lib/systemd/system/edgegw.service"
install -m 0644 deploy/debian/edgegw.json "$root/etc/edgegw/edgegw.json"
install -m 0644 deploy/debian/copyright "$root/usr/share/doc/edgegw/copyright"
gzip -9n <deploy/debian/edgegw.1 >"$root/usr/share/man/man1/edgegw.1.gz"
gzip -9n <deploy/debian/edgegw-agent.8 >"$root/usr/share/man/man8/edgegw-agent.8.gz"
chmod 0644 "$root/usr/share/man/man1/edgegw.1.gz" "$root/usr/share/man/man8/edgegw-agent.8.gz"
install -m 0644 deploy/debian/lintian-overrides "$root/usr/share/lintian/overrides/edgegw"
{
  printf 'edgegw (%s) stable; urgency=medium\n\n  * Release %s, built from deploy/debian/build.sh.\n\n' "$version" "$version"
  printf ' -- EdgeGateway <edgegw@example.invalid>  %s\n' "$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")"
} | gzip -9n >"$root/usr/share/doc/edgegw/changelog.gz"
chmod 0644 "$root/usr/share/doc/edgegw/changelog.gz"

for file in postinst prerm postrm; do
  install -m 0755 "deploy/debian/$file" "$root/DEBIAN/$file"
done
printf '/etc/edgegw/edgegw.json\n' >"$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" deploy/debian/control >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles"

deb="$out/edgegw_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
awk -v f="$deb" -v b="$(stat -c %s "$deb")" -v k="$size" \
  'BEGIN { printf "%s: %s: %.1f MB (%.1f MB installed)\n", "build.sh", f, b / 1048576, k / 1024 }'

if [ -n "$lint" ]; then
  # Every tag lintian reports must be overridden (deploy/debian/lintian-overrides says why); overridden ones are not shown.
  if ! lintian --fail-on error,warning "$deb"; then
    echo "$script: FAIL: lintian reports the tags above" >&2
    exit 1
  fi
  echo "$script: lintian: clean (overrides in deploy/debian/lintian-overrides)"
fi
