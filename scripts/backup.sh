#!/usr/bin/env bash
# Sicherung von Lotse: Datenbank (PostgreSQL: pg_dump -Fc; SQLite: Online-Backup), Manifest
# (Zeilen je Tabelle, Köpfe der Protokollketten, referenzierte Dateien, benötigte Schlüssel-IDs),
# Medienverzeichnis als tar.gz und Prüfsummen. Beschreibung: docs/backup.md.
#
#   scripts/backup.sh [ZIELVERZEICHNIS]
#
# Ohne Argument: $LOTSE_BACKUP_DIR oder $LOTSE_DATA_DIR/backups (Standard var/backups). Jede
# Sicherung kommt in ein neues Unterverzeichnis lotse-JJJJMMTTTHHMMSSZ. Die Schlüsseldatei der
# Feldverschlüsselung (LOTSE_FIELD_KEYS_FILE) wird NICHT mitgesichert – sie gehört getrennt
# gesichert; fehlt sie, warnt das Skript.
#
# Dieselbe Umgebung wie der Dienst (DATABASE_URL, LOTSE_*); "lotse" aus $LOTSE_BIN, dem PATH
# oder .venv/bin/lotse.
set -euo pipefail
umask 077

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOTSE="${LOTSE_BIN:-$(command -v lotse || echo "$ROOT/.venv/bin/lotse")}"
DATA_DIR="${LOTSE_DATA_DIR:-$ROOT/var}"
BASE="${1:-${LOTSE_BACKUP_DIR:-$DATA_DIR/backups}}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
TARGET="$BASE/lotse-$STAMP"

if [ -e "$TARGET" ]; then
  echo "FEHLER: $TARGET gibt es schon." >&2
  exit 1
fi
mkdir -p "$TARGET"

# Die Schlüsseldatei: nicht sichern, aber laut warnen, wenn sie fehlt.
KEYS="${LOTSE_FIELD_KEYS_FILE:-}"
if [ -z "$KEYS" ] && [ -n "${LOTSE_DEBUG:-}${LOTSE_DEMO:-}" ]; then
  KEYS="$DATA_DIR/field-keys.json"
fi
if [ -z "$KEYS" ]; then
  echo "WARNUNG: LOTSE_FIELD_KEYS_FILE ist nicht gesetzt. Ohne die Schlüsseldatei der" \
       "Feldverschlüsselung sind verschlüsselte Angaben in dieser Sicherung nicht lesbar." >&2
elif [ ! -r "$KEYS" ]; then
  echo "WARNUNG: Schlüsseldatei $KEYS fehlt oder ist nicht lesbar. Ohne sie sind" \
       "verschlüsselte Angaben in dieser Sicherung nicht lesbar." >&2
else
  echo "Hinweis: Die Schlüsseldatei $KEYS wird nicht mitgesichert. Sie gehört getrennt" \
       "gesichert (anderer Ort, anderer Zugriff) – siehe docs/backup.md."
fi

# 1. Datenbank und Manifest aus demselben Stand.
OUTPUT="$("$LOTSE" backupmanifest --directory "$TARGET")"
echo "$OUTPUT" | grep -v '^MEDIA_ROOT='
MEDIA_ROOT="$(echo "$OUTPUT" | sed -n 's/^MEDIA_ROOT=//p')"

# 2. Medienverzeichnis (hochgeladene Dateien) direkt danach.
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$TARGET/media.tar.gz" .
else
  echo "Hinweis: Medienverzeichnis $MEDIA_ROOT gibt es nicht; leeres Archiv." >&2
  EMPTY="$(mktemp -d)"
  tar -C "$EMPTY" -czf "$TARGET/media.tar.gz" .
  rmdir "$EMPTY"
fi

# 3. Prüfsummen über alles.
(cd "$TARGET" && sha256sum -- * > SHA256SUMS)

echo "Sicherung fertig: $TARGET"
echo "Prüfen mit: scripts/restore-check.sh $TARGET"
