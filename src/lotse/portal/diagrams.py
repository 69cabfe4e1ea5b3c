"""A process chain as a server-rendered SVG flow diagram (no script, no inline style).

The steps stand in one column (it scales down to 320 px through the ``viewBox``); an arrow
leads to the next step, branches to other steps run along the right side with their condition.
The drawing repeats the ordered list next to it, so it is hidden from screen readers there
(``aria-hidden``); standing alone it is an image with ``<title>``/``<desc>``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lotse.portal.models import ProcessStep

BOX_X = 20
BOX_WIDTH = 380
LINE_HEIGHT = 18
GAP = 46
CHARS_PER_LINE = 40
LANE = 28  # distance between branch lanes on the right
# Presentation attributes, not inline styles (the CSP forbids those).
STROKE = 'stroke="#333333" stroke-width="2" fill="none"'
FONT = {
    "lotse-flow__title": 'font-size="15" font-weight="bold" fill="#111111"',
    "lotse-flow__meta": 'font-size="13" fill="#333333"',
    "lotse-flow__label": 'font-size="12" font-style="italic" fill="#222222"',
}


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    condition: str


def edges(steps: Sequence[ProcessStep]) -> list[Edge]:
    index = {step.key: i for i, step in enumerate(steps)}
    found: list[Edge] = []
    for i, step in enumerate(steps):
        branches = [b for b in (step.next_steps or []) if b.get("step") in index]
        if branches:
            found.extend(Edge(i, index[b["step"]], str(b.get("condition") or "")) for b in branches)
        elif i + 1 < len(steps):
            found.append(Edge(i, i + 1, ""))
    return found


def _lines(step: ProcessStep) -> list[tuple[str, str]]:
    rows = [("lotse-flow__title", line) for line in textwrap.wrap(step.title, CHARS_PER_LINE)]
    if step.responsible:
        rows += [
            ("lotse-flow__meta", line)
            for line in textwrap.wrap(step.responsible, CHARS_PER_LINE + 6)
        ]
    if step.deadline:
        rows += [
            ("lotse-flow__meta", line)
            for line in textwrap.wrap(f"{_('deadline')}: {step.deadline}", CHARS_PER_LINE + 6)
        ]
    return rows or [("lotse-flow__title", "–")]


def flow_svg(
    steps: Sequence[ProcessStep], *, title: str, description: str, decorative: bool = True
) -> SafeString:
    steps = list(steps)
    all_edges = edges(steps)
    side = [e for e in all_edges if e.target != e.source + 1]
    lanes = len(side)
    label_room = max((len(e.condition[:30]) for e in side), default=0) * 7 + 12
    width = BOX_X + BOX_WIDTH + 20 + LANE * lanes + (label_room if lanes else 0)
    tops: list[int] = []
    heights: list[int] = []
    y = 16
    boxes: list[str] = []
    for number, step in enumerate(steps, start=1):
        rows = _lines(step)
        height = 20 + LINE_HEIGHT * len(rows)
        tops.append(y)
        heights.append(height)
        texts = "".join(
            f'<text class="{css}" x="{BOX_X + 14}" y="{y + 24 + LINE_HEIGHT * n}" {FONT[css]}>'
            f"{escape(f'{number}. ' + line if n == 0 else line)}</text>"
            for n, (css, line) in enumerate(rows)
        )
        boxes.append(
            f'<g class="lotse-flow__step"><rect class="lotse-flow__box" x="{BOX_X}" y="{y}" '
            f'width="{BOX_WIDTH}" height="{height}" rx="8" ry="8" fill="#ffffff" stroke="#1e5aa0" stroke-width="2"/>{texts}</g>'
        )
        y += height + GAP
    total_height = max(y - GAP + 16, 60)
    arrows: list[str] = []
    centre = BOX_X + BOX_WIDTH // 2
    right = BOX_X + BOX_WIDTH
    for edge in all_edges:
        if edge.target == edge.source + 1:
            start = tops[edge.source] + heights[edge.source]
            end = tops[edge.target] - 2
            arrows.append(
                f'<line class="lotse-flow__arrow" x1="{centre}" y1="{start}" x2="{centre}" '
                f'y2="{end}" {STROKE} marker-end="url(#lotse-flow-head)"/>'
            )
            if edge.condition:
                arrows.append(
                    f'<text class="lotse-flow__label" x="{centre + 8}" '
                    f'y="{(start + end) // 2 + 5}" {FONT["lotse-flow__label"]}>{escape(edge.condition)}</text>'
                )
    for lane, edge in enumerate(side, start=1):
        x = right + LANE * lane
        y1 = tops[edge.source] + heights[edge.source] // 2
        y2 = tops[edge.target] + min(heights[edge.target] // 2, 20) + 8 * (lane % 2)
        arrows.append(
            f'<path class="lotse-flow__arrow lotse-flow__arrow--branch" '
            f'd="M {right} {y1} H {x} V {y2} H {right + 2}" '
            f'{STROKE} marker-end="url(#lotse-flow-head)"/>'
        )
        if edge.condition:
            arrows.append(
                f'<text class="lotse-flow__label" x="{x + 6}" y="{(y1 + y2) // 2}" '
                f"{FONT['lotse-flow__label']}>"
                f"{escape(edge.condition[:30])}</text>"
            )
    if decorative:
        head = 'aria-hidden="true" focusable="false"'
    else:
        head = 'role="img" aria-labelledby="lotse-flow-title lotse-flow-desc"'
    svg = (
        f'<svg class="lotse-flow" xmlns="http://www.w3.org/2000/svg" {head} width="100%" '
        f'viewBox="0 0 {width} {total_height}" preserveAspectRatio="xMidYMin meet">'
        f'<title id="lotse-flow-title">{escape(title)}</title>'
        f'<desc id="lotse-flow-desc">{escape(description)}</desc>'
        '<defs><marker id="lotse-flow-head" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path class="lotse-flow__head" d="M 0 0 L 10 5 L 0 10 z" fill="#333333"/></marker></defs>'
        f"{''.join(boxes)}{''.join(arrows)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 — every text above is escaped
