"""Sub-pages of a case (and of a person) that other apps contribute.

An app registers its pages in ``AppConfig.ready()``; the case and person pages link them
without knowing the apps, so the cases app does not depend on the apps that build on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url_name: str
    order: int = 100


_CASE_SECTIONS: dict[str, Section] = {}
_PERSON_SECTIONS: dict[str, Section] = {}


def register_case_section(section: Section) -> None:
    """``section.url_name`` must take the case's ``pk`` as its only argument."""
    _CASE_SECTIONS[section.key] = section


def register_person_section(section: Section) -> None:
    """``section.url_name`` must take the person's ``pk`` as its only argument."""
    _PERSON_SECTIONS[section.key] = section


def case_section_links(case_pk: int) -> list[tuple[str, str]]:
    return [
        (str(s.label), reverse(s.url_name, args=[case_pk]))
        for s in sorted(_CASE_SECTIONS.values(), key=lambda s: (s.order, s.key))
    ]


def person_section_links(person_pk: int) -> list[tuple[str, str]]:
    return [
        (str(s.label), reverse(s.url_name, args=[person_pk]))
        for s in sorted(_PERSON_SECTIONS.values(), key=lambda s: (s.order, s.key))
    ]
