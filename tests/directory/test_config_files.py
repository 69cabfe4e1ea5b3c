"""The shipped configuration files hold the facts of the seeds."""

from __future__ import annotations

import datetime

import pytest

from lotse.directory.config import read_config
from lotse.directory.models import (
    Body,
    BodyMembership,
    CaseManagementPost,
    Goal,
    InterviewGuide,
    Measure,
    Municipality,
    Organisation,
    Programme,
    ProgrammeProvider,
    ResidenceStatusType,
    Sozialraum,
)
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE, STADT_RHEINE, config_load

LIPPE_MUNICIPALITIES = {
    "Augustdorf", "Bad Salzuflen", "Barntrup", "Blomberg", "Detmold", "Dörentrup", "Extertal",
    "Horn-Bad Meinberg", "Kalletal", "Lage", "Lemgo", "Leopoldshöhe", "Lügde", "Oerlinghausen",
    "Schieder-Schwalenberg", "Schlangen",
}  # fmt: skip


@pytest.mark.parametrize("path", [KREIS_LIPPE, STADT_RHEINE], ids=lambda p: p.name)
def test_shipped_files_are_valid(path):
    parsed = read_config(path=path)
    assert parsed.data["format_version"] == 1


@pytest.mark.django_db
def test_kreis_lippe_region(kreis_lippe):
    lippe = Traeger.objects.get(slug="kreis-lippe")
    assert set(Municipality.objects.filter(traeger=lippe).values_list("name", flat=True)) == (
        LIPPE_MUNICIPALITIES
    )
    areas = {
        s.name: sorted(s.municipalities.values_list("name", flat=True))
        for s in Sozialraum.objects.filter(traeger=lippe)
    }
    assert len(areas) == 6
    assert areas["Sozialraum 1 – Regionalbüro Oerlinghausen"] == [
        "Augustdorf", "Leopoldshöhe", "Oerlinghausen", "Schlangen",
    ]  # fmt: skip
    assert areas["Sozialraum 3 – Regionalbüro Dörentrup"] == [
        "Barntrup", "Dörentrup", "Extertal", "Kalletal",
    ]  # fmt: skip
    assert areas["Sozialraum 6 – Lage / Lemgo"] == ["Lage", "Lemgo"]
    assert Municipality.objects.filter(traeger=lippe, sozialraum=None).count() == 0
    detmold = Municipality.objects.get(traeger=lippe, key="detmold")
    assert detmold.own_immigration_office and detmold.own_youth_office
    assert lippe.config_date == datetime.date(2020, 8, 13)


@pytest.mark.django_db
def test_kreis_lippe_case_management_posts(kreis_lippe):
    posts = CaseManagementPost.objects.filter(programme__key="kim-case-management")
    assert posts.count() == 6
    assert {p.target_caseload for p in posts} == {100}
    assert posts.get(sozialraum__key="sr-detmold").organisation.key == "stadt-detmold"
    assert CaseManagementPost.objects.filter(programme__key="durchstarten").count() == 2


@pytest.mark.django_db
def test_kreis_lippe_teilhabemanagement(kreis_lippe):
    programme = Programme.objects.get(key="durchstarten")
    assert (programme.min_age, programme.max_age) == (18, 27)
    assert programme.budget_cents == 900_000 * 100
    assert set(programme.eligible_statuses.values_list("legal_basis", flat=True)) >= {
        "§ 55 AsylG",
        "§ 60a AufenthG",
    }
    providers = {
        row.municipality.name: row.organisation.key
        for row in ProgrammeProvider.objects.filter(programme=programme)
    }
    assert "Barntrup" not in providers
    assert len(providers) == 15
    assert {m for m, org in providers.items() if org == "netzwerk-lippe"} == {
        "Detmold", "Bad Salzuflen", "Lage",
    }  # fmt: skip
    assert "Barntrup" in programme.coverage_note
    modules = {m.number: m for m in programme.modules.all()}
    assert sorted(modules) == [1, 2, 3, 4]
    assert modules[1].participants_per_coach == 20


@pytest.mark.django_db
def test_kreis_lippe_statuses_have_legal_bases(kreis_lippe):
    statuses = {s.key: s for s in ResidenceStatusType.objects.all()}
    assert statuses["aufenthaltsgestattung"].legal_basis == "§ 55 AsylG"
    assert statuses["duldung"].is_residence_title is False
    assert statuses["asylberechtigung"].typical_validity_months == 36
    assert statuses["subsidiaerer-schutz"].typical_validity_months == 12


