"""The Träger's details for the Art. 13 information sheet, kept by the administration."""

from __future__ import annotations

from django.contrib import admin

from lotse.consent.models import PrivacyNoticeSettings
from lotse.directory.admin import TraegerScopedAdmin


@admin.register(PrivacyNoticeSettings)
class PrivacyNoticeSettingsAdmin(TraegerScopedAdmin):
    list_display = ("controller_name", "dpo_name", "retention_years", "updated_at")
