"""The Evaluationsbogen of a case conference: a few statements rated 1 to 5, and free text.

The seed's agenda ends with "Feedback (Evaluationsbogen)"; these statements ask what the seed
wants of a conference: prepared, neutrally moderated, within its time, with binding results that
help the work with the client.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: (key, statement) in the order shown; the keys are stored with the answers.
QUESTIONS = [
    ("preparation", _("The invitation and the information beforehand were sufficient.")),
    ("moderation", _("The moderation was neutral and kept to the agenda.")),
    ("time", _("The time frame was appropriate.")),
    ("agreements", _("The agreements are clear and binding.")),
    ("benefit", _("The conference helps my work in this case.")),
]
QUESTION_KEYS = [key for key, _label in QUESTIONS]

#: The scale: 1 = does not apply at all … 5 = fully applies.
SCALE = [
    (1, _("1 – does not apply at all")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – fully applies")),
]
