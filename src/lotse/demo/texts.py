"""German case-work texts for the demo timeline (fictitious; no real persons or events)."""

from __future__ import annotations

import random

LANGUAGE_DE: dict[str, str] = {
    "ar": "Arabisch",
    "ku": "Kurmandschi",
    "ckb": "Sorani",
    "prs": "Dari",
    "ps": "Paschtu",
    "fa": "Farsi",
    "uk": "Ukrainisch",
    "ru": "Russisch",
    "tr": "Türkisch",
    "ro": "Rumänisch",
    "rom": "Romanes",
    "bg": "Bulgarisch",
    "pl": "Polnisch",
    "ti": "Tigrinya",
    "so": "Somali",
    "fr": "Französisch",
    "en": "Englisch",
    "yo": "Yoruba",
    "ig": "Igbo",
    "hi": "Hindi",
    "ta": "Tamil",
}


def language_de(code: str) -> str:
    return LANGUAGE_DE.get(code, code)


GOOD_PREREQUISITES = (
    "Unterstützung bei der Anerkennung des Berufsabschlusses ({job}) und beim Einstieg in Arbeit.",
    "Beratung zu Integrationskurs und Berufssprachkurs; möchte zügig als {job} arbeiten.",
    "Orientierung nach Zuzug: Behördenwege, Sprachkurs, Arbeitssuche als {job}.",
    "Begleitung beim Übergang vom Integrationskurs in Ausbildung oder Beschäftigung ({job}).",
    "Wunsch nach Studium bzw. Anerkennung des Hochschulabschlusses ({job}).",
)
MULTIPLE_PROBLEMS = (
    "Mehrere Problemlagen: Wohnungssuche, Schulden, ungeklärte Leistungsansprüche; Kinder noch "
    "ohne Schul- bzw. Kitaplatz.",
    "Gesundheitliche Einschränkungen, Arbeitsaufnahme derzeit nicht möglich; Unterstützung bei "
    "Leistungsanträgen und Arztterminen.",
    "Prekäre Beschäftigung ohne Arbeitsvertrag, drohender Wohnungsverlust; Klärung von "
    "Leistungsansprüchen.",
    "Alleinerziehend, Kinderbetreuung ungeklärt, dadurch kein Sprachkurs möglich.",
    "Analphabetisierung, Alphabetisierungskurs gesucht; Unterstützung im Kontakt mit Behörden.",
)
PARTICIPATION = (
    "Teilhabemanagement: Coaching zum Übergang in Ausbildung; Beschäftigungserlaubnis klären.",
    "Teilhabemanagement: Nachholen des Hauptschulabschlusses (Klasse 10A) geplant.",
    "Teilhabemanagement: Einstiegsqualifizierung gesucht, berufsbezogene Sprachförderung.",
    "Teilhabemanagement: Ausbildungsduldung prüfen lassen, Ausbildungsplatz als {job} in Aussicht.",
)
JOBS = (
    "Pflegefachkraft",
    "Elektriker",
    "Lehrerin",
    "Ingenieur",
    "Kfz-Mechatroniker",
    "Friseurin",
    "Buchhalterin",
    "Bauhelfer",
    "Schneiderin",
    "Lagerlogistik",
    "Erzieherin",
    "Zahnarzthelferin",
    "Koch",
    "Berufskraftfahrer",
    "IT-Fachkraft",
    "Tischler",
    "Verkäuferin",
    "Ärztin",
)

