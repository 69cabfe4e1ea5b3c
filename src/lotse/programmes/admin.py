"""Budgets per Baustein and year in the admin, scoped to the user's Träger like the configuration.

Only budgets: participations, costs and referrals hold personal data and are edited through the
case pages (access policy, audit), never in the admin.
"""

from __future__ import annotations

from django.contrib import admin

from lotse.directory.admin import TraegerScopedAdmin
from lotse.programmes.models import ModuleBudget


@admin.register(ModuleBudget)
class ModuleBudgetAdmin(TraegerScopedAdmin):
    list_display = ["module", "year", "amount_cents", "warning_percent"]
    list_filter = ["year"]
    exclude = ["updated_by"]
