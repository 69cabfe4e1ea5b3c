"""Beschlussvorlagen and decisions of the demo region, with the measures they created.

Kreis Lippe: the Qualitätszirkel named two needs on vocational language courses; the
Servicestelle assigned them to the AK Arbeit, which drafted a Beschlussvorlage; the
Steuerungsgremium adopted it (published), creating a measure under "Arbeit I" with a first
progress report. A second paper is a draft. The two needs of the demo conference
"abgeschlossen" are left open for the journey of issue 13.

Everything goes through ``lotse.governance.papers``. Meetings the path needs are created via
the model when the meetings' demo has none. Idempotent: nothing happens once the Träger has a
paper.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import Role, User
from lotse.conferences.models import OptimisationNeed
from lotse.directory.models import Body, Goal
from lotse.governance import papers
from lotse.governance.meetings import meeting_approve_minutes
from lotse.governance.models import AgendaItem, Meeting, MeetingState, Paper
from lotse.tenancy.models import Traeger

NEEDS = (
    "Berufsbezogene Sprachkurse (DeuFöV) starten im Nordkreis zu selten; Wartezeiten über "
    "sechs Monate.",
    "Für Teilnehmende mit Kindern unter drei Jahren fehlt eine Betreuung während der Kurse.",
)


def _meeting(body: Body, *, days: int, title: str) -> Meeting:
    found = (
        Meeting.objects.filter(
            traeger_id=body.traeger_id, body=body, state__in=papers.OPEN_MEETING_STATES
        )
        .order_by("starts_at")
        .first()
    )
    if found is not None:
        return found
    return Meeting.objects.create(
        traeger_id=body.traeger_id,
        body=body,
        title=title,
        starts_at=timezone.now() + dt.timedelta(days=days),
        state=MeetingState.PLANNED,
        ical_uid=f"demo-{body.key}-{days}@lotse.demo",
    )


@transaction.atomic
def demo_papers(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    traeger = Traeger.objects.filter(slug=traeger_slug).first()
    if traeger is None or Paper.objects.filter(traeger=traeger).exists():
        return []
    bodies = {b.key: b for b in Body.objects.filter(traeger=traeger)}
    goal = Goal.objects.filter(traeger=traeger, key="arbeit-i").first()
    coordinator = (
        User.objects.filter(traeger=traeger, username="coordinator").first()
        or User.objects.filter(traeger=traeger, role_assignments__role=Role.COORDINATION).first()
    )
    circle, steering = bodies.get("ak-arbeit"), bodies.get("steuerungsgremium")
    if goal is None or coordinator is None or circle is None or steering is None:
        return []
    field = circle.field_of_action or goal.field_of_action
    if field is None:
        return []
    needs = [
        OptimisationNeed.objects.create(
            traeger=traeger,
            field_of_action=field,
            category="fehlende-angebote",
            description=text,
            status=OptimisationNeed.Status.ASSIGNED,
            body=circle,
            source_body=bodies.get("qualitaetszirkel"),
            created_by=coordinator,
        )
        for text in NEEDS
    ]
    paper = papers.paper_create(
        actor=coordinator,
        body=circle,
        title="Berufsbezogene Sprachkurse mit Kinderbetreuung im Nordkreis",
        problem="Lange Wartezeiten auf Berufssprachkurse; Eltern kleiner Kinder brechen ab.",
        proposal=(
            "Zwei zusätzliche Kursstarte pro Jahr in Lemgo mit kursbegleitender "
            "Kinderbetreuung; Abstimmung der Träger über das Netzwerk."
        ),
        responsible="Jobcenter Lippe mit den Kursträgern",
        financing="BAMF (DeuFöV), Kinderbetreuung aus Mitteln des Kreises",
        organisational="Koordination durch die Servicestelle",
        needs=needs,
        field_of_action=field,
        goal=goal,
    )
    # The past meetings of the path (held), created via the model.
    held_circle = Meeting.objects.create(
        traeger=traeger,
        body=circle,
        title="AK Arbeit – Frühjahrssitzung",
        starts_at=timezone.now() - dt.timedelta(days=60),
        state=MeetingState.PLANNED,
        ical_uid="demo-ak-arbeit-past@lotse.demo",
    )
    held_steering = Meeting.objects.create(
        traeger=traeger,
        body=steering,
        title="Steuerungsgremium – Sitzung",
        starts_at=timezone.now() - dt.timedelta(days=30),
        state=MeetingState.PLANNED,
        ical_uid="demo-steuerungsgremium-past@lotse.demo",
    )
    consultation = papers.paper_put_on_meeting(actor=coordinator, paper=paper, meeting=held_circle)
    papers.consultation_record_result(
        actor=coordinator,
        consultation=consultation,
        result="Einvernehmlich befürwortet; Kinderbetreuung als Bedingung aufgenommen.",
    )
    papers.paper_submit(actor=coordinator, paper=paper, meeting=held_steering)
    decided_on = timezone.localdate() - dt.timedelta(days=30)
    decision = papers.paper_decide(
        actor=coordinator,
        paper=paper,
        outcome="adopted",
        decided_on=decided_on,
        votes_yes=11,
        votes_no=0,
        votes_abstain=1,
    )
    measure = papers.decision_create_measure(
        actor=coordinator,
        decision=decision,
        goal=goal,
        text=paper.proposal,
        responsible=paper.responsible,
        financing=paper.financing,
        organisational=paper.organisational,
        due_on=timezone.localdate() + dt.timedelta(days=300),
        review_on=timezone.localdate() + dt.timedelta(days=30),
    )
    papers.measure_report(
        actor=coordinator,
        measure=measure,
        status="in_progress",
        progress="Erster zusätzlicher Kurs in Lemgo gestartet, Kinderbetreuung durch Tagespflege.",
        next_review_on=timezone.localdate() + dt.timedelta(days=90),
    )
    # Both bodies and both meetings are public: approving the minutes publishes the decision to
    # the region and, on public items, through OParl (with the minutes PDF).
    Body.objects.filter(pk__in=[circle.pk, steering.pk]).update(public=True)
    AgendaItem.objects.filter(meeting__in=(held_circle, held_steering)).update(public=True)
    for meeting in (held_circle, held_steering):
        meeting.public = True
        meeting.state = MeetingState.HELD
        meeting.save(update_fields=["public", "state", "updated_at"])
        meeting_approve_minutes(actor=coordinator, meeting=meeting)

    draft_need = OptimisationNeed.objects.create(
        traeger=traeger,
        field_of_action=field,
        category="fehlende-angebote",
        description="Anerkennung ausländischer Berufsabschlüsse dauert zu lange; keine Lotsen.",
        status=OptimisationNeed.Status.ASSIGNED,
        body=circle,
        source_body=bodies.get("qualitaetszirkel"),
        created_by=coordinator,
    )
    draft = papers.paper_create(
        actor=coordinator,
        body=circle,
        title="Anerkennungsberatung im Kreishaus",
        problem="Verfahren zur Anerkennung dauern lange, Beratung ist nur in Bielefeld erreichbar.",
        proposal="Monatliche Sprechstunde der Anerkennungsberatung im Kreishaus Detmold.",
        needs=[draft_need],
        field_of_action=field,
        goal=goal,
    )
    _meeting(circle, days=21, title="AK Arbeit – Herbstsitzung")
    _meeting(steering, days=45, title="Steuerungsgremium – Herbstsitzung")
    return [
        f"Beschlussvorlagen: {paper.reference} beschlossen und veröffentlicht "
        f"(Maßnahme unter {goal}), {draft.reference} als Entwurf"
    ]