@pytest.mark.django_db
def test_kreis_lippe_goals_and_deadlines(kreis_lippe):
    goals = {g.code: g for g in Goal.objects.all()}
    assert goals["Leitziel III"].deadline_rule == {
        "from": "registration", "within": 2, "unit": "weeks", "milestone": "ankommensgespraech",
    }  # fmt: skip
    assert goals["Arbeit I"].deadline_rule["within"] == 6
    assert goals["Arbeit I"].applies_to == {"job_seeker": True}
    assert goals["Arbeit I"].parent == goals["Arbeit"]
    assert (
        goals["Sprache I"].deadline_rule["within"],
        goals["Sprache I"].deadline_rule["unit"],
    ) == (
        2,
        "years",
    )
    assert goals["Sprache III"].deadline_rule["within"] == 6
    assert goals["Schule I"].deadline_rule["unit"] == "school_weeks"
    assert goals["Schule I"].applies_to == {"min_age": 6, "max_age": 16}
    assert goals["Kita III"].deadline_rule["within"] == 4
    assert goals["Kita IV"].deadline_rule["starting"] == "2021-07-31"
    assert {g.adopted_on for g in goals.values()} == {datetime.date(2020, 8, 13)}
    for code in ["Arbeit II", "Arbeit V", "Sprache IV", "Kita V", "Soziale Teilhabe IV"]:
        assert code in goals


@pytest.mark.django_db
def test_kreis_lippe_measures_tables(kreis_lippe):
    assert Measure.objects.count() == 36
    cuk = Measure.objects.get(text="CUK beim Netzwerk Lippe")
    assert cuk.goal.code == "Sprache I"
    assert sorted(cuk.further_goals.values_list("code", flat=True)) == [
        "Sprache II", "Sprache III", "Sprache IV",
    ]  # fmt: skip
    dominus = Measure.objects.get(key="teilhabe-ii-dominus")
    assert dominus.responsible == "AK Soziales, Kreispolizeibehörde"
    azubi = Measure.objects.get(key="arbeit-ii-azubi-sprachkurse")
    assert (azubi.financing, azubi.organisational) == ("BAMF", "Netzwerk Lippe")


@pytest.mark.django_db
def test_kreis_lippe_bodies(kreis_lippe):
    circles = Body.objects.filter(kind=Body.Kind.WORKING_CIRCLE)
    assert circles.count() == 4
    sizes = {c.key: c.memberships.count() for c in circles}
    assert sizes == {
        "ak-arbeit": 15,
        "ak-sprache": 5,
        "ak-kita-schule": 9,
        "ak-soziale-teilhabe": 17,
    }
    assert not BodyMembership.objects.filter(body__in=circles, organisation=None).exists()
    assert Body.objects.filter(kind=Body.Kind.WORKING_GROUP).count() >= 6
    assert Body.objects.get(kind=Body.Kind.QUALITY_CIRCLE).meeting_rhythm == "zweimal jährlich"
    assert (
        Body.objects.get(kind=Body.Kind.STEERING)
        .memberships.filter(organisation__key="jobcenter-lippe")
        .exists()
    )


@pytest.mark.django_db
def test_kreis_lippe_contacts_are_fictitious(kreis_lippe):
    emails = [
        *Organisation.objects.exclude(email="").values_list("email", flat=True),
        *Organisation.objects.values_list("contacts__email", flat=True).exclude(
            contacts__email=None
        ),
    ]
    assert emails
    assert all(email.endswith(".example") for email in emails if email)


@pytest.mark.django_db
def test_kreis_lippe_interview_guide(kreis_lippe):
    guide = InterviewGuide.objects.get()
    titles = [s["title"] for s in guide.sections]
    for expected in ["Lebenssituation", "Qualifikationen und Ressourcen", "Ziele",
                     "Unterstützungsbedarfe", "Beteiligte Behörden und Institutionen",
                     "Sicht auf die Zusammenarbeit der Behörden"]:  # fmt: skip
        assert expected in titles
    assert all(section["questions"] for section in guide.sections)


@pytest.mark.django_db
def test_stadt_rheine_fits_without_code(db):
    config_load(path=STADT_RHEINE)
    rheine = Traeger.objects.get(slug="stadt-rheine")
    assert list(Municipality.objects.filter(traeger=rheine).values_list("name", flat=True)) == [
        "Rheine"
    ]
    course = Goal.objects.get(traeger=rheine, code="Grundsatzziel 1")
    assert course.tier == Goal.Tier.FUNDAMENTAL
    assert course.deadline_rule["within"] == 8 and course.deadline_rule["unit"] == "weeks"
    framework = course.children.get(code="Rahmenziel 1.1")
    result = framework.children.get()
    assert result.tier == Goal.Tier.RESULT
    assert result.measures.exists()  # Aktivitäten


@pytest.mark.django_db
def test_two_traeger_do_not_share_rows(kreis_lippe):
    config_load(path=STADT_RHEINE)
    rheine = Traeger.objects.get(slug="stadt-rheine")
    lippe = Traeger.objects.get(slug="kreis-lippe")
    # Both files use the key "duldung"; each Träger has its own row.
    assert ResidenceStatusType.objects.filter(key="duldung").count() == 2
    assert ResidenceStatusType.objects.get(traeger=rheine, key="duldung").pk != (
        ResidenceStatusType.objects.get(traeger=lippe, key="duldung").pk
    )
