"""The region as configuration data (the Werkzeugkoffer).

Every row here is loaded from a Träger's configuration file (``lotse loadconfig``) and carries a
stable ``key`` so that reloading updates and renames instead of duplicating.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.consent.models import Category
from lotse.core.models import TenantOwned


class ConfigItem(TenantOwned):
    key = models.SlugField(_("key"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        abstract = True


def _unique_key(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["traeger", "key"], name=f"{model}_unique_key")


class Sozialraum(ConfigItem):
    """A social area for case management: one case manager, "one face per municipality"."""

    name = models.CharField(_("name"), max_length=200)
    office = models.CharField(_("office"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("social area (Sozialraum)")
        verbose_name_plural = _("social areas (Sozialräume)")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [_unique_key("sozialraum")]

    def __str__(self) -> str:
        return self.name


class SozialraumArea(ConfigItem):
    """Part of a municipality that belongs to a Sozialraum: a city split by districts or postcodes.

    A municipality without areas belongs wholly to its ``Municipality.sozialraum``; with areas, a
    person's postcode decides (e.g. Dortmund's Stadtbezirke).
    """

    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.CASCADE,
        related_name="areas",
        verbose_name=_("social area"),
    )
    municipality = models.ForeignKey(
        "Municipality",
        on_delete=models.CASCADE,
        related_name="areas",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("district"), max_length=200, blank=True)
    postcodes = models.JSONField(_("postcodes"), default=list, blank=True)

    class Meta:
        verbose_name = _("area of a social area")
        verbose_name_plural = _("areas of social areas")
        ordering = ["traeger", "municipality", "sort_order", "key"]
        constraints = [_unique_key("sozialraumarea")]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.name or ', '.join(self.postcodes)}"


class Municipality(ConfigItem):
    name = models.CharField(_("name"), max_length=200)
    official_key = models.CharField(_("official municipality key (AGS)"), max_length=12, blank=True)
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("social area"),
    )
    own_immigration_office = models.BooleanField(_("own immigration office"), default=False)
    own_youth_office = models.BooleanField(_("own youth welfare office"), default=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["traeger", "name"]
        constraints = [_unique_key("municipality")]

    def __str__(self) -> str:
        return self.name


class Organisation(ConfigItem):
    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Public authority")
        IMMIGRATION_OFFICE = "immigration_office", _("Immigration office (Ausländerbehörde)")
        NATURALISATION_OFFICE = (
            "naturalisation_office",
            _("Naturalisation office (Einbürgerungsbehörde)"),
        )
        MUNICIPALITY = "municipality", _("Municipal administration")
        SERVICE_CENTRE = "service_centre", _("Servicestelle")
        PROVIDER = "provider", _("Service provider")
        EDUCATION = "education", _("Education")
        CHAMBER = "chamber", _("Chamber or association")
        WELFARE = "welfare", _("Welfare association")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["traeger", "name"]
        constraints = [_unique_key("organisation")]

    def __str__(self) -> str:
        return self.short_name or self.name


class ContactPerson(ConfigItem):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["traeger", "organisation", "sort_order", "name"]
        constraints = [_unique_key("contactperson")]

    def __str__(self) -> str:
        return self.name


class FieldOfAction(ConfigItem):
    """Handlungsfeld, e.g. Arbeit/Ausbildung/Beschäftigung or Kita/Schule."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    cross_cutting = models.BooleanField(_("cross-cutting"), default=False)
    # The consent category that covers this field's assessments: a partner organisation sees
    # them only while a valid consent grants it this category (lotse.sharing).
    data_category = models.CharField(
        _("data category"),  # de: Datenkategorie
        max_length=32,
        choices=Category.choices,
        blank=True,
        # de: Die Kategorie der Einwilligung, die die Assessments dieses Handlungsfelds umfasst.
        help_text=_("The consent category that covers the assessments of this field."),
    )
    #: The field's assessment questions from the configuration (``fields_of_action[].assessment``):
    #: ``[{key, label, type, choices, hint, min_age, max_age}]``, read by ``intake.questions``.
    assessment_questions = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("field of action")
        verbose_name_plural = _("fields of action")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [_unique_key("fieldofaction")]

    def __str__(self) -> str:
        return self.name


