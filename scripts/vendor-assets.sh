#!/usr/bin/env bash
# Re-vendor the front-end assets Lotse serves itself.
#
# Lotse makes no CDN or third-party request at runtime (BITV/CSP/data protection), and the
# Python package must install without Node. So the few front-end files we need are copied from
# npm into the repository and committed; this script is only run by a developer who upgrades
# them (bump the exact versions in package.json first, then run it and commit the result):
#
#   scripts/vendor-assets.sh
#
# What it copies:
#   @kern-ux/native  -> src/lotse/core/static/vendor/kern/     (kern.min.css, Fira Sans fonts
#                       referenced by fonts/fira-sans.css, LICENSE.md)
#   htmx.org         -> src/lotse/core/static/vendor/htmx/     (htmx.min.js, LICENSE)
#   axe-core         -> tests/browser/vendor/                  (axe.min.js, LICENSE; tests only)
#
# It then fails if any copied CSS/JS refers to an external http(s) URL in url(), @import,
# src= or href= (tests/core/test_no_external_urls.py checks the same on every test run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

npm ci --ignore-scripts --no-audit --no-fund

NM="$ROOT/node_modules"
STATIC="$ROOT/src/lotse/core/static/vendor"
AXE_DIR="$ROOT/tests/browser/vendor"

version() { node -p "require('$NM/$1/package.json').version"; }

# --- KERN UX ---------------------------------------------------------------------------
KERN_SRC="$NM/@kern-ux/native"
KERN_DST="$STATIC/kern"
rm -rf "$KERN_DST"
mkdir -p "$KERN_DST/fonts/fira-sans"
cp "$KERN_SRC/dist/kern.min.css" "$KERN_DST/kern.min.css"
cp "$KERN_SRC/dist/fonts/fira-sans.css" "$KERN_DST/fonts/fira-sans.css"
# Only the font files the stylesheet actually references (5 weights, upright and italic).
grep -oE 'url\("?\./fira-sans/[^")]+' "$KERN_SRC/dist/fonts/fira-sans.css" \
  | sed -E 's|url\("?\./||' | sort -u \
  | while read -r font; do cp "$KERN_SRC/dist/fonts/$font" "$KERN_DST/fonts/$font"; done
cp "$KERN_SRC/LICENSE.md" "$KERN_DST/LICENSE.md"
# The package bundles Fira Sans without its licence; we keep the OFL text in the repository.
cp "$ROOT/scripts/licenses/FiraSans-OFL.txt" "$KERN_DST/fonts/fira-sans/OFL.txt"
echo "@kern-ux/native $(version @kern-ux/native) (EUPL-1.2)" > "$KERN_DST/VERSION"

# --- htmx ------------------------------------------------------------------------------
HTMX_DST="$STATIC/htmx"
rm -rf "$HTMX_DST"
mkdir -p "$HTMX_DST"
cp "$NM/htmx.org/dist/htmx.min.js" "$HTMX_DST/htmx.min.js"
cp "$NM/htmx.org/LICENSE" "$HTMX_DST/LICENSE"
echo "htmx.org $(version htmx.org) (0BSD)" > "$HTMX_DST/VERSION"

# --- axe-core (browser tests only, never served) ----------------------------------------
mkdir -p "$AXE_DIR"
cp "$NM/axe-core/axe.min.js" "$AXE_DIR/axe.min.js"
cp "$NM/axe-core/LICENSE" "$AXE_DIR/LICENSE"
echo "axe-core $(version axe-core) (MPL-2.0)" > "$AXE_DIR/VERSION"

# --- no external URLs in what we serve ---------------------------------------------------
if grep -rEn "(url\(\s*['\"]?|@import\s+['\"]?|src=['\"]?|href=['\"]?)https?://" \
     "$KERN_DST" "$HTMX_DST" --include='*.css' --include='*.js'; then
  echo "vendored assets reference external URLs (see above); Lotse must serve everything itself" >&2
  exit 1
fi

echo "Vendored: @kern-ux/native $(version @kern-ux/native), htmx.org $(version htmx.org), axe-core $(version axe-core)"
