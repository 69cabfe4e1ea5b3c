"""The portal "Zusammenarbeit" (portal app: home, contacts, working aids, process chains).

Every active user of the Träger reads (partners included); the Servicestelle (coordination)
uploads working aids and edits process chains. Objects of another Träger: 404.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.directory.models import ContactPerson
from lotse.portal import services
from lotse.portal.models import ProcessChain, ProcessStep
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def objects(world: World) -> Any:
    cached = getattr(world, "_portal", None)
    if cached is not None:
        return cached
    traeger = world.traeger_a
    person = ContactPerson.objects.create(
        traeger=traeger, organisation=world.org_a, key="ap-alpha", name="Anna Alpha"
    )
    coordinator = world.users["coordination"]
    aid = services.create_aid(
        user=coordinator,
        data={
            "title": "Merkblatt",
            "kind": "leaflet",
            "file": SimpleUploadedFile("merkblatt.txt", b"Hallo Lippe"),
        },
    )
    chain = ProcessChain.objects.create(traeger=traeger, key="kette", title="Kette")
    first = ProcessStep.objects.create(
        traeger=traeger, chain=chain, key="eins", order=0, title="Eins"
    )
    ProcessStep.objects.create(traeger=traeger, chain=chain, key="zwei", order=1, title="Zwei")
    found = SimpleNamespace(person=person, aid=aid, chain=chain, step=first)
    world._portal = found  # type: ignore[attr-defined]
    return found


def _kw(attr: str) -> Any:
    def kwargs(world: World) -> dict[str, int]:
        return {"pk": getattr(objects(world), attr).pk}

    return kwargs


def _version(world: World) -> dict[str, int]:
    return {"pk": objects(world).aid.current_version.pk}


def _org(world: World) -> dict[str, int]:
    objects(world)
    return {"pk": world.org_a.pk}


def _traeger(world: World) -> dict[str, int]:
    objects(world)
    return {}


def _txt(name: str = "neu.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Neue Fassung", content_type="text/plain")


ENDPOINTS = {
    "portal:home": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "portal:contacts": Endpoint(Scope.TRAEGER, api=False, kwargs=_traeger, methods={"GET": None}),
    "portal:contacts_vcard": Endpoint(
        Scope.TRAEGER, api=False, kwargs=_traeger, methods={"GET": None}
    ),
    "portal:contact_vcard": Endpoint(
        Scope.OBJECT, api=False, kwargs=_kw("person"), methods={"GET": None}
    ),
    "portal:organisation_vcard": Endpoint(
        Scope.OBJECT, api=False, kwargs=_org, methods={"GET": None}
    ),
    "portal:aids": Endpoint(Scope.TRAEGER, api=False, kwargs=_traeger, methods={"GET": None}),
    "portal:aid_create": Endpoint(
        Scope.TRAEGER,
        api=False,
        methods={
            "GET": None,
            "POST": lambda w: {"title": "Formular", "kind": "form", "file": _txt("f.txt")},
        },
    ),
    "portal:aid_detail": Endpoint(
        Scope.OBJECT, api=False, kwargs=_kw("aid"), methods={"GET": None}
    ),
    "portal:aid_version_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_kw("aid"),
        methods={"GET": None, "POST": lambda w: {"file": _txt(), "change_note": "Neu gefasst"}},
    ),
    "portal:aid_download": Endpoint(
        Scope.OBJECT, api=False, kwargs=_version, methods={"GET": None}
    ),
    "portal:chains": Endpoint(Scope.TRAEGER, api=False, kwargs=_traeger, methods={"GET": None}),
    "portal:chain_detail": Endpoint(
        Scope.OBJECT, api=False, kwargs=_kw("chain"), methods={"GET": None}
    ),
    "portal:chain_edit": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_kw("chain"),
        methods={"GET": None, "POST": lambda w: {"title": "Kette neu"}},
    ),
    "portal:step_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_kw("chain"),
        methods={"GET": None, "POST": lambda w: {"title": "Drei"}},
    ),
    "portal:step_edit": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_kw("step"),
        methods={"GET": None, "POST": lambda w: {"title": "Eins neu"}},
    ),
    "portal:step_move": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_kw("step"),
        methods={"POST": lambda w: {"direction": "down"}},
    ),
    "portal:step_delete": Endpoint(
        Scope.OBJECT, api=False, kwargs=_kw("step"), methods={"POST": None}
    ),
}

# fmt: off
#                                                  anon cm   tl   coord part admin dp  none  oth-T oth-O
_READ_LIST = (302, 200, 200, 200, 200, 200, 200, 200, 200, 200)
_READ_OBJECT = (302, 200, 200, 200, 200, 200, 200, 200, 404, 200)
_EDIT_GET = (302, 403, 403, 200, 403, 403, 403, 403, 403, 403)
_EDIT_POST = (302, 403, 403, 302, 403, 403, 403, 403, 403, 403)
MATRIX = {
    ("portal:home", "GET"):                 _READ_LIST,
    ("portal:contacts", "GET"):             _READ_LIST,
    ("portal:contacts_vcard", "GET"):       _READ_LIST,
    ("portal:contact_vcard", "GET"):        _READ_OBJECT,
    ("portal:organisation_vcard", "GET"):   _READ_OBJECT,
    ("portal:aids", "GET"):                 _READ_LIST,
    ("portal:aid_create", "GET"):           _EDIT_GET,
    ("portal:aid_create", "POST"):          _EDIT_POST,
    ("portal:aid_detail", "GET"):           _READ_OBJECT,
    ("portal:aid_version_add", "GET"):      _EDIT_GET,
    ("portal:aid_version_add", "POST"):     _EDIT_POST,
    ("portal:aid_download", "GET"):         _READ_OBJECT,
    ("portal:chains", "GET"):               _READ_LIST,
    ("portal:chain_detail", "GET"):         _READ_OBJECT,
    ("portal:chain_edit", "GET"):           _EDIT_GET,
    ("portal:chain_edit", "POST"):          _EDIT_POST,
    ("portal:step_add", "GET"):             _EDIT_GET,
    ("portal:step_add", "POST"):            _EDIT_POST,
    ("portal:step_edit", "GET"):            _EDIT_GET,
    ("portal:step_edit", "POST"):           _EDIT_POST,
    ("portal:step_move", "POST"):           _EDIT_POST,
    ("portal:step_delete", "POST"):         _EDIT_POST,
}
# fmt: on
