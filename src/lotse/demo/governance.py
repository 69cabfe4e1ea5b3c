"""Demo data of the system level: bodies' meetings, papers, decisions, the portal's content."""

from __future__ import annotations

from lotse.demo.governance_meetings import demo_meetings
from lotse.demo.governance_papers import demo_papers
from lotse.demo.portal import demo_portal


def demo_governance(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    lines: list[str] = []
    lines.extend(demo_meetings(traeger_slug=traeger_slug))
    lines.extend(demo_papers(traeger_slug=traeger_slug))
    lines.extend(demo_portal(traeger_slug=traeger_slug))
    return lines
