"""Canary values: seeded into the data and the forms of the test run, never in any log output.

The plugin ``tests.plugins.canary`` scans every log record and warning of the whole test run
for these strings; ``tests/security/test_canaries.py`` seeds them through pages, the API,
exports and error paths.
"""

from __future__ import annotations

#: A fake diagnosis (Art. 9 DSGVO health data) stored in free-text fields.
DIAGNOSIS = "Kanarien-Diagnose F43.1 (Test)"

#: A password typed into the sign-in, password change and re-authentication forms.
PASSWORD = "Kanarien-Passwort-9!xQ"  # noqa: S105 - a test value that must never be logged

CANARIES: tuple[str, ...] = (DIAGNOSIS, PASSWORD)
