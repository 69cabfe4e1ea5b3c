#!/usr/bin/env bash
# The agreement PDF (WeasyPrint) needs Pango with HarfBuzz and fontconfig from Debian; the fonts
# themselves ship with the app (src/lotse/agreements/fonts). poppler-utils: the tests read the text
# layer with pdftotext and the tagging with pdfinfo (and pdftoppm/pdffonts help by hand).
# Install what is missing when we may (root with
# apt-get); otherwise say what is missing and fail, since the PDF tests cannot pass without it.
set -euo pipefail
needed=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 poppler-utils)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installiere Bibliotheken für den PDF-Druck (apt-get): ${missing[*]} …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Fehlt für den PDF-Druck: ${missing[*]} (apt-get install ${missing[*]})." >&2
exit 1
