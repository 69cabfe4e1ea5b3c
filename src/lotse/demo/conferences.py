"""Demo: case conferences in every state on the Detmold case manager's cases (issue 12).

Everything goes through the conference services, so the steps, the gate's decisions, the
transfers and the audit entries are those a user would produce. The centre piece is a
conference the Jobcenter called for a case across two municipalities (Detmold and Lemgo),
scheduled three weeks ahead with the Jobcenter, the Jugendamt and the Ausländerbehörde; the
client's consent names the first two, so the Ausländerbehörde is invited with the anonymised
summary only. A held conference carries minutes, three binding agreements (tasks) and two
optimisation needs and two anonymous evaluation sheets.

Idempotent: only while the Träger has no conference at all, so what users entered is kept.
Deterministic: which cases and dates are used follows from the caseload and today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import User
from lotse.cases.models import Case, Phase
from lotse.conferences.models import Conference, Participant
from lotse.conferences.services import (
    agreement_record,
    conference_agree,
    conference_cancel,
    conference_conclude,
    conference_follow_up,
    conference_invite,
    conference_record,
    conference_request,
    conference_schedule,
    evaluation_submit,
    indication_record,
    optimisation_need_add,
    optimisation_need_set_status,
    participant_add,
)
from lotse.consent.models import Consent, Purpose
from lotse.consent.services import consent_record
from lotse.consent.texts import CONSENT_TEXT_VERSION
from lotse.directory.models import FieldOfAction, Municipality, Organisation

BERLIN = ZoneInfo("Europe/Berlin")
CONFERENCE_PURPOSE = "fallkonferenz"
#: What the conference discusses; the consents below cover exactly this.
SHARED = ["identity", "education_work"]
SUMMARY = (
    "Alleinerziehende Person, seit zwei Jahren im Kreis, Umzug von Detmold nach Lemgo geplant. "
    "Sprachkurs B1 abgebrochen (Kinderbetreuung fehlt), Arbeitserlaubnis vorhanden, Wunsch "
    "nach Ausbildung in der Pflege. Aufenthaltserlaubnis läuft in vier Monaten aus."
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


@transaction.atomic
def demo_conferences(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    users = {
        u.username: u
        for u in User.objects.filter(
            traeger__slug=traeger_slug, username__in=["casemanager", "coordinator", "moderator"]
        )
    }
    manager, coordinator = users.get("casemanager"), users.get("coordinator")
    moderator = users.get("moderator")
    if manager is None or coordinator is None or moderator is None:
        return []
    traeger_id = manager.traeger_id
    if traeger_id is None or Conference.objects.filter(traeger_id=traeger_id).exists():
        return []
    orgs = {
        o.key: o
        for o in Organisation.objects.filter(
            traeger_id=traeger_id,
            key__in=[
                "jobcenter-lippe",
                "jugendamt-kreis-lippe",
                "abh-detmold",
                "abh-kreis-lippe",
                "netzwerk-lippe",
            ],
        )
    }
    places = {
        m.key: m
        for m in Municipality.objects.filter(traeger_id=traeger_id, key__in=["detmold", "lemgo"])
    }
    topics = list(
        FieldOfAction.objects.filter(traeger_id=traeger_id, key__in=["arbeit", "sprache"]).order_by(
            "key"
        )
    )
    jobcenter, jugendamt = orgs.get("jobcenter-lippe"), orgs.get("jugendamt-kreis-lippe")
    abh = orgs.get("abh-detmold") or orgs.get("abh-kreis-lippe")
    network = orgs.get("netzwerk-lippe")
    if not (jobcenter and jugendamt and abh and network and len(places) == 2 and topics):
        return []
    cases = list(
        Case.objects.filter(traeger_id=traeger_id, case_manager=manager)
        .exclude(phase__in=[Phase.INTAKE, Phase.CLOSED])
        .select_related("person")
        .order_by("id")
    )
    if not cases:
        return []
    # The partner Jobcenter already sees the persons whose consent names it: the conferences
    # with participants use those cases first, so no other person is shared with it.
    with_jobcenter = set(
        Consent.objects.filter(traeger_id=traeger_id, recipients=jobcenter).values_list(
            "person_id", flat=True
        )
    )
    cases.sort(key=lambda c: (c.person_id not in with_jobcenter, c.pk))
    story = _Story(
        manager=manager,
        coordinator=coordinator,
        moderator=moderator,
        jobcenter=jobcenter,
        jugendamt=jugendamt,
        abh=abh,
        network=network,
        municipalities=[places["detmold"], places["lemgo"]],
        topics=topics,
        jobcenter_persons=with_jobcenter,
    )
    plan: list[Callable[[Case], Conference]] = [
        story.scheduled,
        story.held,
        story.followed_up,
        story.agreed,
        story.requested,
        story.mediation,
        story.indicated,
        story.cancelled,
    ]
    for index, step in enumerate(plan):
        step(cases[index % len(cases)])
    return [f"Fallkonferenzen: {len(plan)} neu (in jedem Stand)"]


class _Story:
    def __init__(
        self,
        *,
        manager: User,
        coordinator: User,
        moderator: User,
        jobcenter: Organisation,
        jugendamt: Organisation,
        abh: Organisation,
        network: Organisation,
        municipalities: list[Municipality],
        topics: list[FieldOfAction],
        jobcenter_persons: set[int],
    ) -> None:
        self.manager = manager
        self.coordinator = coordinator
        self.moderator = moderator
        self.jobcenter = jobcenter
        self.jugendamt = jugendamt
        self.abh = abh
        self.network = network
        self.municipalities = municipalities
        self.topics = topics
        self.jobcenter_persons = jobcenter_persons
        self.today = timezone.localdate()

    # -- the steps, each through the services ---------------------------------------------------

    def _indicated(self, case: Case) -> Conference:
        _check, conference = indication_record(
            actor=self.manager,
            case=case,
            municipalities=self.municipalities,
            authorities=[self.jobcenter, self.jugendamt, self.abh],
            topics=self.topics,
            indicated=True,
            reason=(
                "Umzug von Detmold nach Lemgo; Jobcenter, Jugendamt und Ausländerbehörde "
                "beteiligt; Arbeit, Sprache und Aufenthalt hängen voneinander ab."
            ),
        )
        assert conference is not None  # noqa: S101 - cross-municipal and indicated
        return conference

    def _called_by(self, conference: Conference, initiator: Organisation) -> Conference:
        return conference_request(
            actor=self.manager,
            conference=conference,
            expected_version=conference.version,
            initiator=initiator,
            summary=SUMMARY,
            shared_categories=SHARED,
            note="Anruf der Fallmanagerin im Jobcenter"
            if initiator == self.jobcenter
            else "Wunsch des Coachings",
        )

    def _consent(self, case: Case) -> None:
        """The client's consent for the conference names the Jobcenter and the Jugendamt only."""
        recipients = [self.jugendamt]
        if case.person_id in self.jobcenter_persons:
            recipients.insert(0, self.jobcenter)
        consent_record(
            actor=self.manager,
            person=case.person,
            recipients=recipients,
            categories=SHARED,
            purpose="Fallkonferenz zur Abstimmung von Arbeit, Sprache und Kinderbetreuung",
            purposes=list(
                Purpose.objects.filter(traeger_id=case.traeger_id, key=CONFERENCE_PURPOSE)
            ),
            form=Consent.Form.WRITTEN,
            attest_signed_paper=True,
            valid_from=self.today - dt.timedelta(days=5),
            valid_until=self.today + dt.timedelta(days=180),
            text_version=CONSENT_TEXT_VERSION,
        )

    def _scheduled(self, case: Case, *, hour: int) -> Conference:
        self._consent(case)
        conference = self._called_by(self._indicated(case), self.jobcenter)
        conference = conference_schedule(
            actor=self.coordinator,
            conference=conference,
            expected_version=conference.version,
            starts_at=_at(self.today + dt.timedelta(days=21), hour),
            duration_minutes=90,
            location="Kreishaus Detmold, Raum 2.14",
            video_link="",
            moderator=self.moderator,
        )
        people = [
            (
                self.jobcenter,
                "Frau Demir (Demo)",
                "demir@jobcenter-lippe.invalid",
                "Fallmanagement",
            ),
            (self.jugendamt, "Herr Vogt (Demo)", "vogt@kreis-lippe.invalid", "Erziehungshilfe"),
            (self.abh, "Frau Kaya (Demo)", "kaya@abh.invalid", "Sachbearbeitung Aufenthalt"),
        ]
        for organisation, name, email, role in people:
            participant_add(
                actor=self.coordinator,
                conference=conference,
                organisation=organisation,
                name=name,
                email=email,
                role_in_case=role,
            )
        conference_invite(actor=self.coordinator, conference=conference)
        return conference

    def scheduled(self, case: Case) -> Conference:
        return self._scheduled(case, hour=10)

    def held(self, case: Case) -> Conference:
        conference = self._scheduled(case, hour=14)
        conference_record(
            actor=self.moderator,
            conference=conference,
            minutes={
                item.pk: text
                for item, text in zip(
                    conference.agenda.order_by("position"),
                    [
                        "Schweigepflicht besprochen, Teilnehmendenliste unterschrieben.",
                        "Alle stellen sich mit ihrer Rolle im Fall vor.",
                        "Jobcenter: Ausbildungswunsch Pflege, Sprachkurs wegen fehlender "
                        "Kinderbetreuung abgebrochen.",
                        "Jugendamt: Kita-Platz in Lemgo ab Umzug möglich; ABH: Verlängerung "
                        "setzt Nachweise zum Lebensunterhalt voraus.",
                        "Drei verbindliche Absprachen (siehe Aufgaben).",
                        "Kurze Feedbackrunde, Evaluationsbögen ausgeteilt.",
                    ],
                    strict=False,
                )
            },
            planned={},
            attended=set(conference.participants.values_list("pk", flat=True)),
            confidentiality=set(conference.participants.values_list("pk", flat=True)),
        )
        for title, owner_user, owner_org, days in [
            ("Kita-Platz in Lemgo zum Umzugstermin beantragen", None, self.jugendamt, 14),
            ("Sprachkurs B1 mit Kinderbetreuung anmelden", self.manager, None, 21),
            (
                "Unterlagen zur Verlängerung der Aufenthaltserlaubnis sammeln",
                self.manager,
                None,
                28,
            ),
        ]:
            agreement_record(
                actor=self.moderator,
                conference=conference,
                title=title,
                due_on=self.today + dt.timedelta(days=days),
                owner_user=owner_user,
                owner_organisation=owner_org,
            )
        for topic, category, text in [
            (
                self.topics[0],
                "fehlende-angebote",
                "Es fehlen Sprachkurse mit Kinderbetreuung im Nordkreis.",
            ),
            (
                self.topics[-1],
                "schnittstellenprobleme",
                "Beim Umzug zwischen Kommunen gehen Anträge zwischen den Stellen verloren.",
            ),
        ]:
            need = optimisation_need_add(
                actor=self.moderator,
                field_of_action=topic,
                category=category,
                description=text,
                organisations=[self.jobcenter, self.jugendamt],
                conference=conference,
            )
        # The Servicestelle has looked at the last one and handed it to the Jugendamt.
        need = optimisation_need_set_status(actor=self.coordinator, need=need, status="triaged")
        optimisation_need_set_status(
            actor=self.coordinator, need=need, status="assigned", assigned_to=self.jugendamt
        )
        conference = conference_conclude(
            actor=self.moderator, conference=conference, expected_version=conference.version
        )
        # Two of the three participants handed in their Evaluationsbogen.
        for participant, answers, comment in zip(
            conference.participants.order_by("id")[:2],
            [
                {"preparation": 4, "moderation": 5, "time": 4, "agreements": 5, "benefit": 4},
                {"preparation": 3, "moderation": 4, "time": 3, "agreements": 4, "benefit": 5},
            ],
            ["Gute Vorbereitung.", "Mehr Zeit für die Fallrekonstruktion."],
            strict=True,
        ):
            evaluation_submit(
                actor=self.moderator, participant=participant, answers=answers, comment=comment
            )
        # The story: it took place a week ago (the services only schedule into the future).
        past = _at(self.today - dt.timedelta(days=7), 14)
        Conference.objects.filter(pk=conference.pk).update(starts_at=past)
        Participant.objects.filter(conference=conference).update(
            confirmed_at=past - dt.timedelta(days=10)
        )
        conference.starts_at = past
        return conference

    def followed_up(self, case: Case) -> Conference:
        conference = self.held(case)
        return conference_follow_up(
            actor=self.manager,
            conference=conference,
            expected_version=conference.version,
            occurred_at=_at(self.today - dt.timedelta(days=3), 11),
            channel="in_person",
            text=(
                "Ergebnisse der Fallkonferenz erläutert (mit Sprachmittlung); Klientin ist mit "
                "den Absprachen einverstanden."
            ),
        )

    def agreed(self, case: Case) -> Conference:
        return self._called_by(self._indicated(case), self.jobcenter)

    def requested(self, case: Case) -> Conference:
        return self._called_by(self._indicated(case), self.network)

    def mediation(self, case: Case) -> Conference:
        conference = self.requested(case)
        return conference_agree(
            actor=self.manager,
            conference=conference,
            expected_version=conference.version,
            organisation=self.jugendamt,
            agreed=False,
            note="Aus Sicht des Jugendamts reicht eine Abstimmung unter zwei Stellen.",
        )

    def indicated(self, case: Case) -> Conference:
        return self._indicated(case)

    def cancelled(self, case: Case) -> Conference:
        conference = self.agreed(case)
        return conference_cancel(
            actor=self.manager,
            conference=conference,
            expected_version=conference.version,
            reason="Die Familie ist vor dem Termin in einen anderen Kreis verzogen.",
        )