class TargetGroup(ConfigItem):
    """Zielgruppe (taxonomy, may be nested: Geflüchtete → Asylbewerber)."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent group"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [_unique_key("targetgroup")]

    def __str__(self) -> str:
        return self.name


class ResidenceStatusType(ConfigItem):
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    is_residence_title = models.BooleanField(_("is a residence title"), default=True)
    typical_validity_months = models.PositiveIntegerField(
        _("typical validity in months"), null=True, blank=True
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statuses",
        verbose_name=_("target group"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("residence status")
        verbose_name_plural = _("residence statuses")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [_unique_key("residencestatustype")]

    def __str__(self) -> str:
        return self.name


class Programme(ConfigItem):
    class Kind(models.TextChoices):
        CASE_MANAGEMENT = "case_management", _("Case management")
        PARTICIPATION_MANAGEMENT = "participation_management", _("Participation management")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    funding = models.CharField(_("funding"), max_length=300, blank=True)
    budget_cents = models.BigIntegerField(_("budget in cents"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    eligible_statuses = models.ManyToManyField(
        ResidenceStatusType,
        blank=True,
        related_name="programmes",
        verbose_name=_("eligible residence statuses"),
    )
    eligibility_note = models.TextField(_("eligibility note"), blank=True)
    coverage_note = models.TextField(
        _("coverage note"),
        blank=True,
        help_text=_("Why municipalities without a provider are not covered (e.g. opted out)."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [_unique_key("programme")]

    def __str__(self) -> str:
        return self.short_name or self.name


class ProgrammeProvider(TenantOwned):
    """Which organisation delivers a programme in which municipality; absent = not covered."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="providers")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="programme_providers"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programme_areas"
    )

    class Meta:
        verbose_name = _("programme provider")
        verbose_name_plural = _("programme providers")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality"], name="programme_municipality_unique"
            ),
        ]


