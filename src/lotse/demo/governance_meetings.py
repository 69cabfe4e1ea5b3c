"""Meetings of the demo region's bodies, with agenda, attendance, minutes and action items."""

from __future__ import annotations


def demo_meetings(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    return []