FIRST_CONTACT = (
    "Erstkontakt über die Sozialberatung in {place}. {client} wünscht Unterstützung beim Ankommen.",
    "{client} kam auf Empfehlung einer Ehrenamtlichen in die Sprechstunde.",
    "Vermittlung durch das Jobcenter Lippe; {client} ist mit einem ersten Gespräch einverstanden.",
    "Telefonische Anfrage von {client}; Termin für ein Ankommensgespräch vereinbart.",
    "Hinweis der Ausländerbehörde nach Zuzug; {client} wurde angeschrieben und meldete sich.",
)
OFFER = (
    "Angebot Case Management erläutert (Freiwilligkeit, Ablauf, Datenschutz). {client} möchte "
    "sich Bedenkzeit nehmen.",
    "Ankommensgespräch geführt, Case Management angeboten; Informationsblatt in {language} "
    "ausgehändigt. Bedenkzeit vereinbart.",
)
AGREED = (
    "{client} hat der freiwilligen Teilnahme am Case Management zugestimmt.",
    "Rückmeldung nach Bedenkzeit: {client} möchte am Case Management teilnehmen.",
)
ASSESSMENT = (
    (
        "Erstgespräch nach Gesprächsleitfaden",
        "Lebenssituation, Qualifikationen, Ziele und "
        "Unterstützungsbedarf besprochen. Beteiligte Behörden: Jobcenter, Ausländerbehörde.",
    ),
    (
        "Sprachstand geklärt",
        "Einstufungstest beim Kursträger angefragt; bisher Deutsch Niveau {level}.",
    ),
    (
        "Unterlagen gesichtet",
        "Zeugnisse und Abschlüsse liegen in Kopie vor; Übersetzung für die "
        "Anerkennungsberatung nötig.",
    ),
    (
        "Ressourcen erhoben",
        "Familiäre Unterstützung vorhanden; ehrenamtliche Patin begleitet bei Terminen.",
    ),
)
SERVICE_PLANNING = (
    (
        "Integrationsvereinbarung besprochen",
        "Ziele: Sprachniveau B1 bis {month}; Anerkennung "
        "beantragen; Bewerbungsunterlagen erstellen. Verantwortlichkeiten und Fristen vereinbart.",
    ),
    (
        "Integrationsvereinbarung unterschrieben",
        "SMART-Ziele mit {client} festgehalten; Überprüfung in drei Monaten.",
    ),
    (
        "Maßnahmenkatalog erstellt",
        "Integrationskurs, Anerkennungsberatung und Kinderbetreuung "
        "als vorrangige Schritte festgelegt.",
    ),
)
LINKING = (
    (
        "Anmeldung Integrationskurs",
        "Anmeldung beim Kursträger in {place}; Kursbeginn voraussichtlich {month}.",
    ),
    (
        "Kontakt Jobcenter Lippe",
        "Mit Einwilligung von {client} Absprache mit der "
        "Integrationsfachkraft zu Maßnahmen und Leistungen.",
    ),
    (
        "Anerkennungsberatung vermittelt",
        "Termin bei der Anerkennungsberatung vereinbart, Unterlagen vorab übersandt.",
    ),
    (
        "Migrationsberatung eingebunden",
        "Übergabe an die Migrationsberatung für Erwachsene zu Fragen der Familienzusammenführung.",
    ),
    (
        "Kontakt Ausländerbehörde",
        "Mit Einwilligung Rückfrage zum Stand der Verlängerung des "
        "Aufenthaltstitels; fehlende Unterlagen benannt.",
    ),
)
SCHOOL = (
    "Schulanmeldung {child}",
    "Anmeldung beim Schulamt für den Kreis Lippe; Platz an der "
    "Grundschule bzw. weiterführenden Schule in {place} angefragt.",
)
KITA = (
    "Kitaplatz für {child}",
    "Anmeldung über das Kita-Portal, Kontakt zum Jugendamt wegen "
    "eines Betreuungsplatzes in {place}.",
)
MONITORING = (
    ("Rückmeldung Kursträger", "Regelmäßige Teilnahme am Kurs, Prüfung {level} angemeldet."),
    ("Hausbesuch", "Wohnsituation stabil; Kinder besuchen Schule bzw. Kita regelmäßig."),
    (
        "Telefonat zum Stand",
        "{client} berichtet von einem Probearbeitstag; weitere Bewerbungen laufen.",
    ),
    ("Zwischenstand Integrationsvereinbarung", "Ziele teilweise erreicht; Frist für B1 angepasst."),
)
EVALUATION = (
    (
        "Abschlussgespräch",
        "Ziele überwiegend erreicht: Arbeitsvertrag bzw. Ausbildungsvertrag "
        "liegt vor. {client} weiß, an wen sie/er sich künftig wenden kann.",
    ),
    (
        "Abschlussgespräch",
        "Case Management endet nach Umzug in einen anderen Kreis; "
        "Übergabe mit Einwilligung an die dortige Stelle.",
    ),
    (
        "Auswertung",
        "Verlauf und Aufwand bewertet; Optimierungsbedarf an der Schnittstelle zur "
        "Leistungsbehörde für den Qualitätszirkel notiert.",
    ),
)
STEP_BACK_REASONS = (
    "Neue Lebenssituation nach Umzug innerhalb Lippes; Bedarfe neu erheben.",
    "Aufenthaltsstatus hat sich geändert, Ziele der Integrationsvereinbarung müssen angepasst "
    "werden.",
    "Kursplatz entfallen, Planung muss überarbeitet werden.",
    "Gesundheitliche Krise; Ressourcen und Ziele neu klären.",
)
NEXT_APPOINTMENT = (
    ("Beratungstermin", "Folgetermin zur Integrationsvereinbarung."),
    ("Termin mit Sprachmittlung", "Besprechung der Unterlagen der Ausländerbehörde."),
    ("Gemeinsamer Termin Jobcenter", "Begleitung zum Termin bei der Integrationsfachkraft."),
)
LEVELS = ("A1", "A2", "B1")


def with_interpreter(text: str, language: str, rng: random.Random) -> str:
    """Mention the interpreter as the rules require (never children or relatives)."""
    via = rng.choice(("über das KI", "über das DRK", "per Video-Dolmetschdienst"))
    return f"{text} Sprachmittlung {language_de(language)} {via}."
