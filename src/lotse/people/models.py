"""Zugewanderte Personen, their households and their residence status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned, Versioned


class Household(TenantOwned):
    label = models.CharField(_("label"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.label or f"Haushalt {self.pk}"


class Person(TenantOwned, Versioned):
    class Sex(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        DIVERSE = "diverse", _("diverse")
        UNSPECIFIED = "unspecified", _("not specified")

    class HouseholdRole(models.TextChoices):
        HEAD = "head", _("head of household")
        PARTNER = "partner", _("spouse or partner")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        SIBLING = "sibling", _("sibling")
        RELATIVE = "relative", _("other relative")

    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("responsible organisation"),
        help_text=_("The organisation whose case team keeps this record."),
    )
    post = models.ForeignKey(
        "directory.CaseManagementPost",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("responsible post"),
        help_text=_("The case-management post whose case team keeps this record."),
    )
    last_name = models.CharField(_("last name"), max_length=200)
    first_name = models.CharField(_("first name"), max_length=200)
    search_name = models.CharField(max_length=500, editable=False, db_index=False)
    # Transliteration-insensitive keys (lotse.people.names.name_key): of the first and the last
    # name (words in order) and of all words sorted and space-padded, for search and duplicates.
    first_key = models.CharField(max_length=200, editable=False, default="")
    last_key = models.CharField(max_length=200, editable=False, default="")
    name_key = models.CharField(max_length=500, editable=False, default="")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.UNSPECIFIED)
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=16, blank=True)
    municipality = models.ForeignKey(
        "directory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("municipality of residence"),
    )
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    registered_on = models.DateField(_("date of registration (Anmeldung)"), null=True, blank=True)
    target_group = models.ForeignKey(
        "directory.TargetGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("target group"),
    )
    residence_obligation = models.BooleanField(
        _("residence obligation (Wohnsitzauflage)"), default=False
    )
    residence_obligation_place = models.CharField(
        _("residence obligation: place"), max_length=200, blank=True
    )
    residence_obligation_until = models.DateField(
        _("residence obligation until"), null=True, blank=True
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    household_role = models.CharField(
        _("role in household"), max_length=16, choices=HouseholdRole.choices, blank=True
    )
    external_key = models.CharField(_("external key"), max_length=100, blank=True)
    # Art. 9 GDPR: health and special protection needs (e.g. disability, pregnancy, trauma).
    # Encrypted at rest (lotse.core.fieldcrypto); shown to the case team only.
    health_notes = EncryptedTextField(
        _("health and special protection needs"), blank=True
    )  # de: Gesundheit und besonderer Schutzbedarf
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when this record was merged into another (lotse.people.merge): the row stays as a
    # tombstone so that its old id, URL and API id resolve to the person it was merged into.
    # Erasing that person (Art. 17 GDPR) erases its tombstones with it: they are the same person.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(
                fields=["traeger", "organisation", "last_name", "first_name", "id"],
                name="person_org_name_idx",
            ),
            models.Index(
                fields=["traeger", "post", "last_name", "first_name", "id"],
                name="person_post_name_idx",
            ),
            models.Index(fields=["traeger", "search_name"], name="person_search_idx"),
            models.Index(fields=["traeger", "last_key", "first_key"], name="person_key_idx"),
            models.Index(fields=["traeger", "name_key"], name="person_name_key_idx"),
            models.Index(fields=["traeger", "household"], name="person_household_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["traeger", "external_key"],
                condition=~models.Q(external_key=""),
                name="person_unique_external_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class DistinctPersonConfirmation(TenantOwned):
    """A user's statement that a new person is not one of the likely duplicates offered."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="distinct_confirmations"
    )
    candidate_ids = models.JSONField(_("likely duplicates"), default=list)
    reason = models.CharField(_("reason"), max_length=500)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("confirmation of a different person")
        verbose_name_plural = _("confirmations of a different person")
        indexes = [models.Index(fields=["traeger", "person"], name="distinct_person_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.reason}"


class PersonNameVariant(TenantOwned):
    """Another spelling of the name: a transliteration, the original script, a former name."""

    class Kind(models.TextChoices):
        TRANSLITERATION = "transliteration", _("transliteration")
        ORIGINAL_SCRIPT = "original_script", _("original script")
        FORMER = "former", _("former name")
        ALIAS = "alias", _("other spelling")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_variants")
    last_name = models.CharField(_("last name"), max_length=200)
    first_name = models.CharField(_("first name"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.TRANSLITERATION
    )
    search_name = models.CharField(max_length=500, editable=False)
    name_key = models.CharField(max_length=500, editable=False, default="")

    class Meta:
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")
        indexes = [
            models.Index(fields=["traeger", "search_name"], name="namevariant_search_idx"),
            models.Index(fields=["traeger", "name_key"], name="namevariant_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"


class ResidenceStatusRecord(TenantOwned):
    """One entry in a person's residence status history (the newest valid_from is current)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residence_statuses")
    status = models.ForeignKey(
        "directory.ResidenceStatusType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("residence status"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("residence status record")
        verbose_name_plural = _("residence status history")
        ordering = ["person", "-valid_from", "-id"]
        indexes = [
            models.Index(fields=["traeger", "person", "-valid_from"], name="resstatus_person_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="resstatus_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status} ({self.valid_from})"
