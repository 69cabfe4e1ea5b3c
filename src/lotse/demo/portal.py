"""The portal's working aids and process chains of the demo region."""

from __future__ import annotations


def demo_portal(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    return []
