"""The OParl 1.1 endpoint, checked against the specification's rules written out here.

The required fields and JSON types per object type are copied (by hand, in our words) from the
OParl 1.1 schemas; the tests do not read the schema files.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.utils import timezone

from lotse.conferences.models import OptimisationNeed
from lotse.governance.models import Attendance, Meeting
from lotse.oparl import publication, serializers, views
from tests.factories import FieldOfActionFactory
from tests.oparl.conftest import PDF, meeting

SCHEMA = "https://schema.oparl.org/1.1/"
URL = re.compile(r"^https?://[^\s/]+/\S*$")
OPARL_URL = re.compile(r"^https?://[^\s/]+/oparl/v1/\S*$")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")

# What the OParl 1.1 schemas require per type, and the JSON type of each property we serve.
REQUIRED = {
    "System": {"id", "type", "oparlVersion", "body"},
    "Body": {"id", "type", "name", "organization", "person", "meeting", "paper", "legislativeTerm"},
    "LegislativeTerm": {"id", "type"},
    "Organization": {"id", "type", "created", "modified"},
    "Meeting": {"id", "type"},
    "AgendaItem": {"id", "type", "order"},
    "Paper": {"id", "type"},
    "Consultation": {"id", "type"},
    "File": {"id", "type", "accessUrl"},
    "Location": {"id", "type"},
}
COMMON = {
    "id": "url",
    "type": "str",
    "created": "datetime",
    "modified": "datetime",
    "deleted": "bool",
}
PROPERTIES: dict[str, dict[str, str]] = {
    "Location": {"description": "str", "meetings": "urls"},
    "System": {
        "oparlVersion": "str",
        "body": "url",
        "name": "str",
        "contactEmail": "str",
        "website": "url",
        "vendor": "url",
        "product": "url",
    },
    "Body": {
        "system": "url",
        "name": "str",
        "shortName": "str",
        "classification": "str",
        "organization": "url",
        "person": "url",
        "meeting": "url",
        "paper": "url",
        "agendaItem": "url",
        "consultation": "url",
        "file": "url",
        "legislativeTerm": "objects:LegislativeTerm",
    },
    "LegislativeTerm": {"body": "url", "name": "str", "startDate": "date", "endDate": "date"},
    "Organization": {
        "body": "url",
        "name": "str",
        "shortName": "str",
        "organizationType": "str",
        "classification": "str",
        "meeting": "url",
        "subOrganizationOf": "url",
        "startDate": "date",
        "endDate": "date",
    },
    "Meeting": {
        "name": "str",
        "meetingState": "str",
        "cancelled": "bool",
        "start": "datetime",
        "end": "datetime",
        "location": "object:Location",
        "organization": "urls",
        "invitation": "object:File",
        "resultsProtocol": "object:File",
        "auxiliaryFile": "objects:File",
        "agendaItem": "objects:AgendaItem",
    },
    "AgendaItem": {
        "meeting": "url",
        "number": "str",
        "order": "int",
        "name": "str",
        "public": "bool",
        "consultation": "url",
        "result": "str",
        "resolutionText": "str",
        "resolutionFile": "object:File",
        "auxiliaryFile": "objects:File",
    },
    "Paper": {
        "body": "url",
        "name": "str",
        "reference": "str",
        "date": "date",
        "paperType": "str",
        "mainFile": "object:File",
        "auxiliaryFile": "objects:File",
        "underDirectionOf": "urls",
        "consultation": "objects:Consultation",
    },
    "Consultation": {
        "paper": "url",
        "agendaItem": "url",
        "meeting": "url",
        "organization": "urls",
        "authoritative": "bool",
        "role": "str",
    },
    "File": {
        "name": "str",
        "fileName": "str",
        "mimeType": "str",
        "size": "int",
        "date": "date",
        "accessUrl": "url",
        "downloadUrl": "url",
        "meeting": "urls",
        "agendaItem": "urls",
        "paper": "urls",
    },
}
# The URL of each type's own objects (``id``).
ID_PATTERN = {
    "System": r"/oparl/v1/$",
    "Body": r"/oparl/v1/body/[\w-]+/$",
    "LegislativeTerm": r"/oparl/v1/body/[\w-]+/legislativeterm/$",
    "Organization": r"/oparl/v1/body/[\w-]+/organization/\d+/$",
    "Meeting": r"/oparl/v1/body/[\w-]+/meeting/\d+/$",
    "AgendaItem": r"/oparl/v1/body/[\w-]+/agendaitem/\d+/$",
    "Paper": r"/oparl/v1/body/[\w-]+/paper/\d+/$",
    "Consultation": r"/oparl/v1/body/[\w-]+/consultation/\d+/$",
    "File": r"/oparl/v1/body/[\w-]+/file/\d+/$",
    "Location": r"/oparl/v1/body/[\w-]+/meeting/\d+/location/$",
}


def check(obj: dict[str, Any], kind: str, seen: dict[str, list[dict[str, Any]]]) -> None:
    """One object against the rules above (embedded objects recursively)."""
    assert obj["type"] == SCHEMA + kind, obj
    assert OPARL_URL.match(obj["id"]) and re.search(ID_PATTERN[kind], obj["id"]), obj["id"]
    seen.setdefault(kind, []).append(obj)
    if obj.get("deleted"):
        assert set(obj) <= {"id", "type", "created", "modified", "deleted", "order"}, obj
        return
    missing = REQUIRED[kind] - set(obj)
    assert not missing, f"{kind} lacks {missing}"
    known = COMMON | PROPERTIES[kind]
    for key, value in obj.items():
        if key.startswith("lotse:"):
            continue
        assert key in known, f"{kind}.{key} is neither OParl nor prefixed"
        expected = known[key]
        assert value is not None, f"{kind}.{key} is null"
        if expected == "url":
            assert isinstance(value, str) and URL.match(value), (kind, key, value)
        elif expected == "urls":
            assert isinstance(value, list) and all(URL.match(v) for v in value), (kind, key)
        elif expected == "str":
            assert isinstance(value, str), (kind, key)
        elif expected == "int":
            assert isinstance(value, int) and not isinstance(value, bool), (kind, key)
        elif expected == "bool":
            assert isinstance(value, bool), (kind, key)
        elif expected == "datetime":
            assert DATETIME.match(value), (kind, key, value)
        elif expected == "date":
            assert DATE.match(value), (kind, key, value)
        elif expected.startswith("object:"):
            check(value, expected.split(":")[1], seen)
        elif expected.startswith("objects:"):
            assert isinstance(value, list)
            for inner in value:
                check(inner, expected.split(":")[1], seen)


def get(client: Any, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def walk(client: Any, url: str) -> list[dict[str, Any]]:
    """Every element of a list, following the ``next`` links."""
    found: list[dict[str, Any]] = []
    while url:
        page = get(client, url)
        assert set(page) == {"data", "pagination", "links"}
        assert isinstance(page["pagination"]["elementsPerPage"], int)
        assert isinstance(page["pagination"]["currentPage"], int)
        found.extend(page["data"])
        url = page["links"].get("next")
    return found


LISTS = {
    "organization": "Organization",
    "meeting": "Meeting",
    "paper": "Paper",
    "agendaItem": "AgendaItem",
    "consultation": "Consultation",
    "file": "File",
}


def crawl(client: Any) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Everything the endpoint serves from the system object on; and the raw texts seen."""
    seen: dict[str, list[dict[str, Any]]] = {}
    system = get(client, "/oparl/v1/")
    check(system, "System", seen)
    texts = [str(system)]
    for body in walk(client, system["body"]):
        check(body, "Body", seen)
        texts.append(str(body))
        assert walk(client, body["person"]) == []
        for key, kind in LISTS.items():
            for obj in walk(client, body[key]):
                check(obj, kind, seen)
                texts.append(str(obj))
    return seen, texts


