"""Which data categories a person page or API response discloses (for the access log).

Health notes (Art. 9 GDPR) are shown only on the person page and the person API of the case
team; whenever they are part of a response, the audit entry names the category "health".
"""

from __future__ import annotations

from lotse.people.models import Person

PERSON_PAGE_CATEGORIES = ("identity", "residence_status", "family")


def person_page_categories(person: Person) -> list[str]:
    categories = list(PERSON_PAGE_CATEGORIES)
    if person.health_notes:
        categories.append("health")
    return categories
