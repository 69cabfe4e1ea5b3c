"""The pre-check lists for a referral to the Ausländer-/Einbürgerungsbehörde (KIM Baustein 3).

These are federal law, not regional configuration, so they live in code. They are a *pre-check*
for the case manager: whether it is worth forwarding the case. The legal examination and the
decision stay with the ABH (seed 002, chapter 5.3.2, Baustein 3).

Sources (state of the law checked for this module):

§ 25a Abs. 1 AufenthG (Aufenthaltsgewährung bei gut integrierten Jugendlichen und jungen
Volljährigen), as amended by the Chancen-Aufenthaltsrecht law in force since 31.12.2022:
holder of a residence permit under § 104c or tolerated (Duldung) for at least twelve months;
Nr. 1 three years of uninterrupted permitted, tolerated or gestattet stay; Nr. 2 as a rule three
years of successful school attendance in Germany or a recognised school or vocational
qualification; Nr. 3 application before the 27th birthday; Nr. 4 positive integration
prognosis; Nr. 5 no concrete indications against the commitment to the free democratic basic
order. Satz 2: public benefits while in school, training or studies do not exclude the permit;
Satz 3: refused when deportation is suspended because of own false statements or deception
about identity or nationality.

§ 25b Abs. 1 AufenthG (Aufenthaltsgewährung bei nachhaltiger Integration), since 31.12.2022:
tolerated (or § 104c); Nr. 1 at least six years, or four years when living with a minor
unmarried child, of uninterrupted tolerated, gestattet or permitted stay; Nr. 2 commitment to
the free democratic basic order and basic knowledge of the legal and social order; Nr. 3
livelihood secured mostly by work, or expected to be secured; Nr. 4 sufficient oral German at
level A2 (CEFR); Nr. 5 actual school attendance of children of school age. Abs. 2: refused on
deception about identity or nationality or a serious interest in expulsion (§ 54 Abs. 1 or
Abs. 2 Nr. 1 and 2). The conditions apply "as a rule" (regelmäßig): special integration
achievements can compensate, which is why the ABH decides.

§ 10 StAG (Einbürgerung) as amended by the StARModG of 22.03.2024 (in force 27.06.2024):
five years of lawful habitual residence (Abs. 1 Satz 1; the three-year "Turbo-Einbürgerung" of
Abs. 3 was abolished again by the Sixth amending law of 2025); Nr. 1 commitment to the free
democratic basic order (and Nr. 1a to Germany's historical responsibility); Nr. 2 a suitable
residence right (e.g. settlement permit, EU Blue Card, qualifying residence permit); Nr. 3
livelihood without benefits under SGB II or XII (narrow exceptions); Nr. 5 no conviction for an
unlawful act (§ 12a); Nr. 6 sufficient German (B1, Abs. 4); Nr. 7 knowledge of the legal and
social order (naturalisation test); identity and nationality clarified; no multiple marriage.
Multiple nationality is accepted since 27.06.2024.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str | Promise
    source: str


PRECHECKS: dict[str, tuple[CheckItem, ...]] = {
    "25a": (
        CheckItem(
            "age",
            # de: Jugendliche/r oder junge/r Volljährige/r, Antrag vor dem 27. Geburtstag
            _("Young person; application before the 27th birthday"),
            "§ 25a Abs. 1 Satz 1 Nr. 3 AufenthG",
        ),
        CheckItem(
            "duldung",
            # de: Seit mindestens 12 Monaten geduldet oder Aufenthaltserlaubnis nach § 104c
            _("Tolerated (Duldung) for at least 12 months or permit under § 104c"),
            "§ 25a Abs. 1 Satz 1 AufenthG",
        ),
        CheckItem(
            "residence_years",
            # de: Drei Jahre ununterbrochener Aufenthalt (erlaubt, geduldet, gestattet)
            _("Three years of uninterrupted stay (permitted, tolerated or gestattet)"),
            "§ 25a Abs. 1 Satz 1 Nr. 1 AufenthG",
        ),
        CheckItem(
            "schooling",
            # de: In der Regel drei Jahre erfolgreicher Schulbesuch oder anerkannter Abschluss
            _("As a rule three years of successful schooling or a recognised qualification"),
            "§ 25a Abs. 1 Satz 1 Nr. 2 AufenthG",
        ),
        CheckItem(
            "prognosis",
            # de: Positive Integrationsprognose
            _("Positive integration prognosis"),
            "§ 25a Abs. 1 Satz 1 Nr. 4 AufenthG",
        ),
        CheckItem(
            "fdgo",
            # de: Keine Anhaltspunkte gegen das Bekenntnis zur freiheitlichen demokratischen Grundordnung
            _("No indications against the commitment to the free democratic basic order"),
            "§ 25a Abs. 1 Satz 1 Nr. 5 AufenthG",
        ),
        CheckItem(
            "identity",
            # de: Keine Täuschung über Identität oder Staatsangehörigkeit; Pass vorhanden
            _("No deception about identity or nationality; passport available"),
            "§ 25a Abs. 1 Satz 3 AufenthG, § 5 AufenthG",
        ),
    ),
    "25b": (
        CheckItem(
            "duldung",
            # de: Geduldet (oder Aufenthaltserlaubnis nach § 104c)
            _("Tolerated (Duldung) or permit under § 104c"),
            "§ 25b Abs. 1 Satz 1 AufenthG",
        ),
        CheckItem(
            "residence_years",
            # de: Sechs Jahre Voraufenthalt, vier mit minderjährigem ledigem Kind im Haushalt
            _("Six years of prior stay, four when living with a minor unmarried child"),
            "§ 25b Abs. 1 Satz 2 Nr. 1 AufenthG",
        ),
        CheckItem(
            "fdgo",
            # de: Bekenntnis zur FDGO und Grundkenntnisse der Rechts- und Gesellschaftsordnung
            _("Commitment to the free democratic basic order and basic civic knowledge"),
            "§ 25b Abs. 1 Satz 2 Nr. 2 AufenthG",
        ),
        CheckItem(
            "livelihood",
            # de: Lebensunterhalt überwiegend durch Erwerbstätigkeit gesichert (oder zu erwarten)
            _("Livelihood mostly secured by work (or expected to be)"),
            "§ 25b Abs. 1 Satz 2 Nr. 3 AufenthG",
        ),
        CheckItem(
            "german_a2",
            # de: Hinreichende mündliche Deutschkenntnisse (A2)
            _("Sufficient oral German (A2)"),
            "§ 25b Abs. 1 Satz 2 Nr. 4 AufenthG",
        ),
        CheckItem(
            "children_school",
            # de: Tatsächlicher Schulbesuch der Kinder im schulpflichtigen Alter
            _("Children of school age actually attend school"),
            "§ 25b Abs. 1 Satz 2 Nr. 5 AufenthG",
        ),
        CheckItem(
            "no_offences",
            # de: Keine schweren Straftaten (kein Ausweisungsinteresse nach § 54 Abs. 1, Abs. 2 Nr. 1 und 2)
            _("No serious offences (no expulsion interest under § 54 (1), (2) nos. 1 and 2)"),
            "§ 25b Abs. 2 Nr. 2 AufenthG",
        ),
        CheckItem(
            "identity",
            # de: Keine Täuschung über Identität oder Staatsangehörigkeit
            _("No deception about identity or nationality"),
            "§ 25b Abs. 2 Nr. 1 AufenthG",
        ),
    ),
    "stag10": (
        CheckItem(
            "residence_years",
            # de: Fünf Jahre rechtmäßiger gewöhnlicher Aufenthalt
            _("Five years of lawful habitual residence"),
            "§ 10 Abs. 1 Satz 1 StAG (since 27.06.2024)",
        ),
        CheckItem(
            "residence_right",
            # de: Geeignetes Aufenthaltsrecht (z. B. Niederlassungserlaubnis)
            _("A suitable residence right (e.g. settlement permit)"),
            "§ 10 Abs. 1 Satz 1 Nr. 2 StAG",
        ),
        CheckItem(
            "identity",
            # de: Identität und Staatsangehörigkeit geklärt
            _("Identity and nationality clarified"),
            "§ 10 Abs. 1 Satz 1 StAG",
        ),
        CheckItem(
            "commitment",
            # de: Bekenntnis zur freiheitlichen demokratischen Grundordnung
            _("Commitment to the free democratic basic order"),
            "§ 10 Abs. 1 Satz 1 Nr. 1 und 1a StAG",
        ),
        CheckItem(
            "livelihood",
            # de: Lebensunterhalt ohne Leistungen nach SGB II oder XII
            _("Livelihood without benefits under SGB II or XII"),
            "§ 10 Abs. 1 Satz 1 Nr. 3 StAG",
        ),
        CheckItem(
            "german_b1",
            # de: Ausreichende Deutschkenntnisse (B1)
            _("Sufficient German (B1)"),
            "§ 10 Abs. 1 Satz 1 Nr. 6, Abs. 4 StAG",
        ),
        CheckItem(
            "civic_test",
            # de: Kenntnisse der Rechts- und Gesellschaftsordnung (Einbürgerungstest)
            _("Knowledge of the legal and social order (naturalisation test)"),
            "§ 10 Abs. 1 Satz 1 Nr. 7, Abs. 5 StAG",
        ),
        CheckItem(
            "no_offences",
            # de: Keine Verurteilung wegen einer rechtswidrigen Tat (§ 12a StAG)
            _("No conviction for an unlawful act (§ 12a StAG)"),
            "§ 10 Abs. 1 Satz 1 Nr. 5 StAG",
        ),
    ),
}


#: Data categories a referral may transfer (the same names as the audit log and issue 4 use).
CATEGORIES: tuple[tuple[str, str | Promise], ...] = (
    ("identity", _("identity")),  # de: Identität
    ("residence_status", _("residence status")),  # de: Aufenthaltsstatus
    ("education_work", _("education and work")),  # de: Bildung und Arbeit
    ("benefits", _("benefits")),  # de: Sozialleistungen
    ("family", _("family")),  # de: Familie
)


def check_items(purpose: str) -> tuple[CheckItem, ...]:
    return PRECHECKS.get(purpose, ())


def item_label(purpose: str, key: str) -> CheckItem | None:
    return next((item for item in check_items(purpose) if item.key == key), None)
