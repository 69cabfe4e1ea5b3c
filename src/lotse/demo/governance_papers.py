"""Beschlussvorlagen and decisions of the demo region, with the measures they created."""

from __future__ import annotations


def demo_papers(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    return []
