"""The demo caseload as plain data, deterministic from a seed (no database access).

Every client gets its own ``random.Random`` seeded with the seed, the post key and its index, so
``demo-<post>-<n>`` is the same person whatever ``--size`` is and however often the demo is
loaded; the loader can then skip what exists and add only what is missing.

Proportions follow the Kreis Lippe documents: about 100 open cases per post, more cases in the
early DGCC phases, a 70/30 mix of people with good prerequisites and people with multiple
problems, Neuzuwanderer and Altfälle, and in Teilhabemanagement young people of 18–27 years
with Duldung or Gestattung.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from lotse.cases.models import Phase, TimelineEntry
from lotse.cases.phases import ORDER
from lotse.demo import texts
from lotse.demo.names import (
    COUNTRIES,
    COUNTRY_BY_CODE,
    EU_PROFILES,
    TOLERATED_YOUTH_COUNTRIES,
    TOLERATED_YOUTH_STATUSES,
    CountryProfile,
    Name,
)
from lotse.demo.region import PlaceRef, PostRef

BERLIN = ZoneInfo("Europe/Berlin")
# The EU extended temporary protection for people from Ukraine (§ 24 AufenthG) to this date.
TEMPORARY_PROTECTION_UNTIL = dt.date(2027, 3, 4)
TEMPORARY_PROTECTION_FROM = dt.date(2022, 3, 4)
HISTORY_DAYS = 1150  # registrations over roughly the last three years

OPEN_PHASE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (Phase.INTAKE, 22),
    (Phase.ASSESSMENT, 20),
    (Phase.SERVICE_PLANNING, 17),
    (Phase.LINKING, 16),
    (Phase.MONITORING, 17),
    (Phase.EVALUATION, 8),
)
# Days since the case was opened, by the phase it stands in now.
CASE_AGE_DAYS: dict[str, tuple[int, int]] = {
    Phase.INTAKE: (1, 30),
    Phase.ASSESSMENT: (21, 90),
    Phase.SERVICE_PLANNING: (35, 160),
    Phase.LINKING: (60, 320),
    Phase.MONITORING: (120, 700),
    Phase.EVALUATION: (200, 900),
    Phase.CLOSED: (240, 1000),
}
RECOGNISED = ("refugee", "subsidiary", "asylum_granted", "deportation_ban")
# Typical first validity in months of a residence permit after the BAMF decision.
RECOGNISED_MONTHS = {"refugee": 36, "asylum_granted": 36, "subsidiary": 12, "deportation_ban": 12}
TITLE_MONTHS = {
    "family_reunification": 24,
    "skilled_worker": 48,
    "blue_card": 48,
    "humanitarian_admission": 36,
}
SURNAME_KEPT_BY_WIFE = frozenset({"SY", "IQ", "AF", "IR", "ER", "SO"})
PATRONYMIC = frozenset({"ER", "SO"})


@dataclass
class StatusSpec:
    code: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    note: str = ""


@dataclass
class VariantSpec:
    first_name: str
    last_name: str
    kind: str


@dataclass
class PersonSpec:
    key: str
    first_name: str
    last_name: str
    sex: str
    date_of_birth: dt.date
    nationalities: list[str]
    languages: list[str]
    interpreter_needed: bool
    interpreter_language: str
    place: PlaceRef
    registered_on: dt.date
    household_role: str
    statuses: list[StatusSpec] = field(default_factory=list)
    variants: list[VariantSpec] = field(default_factory=list)
    residence_obligation: bool = False
    residence_obligation_place: str = ""
    residence_obligation_until: dt.date | None = None
    eu_profile: str = ""

    @property
    def current_status(self) -> str:
        return self.statuses[-1].code


@dataclass
class TransitionSpec:
    from_phase: str
    to_phase: str
    at: dt.datetime
    reason: str = ""


@dataclass
class EntrySpec:
    kind: str
    at: dt.datetime
    title: str
    text: str = ""
    channel: str = ""
    ends_at: dt.datetime | None = None
    location: str = ""


@dataclass
class CaseSpec:
    phase: str
    opened_on: dt.date
    participation_offered_on: dt.date | None
    participation_agreed_on: dt.date | None
    closed_on: dt.date | None
    summary: str
    opened_at: dt.datetime
    transitions: list[TransitionSpec] = field(default_factory=list)
    entries: list[EntrySpec] = field(default_factory=list)


@dataclass
class ClientSpec:
    key: str
    post_key: str
    head: PersonSpec
    members: list[PersonSpec]
    case: CaseSpec

    @property
    def persons(self) -> list[PersonSpec]:
        return [self.head, *self.members]


def _weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([item for item, _ in items], weights=[w for _, w in items])[0]


def _at(day: dt.date, rng: random.Random, *, latest: dt.date | None = None) -> dt.datetime:
    """A plausible office time on ``day``, moved off weekends (backwards if past ``latest``)."""
    step = 1
    if latest is not None and _days(day, 7 - day.weekday()) > latest:
        step = -1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    hour = rng.choice((8, 9, 9, 10, 10, 11, 13, 14, 14, 15))
    return dt.datetime(
        day.year, day.month, day.day, hour, rng.choice((0, 15, 30, 45)), tzinfo=BERLIN
    )


def _days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


def _months(day: dt.date, n: int) -> dt.date:
    month = day.month - 1 + n
    year = day.year + month // 12
    return dt.date(year, month % 12 + 1, min(day.day, 28))


def _birth(rng: random.Random, today: dt.date, min_age: int, max_age: int) -> dt.date:
    age = rng.randint(min_age, max_age)
    return _days(
        dt.date(today.year - age - 1, today.month, min(today.day, 28)), rng.randint(1, 364)
    )


def _variants(first: Name, last: Name, rng: random.Random) -> list[VariantSpec]:
    result: list[VariantSpec] = []
    if (first.variants or last.variants) and rng.random() < 0.75:
        for _ in range(rng.choice((1, 1, 2))):
            v_first = rng.choice(first.variants) if first.variants else first.latin
            v_last = rng.choice(last.variants) if last.variants else last.latin
            spec = VariantSpec(v_first, v_last, "transliteration")
            if (v_first, v_last) != (first.latin, last.latin) and spec not in result:
                result.append(spec)
    if first.script and last.script and rng.random() < 0.35:
        result.append(VariantSpec(first.script, last.script, "original_script"))
    ascii_first, ascii_last = _ascii(first.latin), _ascii(last.latin)
    if (ascii_first, ascii_last) != (first.latin, last.latin) and any(
        ch in first.latin + last.latin for ch in "ıłŁ"
    ):
        result.append(VariantSpec(ascii_first, ascii_last, "alias"))
    return result


_ASCII = str.maketrans("ıłŁşğ", "ilLsg")


def _ascii(text: str) -> str:
    """German-authority spelling of letters that search normalisation does not fold (ı, ł)."""
    return text.translate(_ASCII)


class _ClientBuilder:
    def __init__(
        self,
        *,
        rng: random.Random,
        key: str,
        post: PostRef,
        today: dt.date,
        closed: bool,
        status_codes: frozenset[str],
    ) -> None:
        self.rng = rng
        self.key = key
        self.post = post
        self.today = today
        self.closed = closed
        self.status_codes = status_codes
        # Everything that already happened lies before today (the demo may load at 3 a.m.).
        self.last_day = _days(today, -1)

    # -- who ----------------------------------------------------------------------------------
    def build(self) -> ClientSpec:
        rng = self.rng
        if self.post.participation:
            country = COUNTRY_BY_CODE[_weighted(rng, TOLERATED_YOUTH_COUNTRIES)]
            options = [(c, w) for c, w in TOLERATED_YOUTH_STATUSES if c in self.status_codes]
        else:
            # A country whose statuses the configuration lacks (e.g. no § 24) is left out.
            weights = [c.weight if self._available(c) else 0 for c in COUNTRIES]
            country = rng.choices(COUNTRIES, weights=weights)[0]
            options = [(c, w) for c, w in country.statuses if c in self.status_codes]
        status = _weighted(rng, options)
        place = rng.choices(self.post.places, weights=[p.weight for p in self.post.places])[0]
        phase = Phase.CLOSED if self.closed else _weighted(rng, OPEN_PHASE_WEIGHTS)
        case_dates = self._case_dates(phase, country)
        registered_on = case_dates["registered"]
        head = self._head(country, status, place, registered_on, case_dates["opened"])
        if country.eu:
            head.eu_profile = _weighted(rng, EU_PROFILES)
        members = self._household(country, head)
        for member in members:
            member.eu_profile = head.eu_profile
        case = self._case(phase, case_dates, head, members, country)
        return ClientSpec(self.key, self.post.key, head, members, case)

    def _available(self, country: CountryProfile) -> bool:
        return any(code in self.status_codes for code, _weight in country.statuses)

    def _head(
        self,
        country: CountryProfile,
        status: str,
        place: PlaceRef,
        registered_on: dt.date,
        opened_on: dt.date,
    ) -> PersonSpec:
        rng = self.rng
        if self.post.participation:
            # Teilhabemanagement takes people who are 18–27 when the case opens.
            sex = "male" if rng.random() < 0.85 else "female"
            born = _birth(rng, opened_on, 18, 26)
        else:
            female_share = 0.7 if country.code == "UA" else 0.42
            sex = "female" if rng.random() < female_share else "male"
            young = rng.random() < country.young_single_share
            born = _birth(rng, self.today, 19, 27) if young else _birth(rng, self.today, 24, 58)
        person = self._person(
            f"{self.key}",
            country,
            sex,
            born,
            place,
            registered_on,
            "head",
            rng.choice(country.last),
        )
        person.statuses = self._status_history(status, registered_on, born)
        if person.current_status in RECOGNISED and rng.random() < 0.5:
            granted = person.statuses[-1].valid_from
            until = _months(granted, 36)
            if until > self.today:
                person.residence_obligation = True
                person.residence_obligation_place = place.name
                person.residence_obligation_until = until
        return person

    def _person(
        self,
        key: str,
        country: CountryProfile,
        sex: str,
        born: dt.date,
        place: PlaceRef,
        registered_on: dt.date,
        role: str,
        last: Name,
        first: Name | None = None,
    ) -> PersonSpec:
        rng = self.rng
        first = first or rng.choice(country.male if sex == "male" else country.female)
        language = _weighted(rng, country.languages)
        languages = [language]
        age = (self.today - born).days // 365
        if country.second_languages and age >= 12 and rng.random() < 0.4:
            second = rng.choice(country.second_languages)
            if second not in languages:
                languages.append(second)
        years_here = (self.today - registered_on).days / 365
        german = age >= 3 and (
            (age < 18 and years_here > 0.5) or rng.random() < min(0.85, 0.08 + 0.3 * years_here)
        )
        if german:
            languages.append("de")
        needs_interpreter = not german and age >= 16 and rng.random() < 0.9
        return PersonSpec(
            key=key,
            first_name=first.latin,
            last_name=last.latin,
            sex=sex,
            date_of_birth=born,
            nationalities=[country.code],
            languages=languages,
            interpreter_needed=needs_interpreter,
            interpreter_language=language if needs_interpreter else "",
            place=place,
            registered_on=max(registered_on, born),
            household_role=role,
            variants=_variants(first, last, rng),
        )

    def _household(self, country: CountryProfile, head: PersonSpec) -> list[PersonSpec]:
        rng = self.rng
        share = 0.12 if self.post.participation else country.family_share
        head_age = (self.today - head.date_of_birth).days // 365
        if head_age < 20 or rng.random() >= share:
            return []
        members: list[PersonSpec] = []
        single_parent = head.sex == "female" and (country.code == "UA" or rng.random() < 0.2)
        father_first = head.first_name if head.sex == "male" else ""
        if not single_parent:
            partner_sex = "female" if head.sex == "male" else "male"
            partner_born = _birth(rng, self.today, max(19, head_age - 6), max(20, head_age + 3))
            if partner_sex == "male":
                father_first = ""
            keeps = country.code in SURNAME_KEPT_BY_WIFE
            last = (
                rng.choice(country.last)
                if keeps
                else next(n for n in country.last if n.latin == head.last_name)
            )
            partner = self._person(
                f"{self.key}-partner",
                country,
                partner_sex,
                partner_born,
                head.place,
                head.registered_on,
                "partner",
                last,
            )
            if partner_sex == "male":
                father_first = partner.first_name
            partner.statuses = self._copy_statuses(head, partner.date_of_birth)
            members.append(partner)
        mother_age = head_age if head.sex == "female" else head_age - 3
        max_child_age = max(0, min(17, mother_age - 19))
        count = rng.choices((1, 2, 3, 4), weights=(25, 35, 25, 15))[0]
        head_name = next(
            (n for n in country.last if n.latin == head.last_name), Name(head.last_name)
        )
        for number in range(1, count + 1):
            sex = rng.choice(("male", "female"))
            age_weights = [3 if 1 <= age <= 15 else 1 for age in range(max_child_age + 1)]
            age = rng.choices(range(max_child_age + 1), weights=age_weights)[0]
            born = _days(self.today, -(age * 365 + rng.randint(10, 355)))
            if born < _days(head.date_of_birth, 18 * 365):
                born = _days(head.date_of_birth, 18 * 365 + rng.randint(0, 400))
            if born >= self.today:
                continue
            last = head_name
            if country.code in PATRONYMIC and father_first:
                last = Name(father_first)
            elif head.sex == "female" and country.code in SURNAME_KEPT_BY_WIFE and members:
                last = next((n for n in country.last if n.latin == members[0].last_name), head_name)
            child = self._person(
                f"{self.key}-kind-{number}",
                country,
                sex,
                born,
                head.place,
                head.registered_on,
                "child",
                last,
            )
            child.interpreter_needed = False
            child.interpreter_language = ""
            child.statuses = self._copy_statuses(head, born)
            members.append(child)
        return members

    def _copy_statuses(self, head: PersonSpec, born: dt.date) -> list[StatusSpec]:
        result = []
        for record in head.statuses:
            if record.valid_until and record.valid_until < born:
                continue
            result.append(
                StatusSpec(
                    record.code, max(record.valid_from, born), record.valid_until, record.note
                )
            )
        if not result:
            until = head.statuses[-1].valid_until
            result = [StatusSpec(head.current_status, born, max(until, born) if until else None)]
        return result

    # -- residence status ---------------------------------------------------------------------
    def _status_history(self, code: str, registered_on: dt.date, born: dt.date) -> list[StatusSpec]:
        history = self._status_records(code, registered_on, born)
        last = history[-1]
        while last.valid_until is not None and last.valid_until < self.today:
            renewed = _days(last.valid_until, 1)
            last = StatusSpec(last.code, renewed, _months(renewed, 24), "Verlängerung")
            history.append(last)
        return history

    def _status_records(self, code: str, registered_on: dt.date, born: dt.date) -> list[StatusSpec]:
        rng, today = self.rng, self.today
        arrival = max(_days(registered_on, -rng.randint(0, 45)), _days(born, 18 * 365))
        if code == "temporary_protection":
            start = max(TEMPORARY_PROTECTION_FROM, _days(registered_on, -rng.randint(0, 14)))
            return [
                StatusSpec(code, start, max(TEMPORARY_PROTECTION_UNTIL, start), "§ 24 AufenthG")
            ]
        if code == "eu_free_movement":
            return [StatusSpec(code, registered_on, None, "Freizügigkeit nach FreizügG/EU")]
        if code in TITLE_MONTHS:
            until = _months(arrival, TITLE_MONTHS[code])
            if until < today:
                until = _months(today, rng.randint(6, 24))
            return [StatusSpec(code, arrival, until)]
        pending = StatusSpec("asylum_pending", arrival, None, "Aufenthaltsgestattung")
        if code == "asylum_pending" or "asylum_pending" not in self.status_codes:
            pending.valid_until = _days(today, rng.randint(14, 180))
            return [StatusSpec(code, arrival, pending.valid_until, pending.note)]
        if code == "well_integrated":
            arrival = min(arrival, _days(today, -rng.randint(6 * 365, 9 * 365)))
            pending.valid_from = arrival
        decided = _days(arrival, rng.randint(120, 480))
        if decided >= _days(today, -10):
            pending.valid_until = _days(today, rng.randint(14, 180))
            return [pending]
        pending.valid_until = _days(decided, -1)
        history = [pending]
        if code in RECOGNISED:
            until = _months(decided, RECOGNISED_MONTHS[code])
            history.append(StatusSpec(code, decided, until, "BAMF-Bescheid"))
            return history
        toleration_codes = ("toleration", "well_integrated", "training_toleration")
        if code in toleration_codes and "toleration" in self.status_codes:
            start = decided
            while True:
                end = _months(start, rng.choice((3, 6)))
                history.append(StatusSpec("toleration", start, end, "Duldung nach § 60a AufenthG"))
                if end >= today or (code != "toleration" and len(history) > 2):
                    break
                start = _days(end, 1)
            if code == "training_toleration":
                last = history[-1]
                start = max(_days(last.valid_from, 1), _days(today, -rng.randint(30, 400)))
                last.valid_until = min(last.valid_until or start, _days(start, -1))
                history.append(StatusSpec(code, start, _months(start, 36), "§ 60c AufenthG"))
            if code == "well_integrated":
                last = history[-1]
                start = _days(last.valid_until or today, 1)
                if start > today:
                    start = max(_days(last.valid_from, 1), _days(today, -rng.randint(10, 200)))
                    last.valid_until = _days(start, -1)
                history.append(StatusSpec(code, start, _months(start, 24), "§ 25b AufenthG"))
            return history
        history.append(StatusSpec(code, decided, _months(decided, 12)))
        return history

    # -- the case -----------------------------------------------------------------------------
    def _case_dates(self, phase: str, country: CountryProfile) -> dict[str, dt.date]:
        rng, today = self.rng, self.today
        low, high = CASE_AGE_DAYS[phase]
        opened = _days(today, -rng.randint(low, high))
        newcomer = rng.random() < 0.6
        registered = _days(opened, -(rng.randint(3, 40) if newcomer else rng.randint(380, 800)))
        earliest = _days(today, -HISTORY_DAYS)
        if country.code == "UA":
            earliest = max(earliest, TEMPORARY_PROTECTION_FROM)
        if registered < earliest:
            registered = earliest + dt.timedelta(days=rng.randint(0, 30))
        opened = max(opened, _days(registered, rng.randint(3, 20)))
        opened = min(opened, today)
        return {"registered": min(registered, opened), "opened": opened}

    def _case(
        self,
        phase: str,
        dates: dict[str, dt.date],
        head: PersonSpec,
        members: list[PersonSpec],
        country: CountryProfile,
    ) -> CaseSpec:
        rng, today = self.rng, self.today
        opened = dates["opened"]
        end = self.last_day
        closed_on = None
        path = ORDER[: ORDER.index(phase) + 1]
        if phase == Phase.CLOSED:
            end = _days(today, -rng.randint(3, 120))
            if end <= _days(opened, 60):
                end = min(self.last_day, _days(opened, 60 + rng.randint(0, 30)))
            closed_on = end
            if rng.random() < 0.25:  # an early end: from Serviceplanung straight to Evaluation
                path = [
                    Phase.INTAKE,
                    Phase.ASSESSMENT,
                    Phase.SERVICE_PLANNING,
                    Phase.EVALUATION,
                    Phase.CLOSED,
                ]
        steps = len(path) - 1
        offered: dt.date | None = None
        agreed: dt.date | None = None
        if steps == 0:
            roll = rng.random()
            if roll >= 0.35:
                offered = min(self.last_day, _days(opened, rng.randint(0, 5)))
            if roll >= 0.7 and offered is not None:
                agreed = _days(offered, rng.randint(3, 14))
                if agreed > self.last_day:
                    agreed = None
        else:
            offered = _days(opened, rng.randint(0, 5))
            agreed = _days(offered, rng.randint(3, 14))
            latest = _days(end, -2 * steps - 1)
            if agreed > latest:
                agreed = max(latest, opened)
                offered = min(offered, agreed)
        client = f"{'Frau' if head.sex == 'female' else 'Herr'} {head.last_name}"
        job = rng.choice(texts.JOBS)
        if self.post.participation:
            summary = rng.choice(texts.PARTICIPATION).format(job=job)
        elif head.eu_profile != "precarious" and rng.random() < 0.7:
            summary = rng.choice(texts.GOOD_PREREQUISITES).format(job=job)
        else:
            summary = rng.choice(texts.MULTIPLE_PROBLEMS)
        case = CaseSpec(
            phase=phase,
            opened_on=opened,
            participation_offered_on=offered,
            participation_agreed_on=agreed,
            closed_on=closed_on,
            summary=summary,
            opened_at=_at(opened, rng, latest=self.last_day),
        )
        fmt = {
            "client": client,
            "place": head.place.name,
            "level": rng.choice(texts.LEVELS),
            "month": _months(today, rng.randint(2, 9)).strftime("%m/%Y"),
        }
        interpreter = head.interpreter_language if head.interpreter_needed else ""
        self._intake_entries(case, fmt, interpreter, opened)
        if agreed is None or steps == 0:
            self._next_appointment(case, fmt)
            return case
        # Transition days: strictly after agreement, in order, up to ``end``.
        span = max(steps, (end - agreed).days)
        days = (
            sorted(rng.sample(range(1, span + 1), steps))
            if span >= steps
            else list(range(1, steps + 1))
        )
        moments = [_days(agreed, d) for d in days]
        if closed_on:
            moments[-1] = closed_on
        segments: list[tuple[str, dt.date, dt.date]] = []
        start = agreed
        for index, (from_phase, to_phase) in enumerate(zip(path, path[1:], strict=False)):
            day = min(moments[index], end)
            segments.append((from_phase, start, day))
            case.transitions.append(
                TransitionSpec(from_phase, to_phase, _at(day, rng, latest=self.last_day))
            )
            start = day
        if phase != Phase.CLOSED:
            segments.append((phase, start, end))
        self._loop_back(case, path)
        children = [m for m in members if m.household_role == "child"]
        for seg_phase, seg_start, seg_end in segments:
            self._phase_entries(case, seg_phase, seg_start, seg_end, fmt, interpreter, children)
        if phase != Phase.CLOSED:
            self._next_appointment(case, fmt)
        # Two changes on one day: keep the journal in order.
        for earlier, later in zip(case.transitions, case.transitions[1:], strict=False):
            if later.at <= earlier.at:
                later.at = earlier.at + dt.timedelta(minutes=20)
        return case

    def _loop_back(self, case: CaseSpec, path: list[str]) -> None:
        """Some cases step back (with a reason) and forward again: "real cases loop back"."""
        rng = self.rng
        if len(case.transitions) < 4 or rng.random() >= 0.15:
            return
        index = rng.randint(3, len(case.transitions) - 1)
        current = case.transitions[index - 1].to_phase
        back_to = rng.choice([Phase.ASSESSMENT, Phase.SERVICE_PLANNING])
        forward = ORDER[ORDER.index(back_to) + 1 : ORDER.index(current) + 1]
        gap = case.transitions[index].at - case.transitions[index - 1].at
        if ORDER.index(back_to) >= ORDER.index(current) or gap < dt.timedelta(
            days=len(forward) + 2
        ):
            return
        step = gap / (len(forward) + 2)
        at = case.transitions[index - 1].at + step
        inserted = [TransitionSpec(current, back_to, at, rng.choice(texts.STEP_BACK_REASONS))]
        previous: str = back_to
        for offset, to_phase in enumerate(forward, start=1):
            inserted.append(TransitionSpec(previous, to_phase, at + step * offset))
            previous = to_phase
        case.transitions[index:index] = inserted

    def _entry(
        self,
        case: CaseSpec,
        kind: str,
        day: dt.date,
        title: str,
        text: str,
        *,
        channel: str = "",
        location: str = "",
    ) -> None:
        at = _at(min(day, self.last_day), self.rng, latest=self.last_day)
        ends_at = (
            at + dt.timedelta(minutes=self.rng.choice((45, 60, 90)))
            if kind == "appointment"
            else None
        )
        case.entries.append(EntrySpec(kind, at, title, text, channel, ends_at, location))

    def _intake_entries(
        self, case: CaseSpec, fmt: dict[str, str], interpreter: str, opened: dt.date
    ) -> None:
        rng = self.rng
        channel = rng.choice(
            (
                TimelineEntry.Channel.IN_PERSON,
                TimelineEntry.Channel.PHONE,
                TimelineEntry.Channel.PHONE,
            )
        )
        self._entry(
            case,
            TimelineEntry.Kind.CONTACT,
            opened,
            "Erstkontakt",
            rng.choice(texts.FIRST_CONTACT).format(**fmt),
            channel=channel,
        )
        if case.participation_offered_on:
            text = rng.choice(texts.OFFER).format(
                **fmt,
                language=texts.language_de(interpreter) if interpreter else "deutscher Sprache",
            )
            if interpreter:
                text = texts.with_interpreter(text, interpreter, rng)
            self._entry(
                case,
                TimelineEntry.Kind.APPOINTMENT,
                case.participation_offered_on,
                "Ankommensgespräch",
                text,
                location=self.post.office,
            )
        if case.participation_agreed_on:
            self._entry(
                case,
                TimelineEntry.Kind.CONTACT,
                case.participation_agreed_on,
                "Einverständnis zur Teilnahme",
                rng.choice(texts.AGREED).format(**fmt),
                channel=rng.choice((TimelineEntry.Channel.PHONE, TimelineEntry.Channel.IN_PERSON)),
            )

    def _phase_entries(
        self,
        case: CaseSpec,
        phase: str,
        start: dt.date,
        end: dt.date,
        fmt: dict[str, str],
        interpreter: str,
        children: list[PersonSpec],
    ) -> None:
        rng = self.rng
        span = max(0, (end - start).days)

        def day() -> dt.date:
            return _days(start, rng.randint(0, span))

        pools: dict[str, tuple[tuple[tuple[str, str], ...], int, int]] = {
            Phase.ASSESSMENT: (texts.ASSESSMENT, 1, 3),
            Phase.SERVICE_PLANNING: (texts.SERVICE_PLANNING, 1, 2),
            Phase.LINKING: (texts.LINKING, 1, 3),
            Phase.MONITORING: (texts.MONITORING, 1, 3),
            Phase.EVALUATION: (texts.EVALUATION, 1, 1),
        }
        if phase not in pools:
            return
        pool, low, high = pools[phase]
        chosen = rng.sample(pool, min(len(pool), rng.randint(low, high)))
        if phase == Phase.ASSESSMENT:
            chosen = [texts.ASSESSMENT[0], *[c for c in chosen if c is not texts.ASSESSMENT[0]]]
        for index, (title, template) in enumerate(chosen):
            text = template.format(**fmt)
            kind = TimelineEntry.Kind.NOTE
            channel = ""
            location = ""
            if (phase == Phase.ASSESSMENT and index == 0) or title == "Abschlussgespräch":
                kind = TimelineEntry.Kind.APPOINTMENT
                location = self.post.office
                if interpreter:
                    text = texts.with_interpreter(text, interpreter, rng)
            elif phase in (Phase.LINKING, Phase.MONITORING):
                kind = TimelineEntry.Kind.CONTACT
                channel = rng.choice(
                    (
                        TimelineEntry.Channel.PHONE,
                        TimelineEntry.Channel.EMAIL,
                        TimelineEntry.Channel.IN_PERSON,
                        TimelineEntry.Channel.HOME_VISIT
                        if title == "Hausbesuch"
                        else TimelineEntry.Channel.PHONE,
                    )
                )
                if title == "Hausbesuch":
                    channel = TimelineEntry.Channel.HOME_VISIT
            entry_day = start if index == 0 and phase == Phase.ASSESSMENT else day()
            self._entry(case, kind, entry_day, title, text, channel=channel, location=location)
        if phase == Phase.LINKING:
            for child in children:
                age = (self.today - child.date_of_birth).days / 365.25
                pair = texts.SCHOOL if 6 <= age < 18 else texts.KITA if 1 <= age < 6 else None
                if pair is None or rng.random() < 0.3:
                    continue
                title, body = pair
                self._entry(
                    case,
                    TimelineEntry.Kind.CONTACT,
                    day(),
                    title.format(child=child.first_name),
                    body.format(**fmt),
                    channel=TimelineEntry.Channel.EMAIL,
                )

    def _next_appointment(self, case: CaseSpec, fmt: dict[str, str]) -> None:
        rng = self.rng
        if rng.random() >= 0.6:
            return
        title, text = rng.choice(texts.NEXT_APPOINTMENT)
        at = _at(_days(self.today, rng.randint(1, 21)), rng)
        case.entries.append(
            EntrySpec(
                TimelineEntry.Kind.APPOINTMENT,
                at,
                title,
                text.format(**fmt),
                "",
                at + dt.timedelta(hours=1),
                self.post.office,
            )
        )


def post_open_count(*, seed: int, size: int, post: PostRef, own: bool) -> int:
    """Open cases of a post: exactly ``size`` for the demo case manager, about that for others."""
    if own:
        return size
    factor = random.Random(f"{seed}:{post.key}:load").uniform(0.8, 1.0)
    return max(1, round(size * post.target_caseload / 100 * factor))


def generate(
    *,
    seed: int,
    size: int,
    posts: Sequence[PostRef],
    own_post: str,
    status_codes: frozenset[str],
    today: dt.date,
) -> list[ClientSpec]:
    """All demo clients, in a stable order; the same arguments always give the same list."""
    clients: list[ClientSpec] = []
    for post in posts:
        if not post.places:
            continue
        open_count = post_open_count(seed=seed, size=size, post=post, own=post.key == own_post)
        closed_count = max(1, round(open_count * 0.15))
        for closed, count, tag in ((False, open_count, ""), (True, closed_count, "a")):
            for index in range(1, count + 1):
                key = f"demo-{post.key}-{tag}{index:03d}"
                rng = random.Random(f"{seed}:{key}")
                builder = _ClientBuilder(
                    rng=rng,
                    key=key,
                    post=post,
                    today=today,
                    closed=closed,
                    status_codes=status_codes,
                )
                clients.append(builder.build())
    return clients