def test_system_object(published, anon):
    system = get(anon, "/oparl/v1/")

    assert system["type"] == "https://schema.oparl.org/1.1/System"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    assert system["id"] == "http://testserver/oparl/v1/"
    assert system["body"] == "http://testserver/oparl/v1/body/"
    for key in ("name", "contactEmail", "website", "vendor", "product"):
        assert system[key]


def test_every_served_object_follows_the_schema(published, anon):
    seen, _ = crawl(anon)

    assert set(seen) == set(REQUIRED), f"types never served: {set(REQUIRED) - set(seen)}"
    bodies = {b["id"]: b for b in seen["Body"]}
    assert "http://testserver/oparl/v1/body/kreis-a/" in bodies
    assert bodies["http://testserver/oparl/v1/body/kreis-a/"]["name"] == "Kreis A"
    organizations = [o for o in seen["Organization"] if "/kreis-a/" in o["id"]]
    assert {o["name"] for o in organizations} == {
        "Steuerungsgremium Migration",
        "Arbeitskreis Sprache",
    }
    assert all(o["organizationType"] == "Gremium" for o in organizations)


def test_ids_resolve_to_the_same_object(published, anon):
    seen, _ = crawl(anon)

    for kind, objects in seen.items():
        for obj in objects:
            if kind in ("System", "Body", "LegislativeTerm"):
                assert get(anon, obj["id"])["id"] == obj["id"]
                continue
            fetched = get(anon, obj["id"])
            assert fetched["id"] == obj["id"]
            if kind not in ("File", "AgendaItem"):  # embedded ones omit their backlinks
                assert fetched == obj


