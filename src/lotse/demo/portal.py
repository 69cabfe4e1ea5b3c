"""The portal's working aids and process chains of the demo region.

The process chains come from the configuration (``process_chains:`` in config/kreis-lippe.yaml,
loaded with the rest of the file); here only the working aids are made, as real files: the
interview guide rendered as PDF, a template of the integration agreement in two versions (with a
change note), a leaflet and a checklist. Idempotent: an aid that exists is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from lotse.accounts.models import Role, User
from lotse.directory.models import FieldOfAction, InterviewGuide
from lotse.portal import services
from lotse.portal.models import ProcessChain, WorkingAid, WorkingAidKind
from lotse.tenancy.models import Traeger

AGREEMENT_V1 = """Vorlage Integrationsvereinbarung (Kreis Lippe)

1. Ausgangslage und Ziele
2. Vereinbarte Schritte (Wer? Was? Bis wann?)
3. Unterstützung durch die beteiligten Stellen
4. Nächster Termin

Die Vereinbarung wird gemeinsam erarbeitet und von beiden Seiten unterschrieben.
"""

AGREEMENT_V2 = AGREEMENT_V1.replace(
    "4. Nächster Termin",
    "4. Einwilligung in die Weitergabe (Verweis auf das Einwilligungsformular)\n"
    "5. Nächster Termin und Überprüfung der Vereinbarung",
)

CHECKLIST = """Checkliste Erstkontakt „Durchstarten in Ausbildung und Arbeit“

[ ] Alter 18 bis 27 Jahre, Duldung oder Gestattung
[ ] Zuständige Teilhabemanagerin / zuständiger Teilhabemanager (Netzwerk Lippe oder Servicestelle)
[ ] Termin zum Clearing mit der Ausländerbehörde vereinbart
[ ] Passende Bausteine (Coaching, Sprachförderung, Hauptschulabschluss, Vorbereitungskurse) geprüft
"""


def _pdf(html: str) -> bytes:
    from lotse.agreements.pdf import html_to_pdf

    return html_to_pdf(html, "body { font-size: 11pt; } h1 { font-size: 16pt; }")


def _guide_pdf(guide: InterviewGuide | None) -> bytes:
    html = render_to_string("portal/demo_guide.html", {"guide": guide})
    return _pdf(html)


def _leaflet_pdf() -> bytes:
    return _pdf(render_to_string("portal/demo_leaflet.html", {}))


def demo_portal(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    traeger = Traeger.objects.filter(slug=traeger_slug).first()
    if traeger is None:
        return []
    user = (
        User.objects.filter(traeger=traeger, username="coordinator").first()
        or User.objects.filter(traeger=traeger, role_assignments__role=Role.COORDINATION).first()
    )
    if user is None:
        return []
    fields = {f.key: f for f in FieldOfAction.objects.filter(traeger=traeger)}
    guide = InterviewGuide.objects.filter(traeger=traeger).order_by("sort_order").first()
    made = 0

    def aid(
        title: str,
        kind: str,
        name: str,
        content: Callable[[], bytes],
        *,
        field: str | None = None,
        description: str = "",
    ) -> WorkingAid | None:
        nonlocal made
        if WorkingAid.objects.filter(traeger=traeger, title=title).exists():
            return None
        made += 1
        data: dict[str, Any] = {
            "title": title,
            "kind": kind,
            "description": description,
            "field_of_action": fields.get(field or ""),
            "file": SimpleUploadedFile(name, content()),
        }
        return services.create_aid(user=user, data=data)

    aid(
        "Gesprächsleitfaden Erstgespräch Case Management",
        WorkingAidKind.INTERVIEW_GUIDE,
        "gespraechsleitfaden-erstgespraech.pdf",
        lambda: _guide_pdf(guide),
        description="Der konfigurierte Leitfaden zum Ausdrucken.",
    )
    agreement = aid(
        "Vorlage Integrationsvereinbarung",
        WorkingAidKind.AGREEMENT_TEMPLATE,
        "vorlage-integrationsvereinbarung.txt",
        lambda: AGREEMENT_V1.encode(),
        description="Gliederung einer Integrationsvereinbarung im Case Management.",
    )
    if agreement is not None:
        services.add_version(
            user=user,
            aid=agreement,
            data={
                "file": SimpleUploadedFile(
                    "vorlage-integrationsvereinbarung.txt", AGREEMENT_V2.encode()
                ),
                "change_note": "Abschnitt zur Einwilligung ergänzt; Überprüfung der Vereinbarung "
                "aufgenommen (Beschluss AK Case Management).",
            },
        )
    aid(
        "Merkblatt Schulanmeldung für neu zugewanderte Familien",
        WorkingAidKind.LEAFLET,
        "merkblatt-schulanmeldung.pdf",
        _leaflet_pdf,
        field="kita-schule",
    )
    aid(
        "Checkliste Erstkontakt Durchstarten",
        WorkingAidKind.FORM,
        "checkliste-durchstarten.txt",
        lambda: CHECKLIST.encode(),
        field="arbeit",
    )
    chains = ProcessChain.objects.filter(traeger=traeger).count()
    return [f"Portal: {made} Arbeitshilfen angelegt, {chains} Prozessketten aus der Konfiguration."]
