#!/bin/sh
# Vendors Swagger UI for the API documentation page at /api/ (accounts_app/api: LocalSwagger,
# templates/public/api_docs.html, static/js/api-docs.js). The site's CSP allows scripts and
# styles from 'self' only, so the files are served from here, never from a CDN.
#
# From the npm registry with npm's own client: `npm pack` downloads the package tarball and
# checks it against the registry's integrity hash; no install scripts run. The files are
# copied unchanged, then checked against SHA256SUMS (written when they were first fetched).
#
#   sh static/vendor/swagger-ui/fetch.sh            # fetch VERSION, verify
#   VERSION=5.x.y sh static/vendor/swagger-ui/fetch.sh --update   # another version: rewrite SHA256SUMS
#
# Licence: Apache-2.0 (LICENSE, NOTICE); the bundled libraries' notices are in
# swagger-ui-bundle.js.LICENSE.txt.
set -eu
VERSION="${VERSION:-5.35.0}"
HERE="$(cd "$(dirname "$0")" && pwd)"
FILES="swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css swagger-ui.css.map LICENSE NOTICE"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null && tar xzf "swagger-ui-dist-$VERSION.tgz")
test "$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$WORK/package/package.json")" = "$VERSION"
for file in $FILES; do
  cp "$WORK/package/$file" "$HERE/$file"
done
cd "$HERE"
if [ "${1:-}" = "--update" ]; then
  sha256sum $FILES > SHA256SUMS
  sed -i "s/^VERSION=.*/VERSION=\"\${VERSION:-$VERSION}\"/" fetch.sh
  echo "swagger-ui-dist $VERSION vendored; SHA256SUMS rewritten: update VERSION in README.md"
else
  sha256sum -c --quiet SHA256SUMS
  echo "swagger-ui-dist $VERSION vendored and verified"
fi
