"""The demo's working aids: real files, one with two versions, idempotent."""

from __future__ import annotations

from lotse.accounts.models import Role
from lotse.demo.portal import demo_portal
from lotse.directory.config import config_load
from lotse.directory.models import Organisation
from lotse.portal.models import ProcessChain, WorkingAid
from tests.directory.conftest import KREIS_LIPPE
from tests.factories import UserFactory


def test_demo_portal(db, media):
    config_load(path=KREIS_LIPPE)
    servicestelle = Organisation.objects.get(key="servicestelle")
    UserFactory(
        username="coordinator",
        traeger=servicestelle.traeger,
        organisation=servicestelle,
        roles=[Role.COORDINATION],
    )
    lines = demo_portal()
    assert lines == ["Portal: 4 Arbeitshilfen angelegt, 2 Prozessketten aus der Konfiguration."]
    assert WorkingAid.objects.count() == 4
    agreement = WorkingAid.objects.get(title="Vorlage Integrationsvereinbarung")
    assert agreement.current_version.number == 2
    assert "Einwilligung" in agreement.current_version.change_note
    guide = WorkingAid.objects.get(kind="interview_guide").current_version
    assert guide.mime_type == "application/pdf"
    with guide.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")
    assert ProcessChain.objects.count() == 2
    assert demo_portal() == [
        "Portal: 0 Arbeitshilfen angelegt, 2 Prozessketten aus der Konfiguration."
    ]
    assert WorkingAid.objects.count() == 4
