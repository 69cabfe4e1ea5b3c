#!/usr/bin/env bash
# Probe-Wiederherstellung einer Lotse-Sicherung in eine WEGWERF-Datenbank und Prüfung gegen
# das Manifest: Prüfsummen, Zeilen je Tabelle, Hash-Ketten des Zugriffsprotokolls (wie
# "lotse verifyaudit") bis zu den gesicherten Köpfen, hochgeladene Dateien, Schlüsseldatei.
# Die Produktivdatenbank wird nicht angefasst. Beschreibung: docs/backup.md.
#
#   scripts/restore-check.sh SICHERUNGSVERZEICHNIS [--keep]
#
# PostgreSQL: legt lotse_restore_<Zeit> auf dem Server aus DATABASE_URL an (pg_restore) und
# löscht sie am Ende wieder (mit --keep bleibt sie stehen). SQLite: eine temporäre Datei.
# Exit 0: die Wiederherstellung stimmt mit der Sicherung überein; sonst ungleich 0.
set -euo pipefail
umask 077

usage() { echo "Aufruf: $0 SICHERUNGSVERZEICHNIS [--keep]" >&2; exit 2; }
[ $# -ge 1 ] || usage
BACKUP="$(cd "$1" && pwd)" || usage
KEEP=0
[ "${2:-}" = "--keep" ] && KEEP=1

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOTSE="${LOTSE_BIN:-$(command -v lotse || echo "$ROOT/.venv/bin/lotse")}"
MANIFEST="$BACKUP/manifest.json"
[ -r "$MANIFEST" ] || { echo "FEHLER: $MANIFEST fehlt – ist das eine Lotse-Sicherung?" >&2; exit 1; }

fail() { echo "FEHLER: $*" >&2; echo "Probe-Wiederherstellung FEHLGESCHLAGEN." >&2; exit 1; }

# 1. Prüfsummen: ist die Sicherung unverändert?
if [ -r "$BACKUP/SHA256SUMS" ]; then
  (cd "$BACKUP" && sha256sum --quiet -c SHA256SUMS) \
    || fail "Prüfsummen stimmen nicht – die Sicherung ist beschädigt oder verändert."
else
  fail "SHA256SUMS fehlt in $BACKUP."
fi

VENDOR="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["database"]["vendor"])' "$MANIFEST")"
DUMP="$BACKUP/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["database"]["file"])' "$MANIFEST")"
STAMP="$(date -u +%Y%m%d%H%M%S)_$$"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/lotse-restore-XXXXXX")"
SCRATCH_DB=""
ADMIN_URL=""

cleanup() {
  if [ "$KEEP" = 1 ]; then
    echo "Behalten (--keep): $SCRATCH ${SCRATCH_DB:+und Datenbank $SCRATCH_DB}"
    return
  fi
  if [ -n "$SCRATCH_DB" ] && [ -n "$ADMIN_URL" ]; then
    psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS \"$SCRATCH_DB\"" >/dev/null 2>&1 || \
      echo "WARNUNG: Wegwerf-Datenbank $SCRATCH_DB konnte nicht gelöscht werden." >&2
  fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# 2. Medien in ein Wegwerf-Verzeichnis.
mkdir -p "$SCRATCH/media"
tar -C "$SCRATCH/media" -xzf "$BACKUP/media.tar.gz" || fail "Medienarchiv nicht lesbar."

# 3. Datenbank in eine Wegwerf-Datenbank.
case "$VENDOR" in
  sqlite)
    cp "$DUMP" "$SCRATCH/lotse.sqlite3"
    RESTORE_URL="sqlite:///$SCRATCH/lotse.sqlite3"
    ;;
  postgresql)
    [ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL fehlt: sie nennt den PostgreSQL-Server für die Probe."
    SCRATCH_DB="lotse_restore_$STAMP"
    # Dieselbe Server-URL, andere Datenbank; verwaltet über die Datenbank "postgres".
    read -r ADMIN_URL RESTORE_URL < <(python3 - "$DATABASE_URL" "$SCRATCH_DB" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
scheme = "postgresql"
print(urlunsplit((scheme, parts.netloc, "/postgres", parts.query, "")),
      urlunsplit((scheme, parts.netloc, "/" + sys.argv[2], parts.query, "")))
PY
)
    psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$SCRATCH_DB\"" \
      || fail "Wegwerf-Datenbank $SCRATCH_DB konnte nicht angelegt werden."
    pg_restore --no-owner --no-privileges --exit-on-error -d "$RESTORE_URL" "$DUMP" \
      || fail "pg_restore ist fehlgeschlagen."
    ;;
  *)
    fail "Unbekannte Datenbank im Manifest: $VENDOR"
    ;;
esac

# 4. Prüfen: Zeilen, Protokollketten, Dateien, Schlüssel.
if DATABASE_URL="$RESTORE_URL" LOTSE_MEDIA_ROOT="$SCRATCH/media" \
   "$LOTSE" restorecheck --manifest "$MANIFEST"; then
  echo "Probe-Wiederherstellung ERFOLGREICH: $BACKUP"
else
  fail "Die wiederhergestellte Datenbank stimmt nicht mit dem Manifest überein (siehe oben)."
fi