class ProgrammeModule(ConfigItem):
    """A Baustein of a programme, e.g. Baustein 1 Coaching (ratio 1:20)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    participants_per_coach = models.PositiveSmallIntegerField(
        _("participants per coach"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("programme module (Baustein)")
        verbose_name_plural = _("programme modules (Bausteine)")
        ordering = ["traeger", "programme", "number"]
        constraints = [_unique_key("programmemodule")]

    def __str__(self) -> str:
        return f"{self.number}: {self.name}"


class CaseManagementPost(ConfigItem):
    """A post (Stelle) for case management with its target caseload."""

    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="posts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="posts")
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    target_caseload = models.PositiveIntegerField(_("target caseload"), default=100)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("holder"),
    )
    team_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_posts",
        verbose_name=_("team lead"),
        help_text=_("Oversees this post's cases (part of every case team of the post)."),
    )

    class Meta:
        verbose_name = _("case management post")
        verbose_name_plural = _("case management posts")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [_unique_key("casemanagementpost")]

    def __str__(self) -> str:
        return self.name


class Goal(ConfigItem):
    """A goal of the Handlungsstruktur, with an optional deadline rule.

    Holds Lippe's flat model (Leitziel, Ziel per field: "Arbeit I") and Rheine's tiers
    (Grundsatzziel → Rahmenziel → Ergebnisziel) through ``tier`` and ``parent``.
    """

    class Tier(models.TextChoices):
        GUIDING = "leitziel", _("Guiding goal (Leitziel)")
        GOAL = "ziel", _("Goal (Ziel)")
        FUNDAMENTAL = "grundsatzziel", _("Fundamental goal (Grundsatzziel)")
        FRAMEWORK = "rahmenziel", _("Framework goal (Rahmenziel)")
        RESULT = "ergebnisziel", _("Result goal (Ergebnisziel)")

    code = models.CharField(_("code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.GOAL)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    field_of_action = models.ForeignKey(
        FieldOfAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    deadline_rule = models.JSONField(
        _("deadline rule"),
        null=True,
        blank=True,
        help_text=_(
            "Declarative rule, see docs/configuration.md (e.g. within 2 weeks of registration)."
        ),
    )
    applies_to = models.JSONField(
        _("applies to"),
        null=True,
        blank=True,
        help_text=_(
            "Conditions a client must meet for this goal (age range, job seeker, target groups)."
        ),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["traeger", "sort_order", "code"]
        constraints = [_unique_key("goal")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class Measure(ConfigItem):
    """Ziel · Maßnahme · Verantwortlich · Finanzierung · Organisatorisch (or a Rheine Aktivität)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")
    further_goals = models.ManyToManyField(
        Goal,
        blank=True,
        related_name="shared_measures",
        verbose_name=_("further goals"),
        help_text=_('Other goals this measure also serves (a table row such as "I – IV").'),
    )

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DELAYED = "delayed", _("delayed")
        DROPPED = "dropped", _("dropped")

    class Origin(models.TextChoices):
        CONFIGURATION = "configuration", _("configuration")
        DECISION = "decision", _("decision of a body")

    text = models.TextField(_("measure"))
    responsible = models.TextField(_("responsible"), blank=True)
    financing = models.TextField(_("financing"), blank=True)
    organisational = models.TextField(_("organisational status"), blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("responsible organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    #: When the responsible organisation reports progress to the deciding body next.
    review_on = models.DateField(_("review date"), null=True, blank=True)
    #: Measures a decision created are the app's, not the configuration file's: a reload of the
    #: configuration neither deletes nor overwrites them.
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.CONFIGURATION
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["traeger", "goal", "sort_order"]
        constraints = [_unique_key("measure")]

    def __str__(self) -> str:
        return self.text[:80]


class Body(ConfigItem):
    class Kind(models.TextChoices):
        STEERING = "steering_committee", _("Steering committee")
        WORKING_CIRCLE = "working_circle", _("Working circle")
        WORKING_GROUP = "working_group", _("Working group")
        QUALITY_CIRCLE = "quality_circle", _("Quality circle")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    field_of_action = models.ForeignKey(
        FieldOfAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="bodies"
    )
    mandated_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mandated_bodies",
        verbose_name=_("mandated by"),
        help_text=_(
            "The body that set up this one (e.g. a working group set up by a working circle)."
        ),
    )
    hierarchy_level = models.CharField(_("hierarchy level"), max_length=200, blank=True)
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    #: A temporary working group's mandate: its task and the date it ends.
    task = models.TextField(_("task"), blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    #: Published through OParl as an ``Organization`` (the Servicestelle decides).
    public = models.BooleanField(_("public"), default=False)
    #: OParl's ``created``/``modified`` of the Organization (and for mirrors' ``modified_since``).
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [_unique_key("body")]

    def __str__(self) -> str:
        return self.name


#: Key prefix of members the Servicestelle added in the app: a configuration reload never
#: removes or overwrites them, and the configuration dump leaves them out.
APP_KEY_PREFIX = "app-"


class BodyMembership(ConfigItem):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="body_memberships",
    )
    label = models.CharField(_("member"), max_length=300)
    role = models.CharField(_("role"), max_length=100, blank=True)
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_memberships",
        verbose_name=_("person"),
    )
    hierarchy_level = models.CharField(_("hierarchy level"), max_length=200, blank=True)
    deputy = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy_memberships",
        verbose_name=_("deputy"),
    )

    class Meta:
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")
        ordering = ["traeger", "body", "sort_order"]
        constraints = [_unique_key("bodymembership")]

    def __str__(self) -> str:
        return self.label


class InterviewGuide(ConfigItem):
    """Gesprächsleitfaden. ``sections`` is a list of {key, title, questions: [{key, text, …}]}."""

    name = models.CharField(_("name"), max_length=300)
    guide_version = models.CharField(_("version"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    sections = models.JSONField(_("sections"), default=list)

    class Meta:
        verbose_name = _("interview guide")
        verbose_name_plural = _("interview guides")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [_unique_key("interviewguide")]

    def __str__(self) -> str:
        return f"{self.name} ({self.guide_version})"
