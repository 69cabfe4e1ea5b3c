from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import FreeTextField


class TokenForm(forms.Form):
    name = FreeTextField(
        label=_("name of the token"),  # de: Bezeichnung des Tokens
        max_length=100,
        # de: Wofür der Token gedacht ist, z. B. „Auswertung Statistikstelle“.
        help_text=_("What the token is for, e.g. “statistics office report”."),
    )
    days = forms.IntegerField(label=_("validity in days"), min_value=1)  # de: Gültigkeit in Tagen

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        longest = int(settings.LOTSE_API_TOKEN_MAX_DAYS)
        days = self.fields["days"]
        days.initial = settings.LOTSE_API_TOKEN_DAYS
        days.validators.append(MaxValueValidator(longest))
        days.widget.attrs["max"] = longest
        # de: Höchstens %(days)s Tage.
        days.help_text = _("At most %(days)s days.") % {"days": longest}
