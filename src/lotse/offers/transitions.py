"""The referral state machine (Zusteuerung).

requested → accepted | waiting | declined | dropped
waiting   → accepted | declined | dropped
accepted  → started | dropped
started   → completed | dropped
completed, dropped, declined: final.

"accepted" is subject to the offer's places: accepting beyond them puts the referral on the
waiting list instead (see ``services.referral_transition``).
"""

from __future__ import annotations

from lotse.offers.models import ReferralState as S

ALLOWED: dict[str, tuple[str, ...]] = {
    S.REQUESTED: (S.ACCEPTED, S.WAITING, S.DECLINED, S.DROPPED),
    S.WAITING: (S.ACCEPTED, S.DECLINED, S.DROPPED),
    S.ACCEPTED: (S.STARTED, S.DROPPED),
    S.STARTED: (S.COMPLETED, S.DROPPED),
    S.COMPLETED: (),
    S.DROPPED: (),
    S.DECLINED: (),
}

#: Which date field a transition into the state sets.
DATE_FIELD: dict[str, str] = {
    S.ACCEPTED: "accepted_on",
    S.WAITING: "waiting_since",
    S.STARTED: "started_on",
    S.COMPLETED: "ended_on",
    S.DROPPED: "ended_on",
    S.DECLINED: "ended_on",
}


def allowed_targets(state: str) -> tuple[str, ...]:
    return ALLOWED.get(state, ())


def is_allowed(from_state: str, to_state: str) -> bool:
    return to_state in allowed_targets(from_state)
