"""What OParl may serve: the querysets of published (and withdrawn) objects of one Träger.

An object is *live* when the Servicestelle marked it ``public`` and did not withdraw it. An object
that was public once and then withdrawn (``depublished_at`` set) is served as an OParl soft
deletion (HTTP 200, ``deleted: true``, no content). Everything else does not exist for OParl
(404), whatever its Träger.

Deliberately absent: persons, memberships and attendance (staff of the region's organisations,
never published here), action items, goal changes, measure reports and anything of
``lotse.conferences`` (case conferences and their optimisation needs). Nothing in this package
imports a model of those apps.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from lotse.directory.models import Body as DirectoryBody
from lotse.governance.models import (
    AgendaItem,
    Consultation,
    Decision,
    Document,
    Meeting,
    Paper,
)
from lotse.tenancy.models import Traeger

LIVE = Q(public=True, depublished_at__isnull=True)
WITHDRAWN = Q(depublished_at__isnull=False)
SERVED = LIVE | WITHDRAWN


def is_deleted(obj: object) -> bool:
    return getattr(obj, "depublished_at", None) is not None or not getattr(obj, "public", False)


def live_documents() -> QuerySet[Document]:
    return Document.objects.filter(LIVE).order_by("created_at", "id")


def live_decisions() -> QuerySet[Decision]:
    """Decisions published after the minutes were approved and marked public."""
    return Decision.objects.filter(LIVE, published_at__isnull=False).order_by("id")


def live_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(LIVE, paper__public=True, paper__depublished_at__isnull=True)


def live_items() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(LIVE).order_by("position", "id")


def _item_prefetches(prefix: str = "") -> list[Prefetch]:
    return [
        Prefetch(f"{prefix}decisions", queryset=live_decisions(), to_attr="oparl_decisions"),
        Prefetch(
            f"{prefix}consultations",
            queryset=live_consultations().order_by("id"),
            to_attr="oparl_consultations",
        ),
        Prefetch(f"{prefix}documents", queryset=live_documents(), to_attr="oparl_documents"),
    ]


def organizations(traeger: Traeger) -> QuerySet[DirectoryBody]:
    """Bodies (Steuerungsgremium, Arbeitskreise …) the Servicestelle marked public."""
    return DirectoryBody.objects.filter(traeger=traeger, public=True)


def public_body_ids(traeger: Traeger) -> set[int]:
    return set(organizations(traeger).values_list("id", flat=True))


def meetings(traeger: Traeger) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(SERVED, traeger=traeger)
        .select_related("body")
        .prefetch_related(
            Prefetch("items", queryset=live_items(), to_attr="oparl_items"),
            *_item_prefetches("oparl_items__"),
            Prefetch("documents", queryset=live_documents(), to_attr="oparl_documents"),
        )
    )


def agenda_items(traeger: Traeger) -> QuerySet[AgendaItem]:
    """Items of live meetings (an item of a withdrawn meeting is withdrawn with it)."""
    return (
        AgendaItem.objects.filter(SERVED, traeger=traeger, meeting__public=True)
        .select_related("meeting")
        .prefetch_related(*_item_prefetches())
    )


def papers(traeger: Traeger) -> QuerySet[Paper]:
    return (
        Paper.objects.filter(SERVED, traeger=traeger)
        .select_related("body")
        .prefetch_related(
            Prefetch(
                "consultations",
                queryset=live_consultations()
                .select_related("item__meeting__body", "paper__body")
                .order_by("id"),
                to_attr="oparl_consultations",
            ),
            Prefetch("documents", queryset=live_documents(), to_attr="oparl_documents"),
            Prefetch("decisions", queryset=live_decisions(), to_attr="oparl_decisions"),
        )
    )


def consultations(traeger: Traeger) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(
            SERVED, traeger=traeger, paper__public=True, paper__depublished_at__isnull=True
        )
        .select_related("item__meeting__body", "paper__body")
        .prefetch_related(
            Prefetch("paper__decisions", queryset=live_decisions(), to_attr="oparl_decisions")
        )
    )


def files(traeger: Traeger) -> QuerySet[Document]:
    return Document.objects.filter(SERVED, traeger=traeger).select_related(
        "meeting", "item__meeting", "paper"
    )
