"""Convert school holidays from the OpenHolidays API into Lotse's bundled data.

Usage::

    python scripts/import_school_holidays.py FILE.json [FILE.json …]

Each FILE is a response of ``GET https://openholidaysapi.org/SchoolHolidays?countryIsoCode=DE
&subdivisionCode=DE-XX&validFrom=…&validTo=…&languageIsoCode=DE`` (a JSON list of holidays with
``startDate``, ``endDate``, ``name`` and ``subdivisions``). The periods are written, merged with
what is already bundled, to ``src/lotse/deadlines/data/school_holidays/<STATE>.json`` — one file
per federal state (``NW``, ``BY`` …). Lotse never calls the API at runtime; run this when a state
publishes new holiday dates and commit the result. The data is under the Open Database License
(see the folder's README.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src/lotse/deadlines/data/school_holidays"


def _name(entry: dict) -> str:
    names = entry.get("name") or []
    for item in names:
        if item.get("language") == "DE":
            return str(item.get("text", ""))
    return str(names[0].get("text", "")) if names else ""


def main(paths: list[str]) -> int:
    by_state: dict[str, dict[tuple[str, str], str]] = {}
    for path in paths:
        for entry in json.loads(Path(path).read_text(encoding="utf-8")):
            if entry.get("type", "School") != "School":
                continue
            start, end = entry["startDate"][:10], entry["endDate"][:10]
            for subdivision in entry.get("subdivisions") or []:
                state = str(subdivision.get("shortName") or subdivision["code"].split("-")[-1])
                by_state.setdefault(state, {})[(start, end)] = _name(entry)
    TARGET.mkdir(parents=True, exist_ok=True)
    for state, periods in sorted(by_state.items()):
        target = TARGET / f"{state}.json"
        if target.exists():
            for item in json.loads(target.read_text(encoding="utf-8"))["periods"]:
                periods.setdefault((item["start"], item["end"]), item["name"])
        rows = [
            {"name": f"{name} {start[:4]}".strip(), "start": start, "end": end}
            if not name.endswith(start[:4])
            else {"name": name, "start": start, "end": end}
            for (start, end), name in sorted(periods.items())
        ]
        lines = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in rows)
        target.write_text(
            f'{{"state": "{state}", "source": "OpenHolidays API (ODbL 1.0)", "periods": [\n'
            f"{lines}\n]}}\n",
            "utf-8",
        )
        print(f"{state}: {len(rows)} Ferienzeiträume, {rows[0]['start']} bis {rows[-1]['end']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