def test_meeting_content(published, anon):
    a = published.a
    held = get(anon, f"/oparl/v1/body/kreis-a/meeting/{a.held.pk}/")

    assert held["name"] == "3. Sitzung Steuerungsgremium"
    assert held["cancelled"] is False
    assert held["organization"] == [
        f"http://testserver/oparl/v1/body/kreis-a/organization/{a.steering.pk}/"
    ]
    assert held["resultsProtocol"]["name"] == "Niederschrift"
    assert [item["name"] for item in held["agendaItem"]] == ["Beschlussvorlage Sprachkurse"]
    item = held["agendaItem"][0]
    assert item["number"] == "TOP 2"
    assert item["order"] == 2
    assert item["public"] is True
    assert item["resolutionText"] == "Der Kreis richtet zwei Kurse ein."
    assert item["consultation"].endswith(f"/consultation/{a.consultation.pk}/")
    assert item["lotse:votes"] == {
        "outcome": "adopted",
        "yes": 7,
        "no": 1,
        "abstain": 2,
        "unanimous": False,
    }
    # the internal minutes text and the internal item are not served
    assert "Ausführliche interne Niederschrift" not in str(held)
    assert "Personalien" not in str(held)
    assert held["location"]["description"] == "Kreishaus, Raum 1"
    assert held["location"]["meetings"] == [held["id"]]
    cancelled = get(anon, f"/oparl/v1/body/kreis-a/meeting/{a.cancelled.pk}/")
    assert cancelled["cancelled"] is True
    assert "location" not in cancelled  # no location text: no Location object
    get(anon, f"/oparl/v1/body/kreis-a/meeting/{a.cancelled.pk}/location/", status=404)


def test_paper_and_consultation(published, anon):
    a = published.a
    paper = get(anon, f"/oparl/v1/body/kreis-a/paper/{a.paper.pk}/")

    assert paper["reference"] == "BV-2026-01"
    assert paper["paperType"] == "Beschlussvorlage"
    assert paper["underDirectionOf"] == [
        f"http://testserver/oparl/v1/body/kreis-a/organization/{a.circle.pk}/"
    ]
    assert paper["mainFile"]["name"] == "Vorlage"
    assert "Entwurf" not in str(paper)  # the internal document of the paper
    (consultation,) = paper["consultation"]
    assert consultation["authoritative"] is True
    assert consultation["paper"] == paper["id"]
    assert consultation["meeting"].endswith(f"/meeting/{a.held.pk}/")
    assert consultation["lotse:votes"]["yes"] == 7


