"""Which of this app's modules a Träger uses, decided by its configuration alone.

A Träger without a Teilhabemanagement programme or without a way to refer to the immigration
authority does not see these modules: no menu entry, no start-page section, and their URLs
answer 404 (docs/configuration.md, "Modules").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lotse.consent.models import Purpose
from lotse.directory.models import Organisation, Programme
from lotse.programmes.services import PURPOSE_KEYS, RECIPIENT_KINDS


@dataclass(frozen=True)
class TraegerModules:
    #: Teilhabemanagement: a programme of kind ``participation_management``.
    participation: bool
    #: Referral to the Ausländerbehörde: an office of that kind and one of its purposes.
    abh_referral: bool


def modules_of(traeger_id: int | None) -> TraegerModules:
    if traeger_id is None:
        return TraegerModules(participation=False, abh_referral=False)
    participation = Programme.objects.filter(
        traeger_id=traeger_id, kind=Programme.Kind.PARTICIPATION_MANAGEMENT
    ).exists()
    abh_referral = (
        Organisation.objects.filter(traeger_id=traeger_id, kind__in=RECIPIENT_KINDS).exists()
        and Purpose.objects.filter(
            traeger_id=traeger_id, key__in=sorted(set(PURPOSE_KEYS.values()))
        ).exists()
    )
    return TraegerModules(participation=participation, abh_referral=abh_referral)


def modules_for_user(user: Any) -> TraegerModules:
    """The modules of the user's Träger, computed once per request (cached on the user)."""
    cached = getattr(user, "_lotse_modules", None)
    if cached is None:
        cached = modules_of(getattr(user, "traeger_id", None))
        user._lotse_modules = cached
    return cached
