"""School holidays: bundled state data, and the configuration load naming stretches without it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lotse.deadlines.engine import bundled_school_holidays
from lotse.deadlines.services import school_holiday_gaps
from lotse.directory.config import config_load
from lotse.directory.models import Organisation
from lotse.people.models import Person
from lotse.tenancy.models import Traeger
from tests.factories import PersonFactory

ROOT = Path(__file__).resolve().parents[2]
D = dt.date

pytestmark = pytest.mark.django_db


def test_every_state_has_bundled_holidays():
    for state in ("BB", "BE", "BW", "BY", "HB", "HE", "HH", "MV"):
        assert bundled_school_holidays(state)
    for state in ("NI", "NW", "RP", "SH", "SL", "SN", "ST", "TH"):
        assert bundled_school_holidays(state)
    nrw = bundled_school_holidays("NW")
    assert any(p.start == D(2026, 12, 23) and p.end == D(2027, 1, 6) for p in nrw)
    assert bundled_school_holidays("XX") == ()


def test_loading_the_configuration_names_years_in_use_without_holidays():
    report = config_load(path=ROOT / "config" / "kreis-lippe.yaml")
    assert report.notes == []  # no persons yet: today until a year ahead is covered
    lippe = Traeger.objects.get(slug=report.traeger_slug)
    organisation = Organisation.objects.filter(traeger=lippe).order_by("pk").first()
    post = organisation.posts.order_by("pk").first() if organisation else None
    PersonFactory(traeger=lippe, organisation=organisation, post=post, registered_on=D(2018, 3, 1))

    report = config_load(path=ROOT / "config" / "kreis-lippe.yaml")
    assert len(report.notes) == 1
    note = report.notes[0]
    assert "01.03.2018" in note and "22.12.2019" in note
    assert "Schulferien" in note and "Schulwochen" in note
    assert "Hinweis: " + note in report.as_text()
    assert school_holiday_gaps(lippe, today=D(2026, 12, 7)) == [(D(2018, 3, 1), D(2019, 12, 22))]


def test_a_year_beyond_the_data_is_named_too():
    report = config_load(path=ROOT / "config" / "kreis-lippe.yaml")
    lippe = Traeger.objects.get(slug=report.traeger_slug)
    assert Person.objects.filter(traeger=lippe).count() == 0
    # On 1.6.2028 the year ahead reaches past the bundled Christmas holidays 2028/29 and the
    # configured summer 2029 stands alone: the stretch in between lacks the Easter holidays.
    gaps = school_holiday_gaps(lippe, today=D(2028, 6, 1))
    assert gaps and gaps[0][0] == D(2029, 1, 6)