def test_file_download_serves_the_stored_file(published, anon):
    a = published.a
    meta = get(anon, f"/oparl/v1/body/kreis-a/file/{a.paper_file.pk}/")
    assert meta["mimeType"] == "application/pdf"
    assert meta["size"] == len(PDF)
    assert meta["paper"] == [f"http://testserver/oparl/v1/body/kreis-a/paper/{a.paper.pk}/"]

    response = anon.get(meta["downloadUrl"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"".join(response.streaming_content) == PDF
    internal = f"/oparl/v1/body/kreis-a/file/{a.internal_file.pk}/download/"
    assert anon.get(internal).status_code == 404


def test_internal_and_foreign_objects_do_not_exist(published, anon):
    a, b = published.a, published.b
    internal = [
        f"organization/{a.internal_body.pk}/",
        f"meeting/{a.internal_meeting.pk}/",
        f"meeting/{a.qz_meeting.pk}/",
        f"paper/{a.internal_paper.pk}/",
        f"agendaitem/{a.internal_item.pk}/",
        f"file/{a.internal_file.pk}/",
        f"file/{a.internal_file.pk}/download/",
    ]
    for path in internal:
        for slug in ("kreis-a", "kreis-b"):
            error = get(anon, f"/oparl/v1/body/{slug}/{path}", status=404)
            assert error["detail"] == "Dieses Objekt gibt es nicht (oder es ist nicht öffentlich)."
    # Träger B's public objects are not reachable under Träger A's body (and the reverse)
    for path in (
        f"meeting/{b.held.pk}/",
        f"paper/{b.paper.pk}/",
        f"organization/{b.steering.pk}/",
        f"consultation/{b.consultation.pk}/",
        f"file/{b.minutes.pk}/",
    ):
        get(anon, f"/oparl/v1/body/kreis-a/{path}", status=404)
        get(anon, f"/oparl/v1/body/kreis-b/{path}")
    get(anon, "/oparl/v1/body/kein-traeger/", status=404)
    get(anon, "/oparl/v1/gibt-es-nicht", status=404)
    slashless = anon.get(f"/oparl/v1/body/kreis-a/meeting/{a.held.pk}?x=1")
    assert slashless.status_code == 301
    assert slashless["Location"] == f"/oparl/v1/body/kreis-a/meeting/{a.held.pk}/?x=1"


def test_withdrawn_objects_are_soft_deleted(published, anon):
    a = published.a
    withdrawn = get(anon, f"/oparl/v1/body/kreis-a/meeting/{a.withdrawn.pk}/")
    assert withdrawn["deleted"] is True
    assert set(withdrawn) == {"id", "type", "created", "modified", "deleted"}

    a.paper.public = False
    a.paper.depublished_at = timezone.now()
    a.paper.save()
    paper = get(anon, f"/oparl/v1/body/kreis-a/paper/{a.paper.pk}/")
    assert paper["deleted"] is True
    assert "name" not in paper
    in_list = [p for p in walk(anon, "/oparl/v1/body/kreis-a/paper/") if p["id"] == paper["id"]]
    assert in_list == [paper]
    # the consultation of a withdrawn paper is gone, the file content is no longer served
    get(anon, f"/oparl/v1/body/kreis-a/consultation/{a.consultation.pk}/", status=404)


def test_pagination_walks_the_whole_list_once(published, anon):
    a = published.a
    for number in range(8):
        meeting(a.traeger, a.circle, f"Arbeitskreis {number}")
    expected = set(
        Meeting.objects.filter(traeger=a.traeger)
        .exclude(public=False, depublished_at__isnull=True)
        .values_list("pk", flat=True)
    )

    first = get(anon, "/oparl/v1/body/kreis-a/meeting/?limit=3")
    assert first["pagination"]["elementsPerPage"] == 3
    assert first["pagination"]["totalElements"] == len(expected)
    assert "prev" not in first["links"]
    found = walk(anon, "/oparl/v1/body/kreis-a/meeting/?limit=3")

    ids = [int(m["id"].rstrip("/").rsplit("/", 1)[1]) for m in found]
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected
    second = get(anon, first["links"]["next"])
    assert second["pagination"]["currentPage"] == 2
    assert parse_qs(urlsplit(second["links"]["next"]).query)["limit"] == ["3"]
    back = get(anon, second["links"]["prev"])
    assert back["data"] == first["data"]
    third = get(anon, second["links"]["next"])
    assert get(anon, third["links"]["prev"])["data"] == second["data"]
    assert get(anon, "/oparl/v1/body/kreis-a/meeting/?after=kaputt", status=400)["code"] == (
        "invalid_cursor"
    )
    wrong_values = base64.urlsafe_b64encode(b'["gestern", "eins"]').decode().rstrip("=")
    wrong = get(anon, f"/oparl/v1/body/kreis-a/meeting/?after={wrong_values}", status=400)
    assert wrong["detail"] == (
        "Der Seitenverweis ist ungültig; bitte beginnen Sie mit der ersten Seite."
    )


def test_filters_on_created_and_modified(published, anon):
    a = published.a
    old = dt.datetime(2025, 1, 10, 11, 0, tzinfo=dt.UTC)
    Meeting.objects.filter(pk=a.held.pk).update(created_at=old, updated_at=old)
    url = "/oparl/v1/body/kreis-a/meeting/"

    def ids(query: str) -> set[int]:
        return {int(m["id"].rstrip("/").rsplit("/", 1)[1]) for m in walk(anon, url + query)}

    everything = ids("")
    assert a.held.pk in everything
    assert ids("?modified_until=2025-02-01T00:00:00%2B01:00") == {a.held.pk}
    assert ids("?modified_until=2025-01-10T12:00:00+01:00") == {a.held.pk}  # "+" unencoded
    assert ids("?modified_until=2025-01-10T11:59:59+01:00") == set()
    assert ids("?created_until=2025-02-01") == {a.held.pk}
    assert ids("?modified_since=2025-02-01T00:00:00Z") == everything - {a.held.pk}
    assert ids("?created_since=2025-02-01T00:00:00") == everything - {a.held.pk}
    assert ids("?created_since=2025-01-01&created_until=2025-01-31") == {a.held.pk}
    # the filters are kept in the paging links
    page = get(anon, url + "?modified_since=2020-01-01&limit=1")
    assert "modified_since=2020-01-01" in page["links"]["next"]

    error = get(anon, url + "?modified_since=gestern", status=400)
    assert error["code"] == "invalid_filter"
    assert "modified_since" in error["detail"] and "ISO 8601" in error["detail"]
    assert error["detail"].startswith("Der Filter")
    assert get(anon, url + "?limit=0", status=400)["code"] == "invalid_limit"
    assert get(anon, url + "?limit=abc", status=400)["code"] == "invalid_limit"


def test_only_get(published, anon):
    response = anon.post("/oparl/v1/body/kreis-a/meeting/")
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["code"] == "method_not_allowed"


def test_no_persons_attendance_or_conference_data(published, anon):
    a = published.a
    need = OptimisationNeed.objects.create(
        traeger=a.traeger,
        field_of_action=FieldOfActionFactory(traeger=a.traeger),
        category="sprachbarrieren",
        description="Geheimer Bedarf aus der Fallkonferenz",
    )
    a.paper.needs.add(need)
    Attendance.objects.create(
        traeger=a.traeger, meeting=a.held, name="Petra Teilnehmerin", email="petra@example.org"
    )

    _, texts = crawl(anon)

    text = "\n".join(texts)
    assert "Geheimer Bedarf" not in text
    assert "sprachbarrieren" not in text
    assert "Petra Teilnehmerin" not in text and "petra@example.org" not in text
    assert "conference" not in text.lower() and "fallkonferenz" not in text.lower()


def test_no_oparl_url_or_module_reaches_conferences():
    resolver = get_resolver()
    oparl = [p for p in resolver.url_patterns if str(p.pattern) == "oparl/v1/"]
    assert oparl
    routes = [str(p.pattern) for p in oparl[0].url_patterns]
    assert not any("conferen" in route or "konferenz" in route for route in routes)
    package = Path(__file__).resolve().parents[2] / "src" / "lotse" / "oparl"
    sources = list(package.glob("*.py"))
    assert sources
    imports = re.compile(r"^\s*(from|import)\s+lotse\.conferences", re.MULTILINE)
    for source in sources:
        assert not imports.search(source.read_text(encoding="utf-8")), source.name
    for module in (publication, serializers, views):
        for value in vars(module).values():
            assert not getattr(value, "__module__", "").startswith("lotse.conferences")


@pytest.mark.parametrize(
    "path", ["meeting/", "paper/", "agendaitem/", "consultation/", "file/", "organization/"]
)
def test_query_count_does_not_grow_with_rows(published, anon, path):
    a = published.a
    url = f"/oparl/v1/body/kreis-a/{path}?limit=50"

    with CaptureQueriesContext(connection) as few:
        get(anon, url)
    for number in range(6):
        extra = meeting(a.traeger, a.steering, f"Weitere Sitzung {number}")
        item = type(a.item).objects.create(
            traeger=a.traeger, meeting=extra, position=1, title=f"TOP {number}", public=True
        )
        paper = type(a.paper).objects.create(
            traeger=a.traeger,
            reference=f"BV-X-{number}",
            title="Vorlage",
            body=a.circle,
            problem="p",
            proposal="v",
            public=True,
        )
        type(a.consultation).objects.create(
            traeger=a.traeger, paper=paper, item=item, role="consultation", public=True
        )
    with CaptureQueriesContext(connection) as many:
        get(anon, url)

    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
