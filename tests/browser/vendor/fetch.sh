#!/bin/sh
# Vendors axe-core, the accessibility rules engine that tests/browser/test_accessibility.py
# injects into each page (Playwright's add_script_tag) to check it against WCAG 2.1 A/AA.
# Used by the tests only: never served by the site.
#
# From the npm registry with npm's own client: `npm pack` downloads the package tarball and
# checks it against the registry's integrity hash; no install scripts run. The files are
# copied unchanged, then checked against SHA256SUMS (written when they were first fetched).
#
#   sh tests/browser/vendor/fetch.sh                                # fetch VERSION, verify
#   VERSION=4.x.y sh tests/browser/vendor/fetch.sh --update         # another version: rewrite SHA256SUMS
#
# Licence: MPL-2.0 (LICENSE; the files are used unmodified); the bundled libraries' notices
# are in LICENSE-3RD-PARTY.txt.
set -eu
VERSION="${VERSION:-4.14.1}"
HERE="$(cd "$(dirname "$0")" && pwd)"
FILES="axe.min.js LICENSE LICENSE-3RD-PARTY.txt"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "axe-core@$VERSION" >/dev/null && tar xzf "axe-core-$VERSION.tgz")
test "$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' "$WORK/package/package.json")" = "$VERSION"
for file in $FILES; do
  cp "$WORK/package/$file" "$HERE/$file"
done
cd "$HERE"
if [ "${1:-}" = "--update" ]; then
  sha256sum $FILES > SHA256SUMS
  sed -i "s/^VERSION=.*/VERSION=\"\${VERSION:-$VERSION}\"/" fetch.sh
  echo "axe-core $VERSION vendored; SHA256SUMS rewritten"
else
  sha256sum -c --quiet SHA256SUMS
  echo "axe-core $VERSION vendored and verified"
fi
