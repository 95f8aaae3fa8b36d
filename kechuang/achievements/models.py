from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.achievements.choices import AchievementForm, AchievementSource, AchievementStatus, TransferMode
from kechuang.core.fields import (
    WAN_YUAN,
    WAN_YUAN_CEILING,
    BoundedDateField,
    ChoiceSetField,
    MoneyField,
    YearField,
)
from kechuang.core.models import (
    EncryptedTextField,
    IndustryChain,
    IndustryClass,
    LibraryRecordMixin,
    ReadinessLevel,
    TechField,
)
from kechuang.core.search import SearchIndex


class FundedProject(models.Model):
    """A project funded by the city whose results must be registered (成果登记汇交).
    The bureau loads them; the programmes app links its awarded projects here."""

    reference = models.CharField(_("project reference"), max_length=40, unique=True)
    title = models.CharField(_("project title"), max_length=200)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="funded_projects",
                                     verbose_name=_("organisation"))
    programme = models.CharField(_("programme"), max_length=100, blank=True)
    year = YearField(_("year"))
    amount = MoneyField(_("funding (10,000 yuan)"), unit=WAN_YUAN, high=WAN_YUAN_CEILING, null=True, blank=True)
    accepted_on = BoundedDateField(_("accepted on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "reference"]
        verbose_name = _("funded project")
        verbose_name_plural = _("funded projects")

    def __str__(self):
        return f"{self.reference} {self.title}"


class Achievement(LibraryRecordMixin, models.Model):
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("full description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True,
                                help_text=_("Separated by commas or spaces."))
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="achievements",
                              verbose_name=_("owner organisation"))
    tech_field = models.ForeignKey(TechField, null=True, blank=True, on_delete=models.PROTECT,
                                   verbose_name=_("high-tech field"))
    industry = models.ForeignKey(IndustryClass, null=True, blank=True, on_delete=models.PROTECT,
                                 verbose_name=_("industry"))
    chain = models.ForeignKey(IndustryChain, null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("industry chain"))
    readiness = models.ForeignKey(ReadinessLevel, null=True, blank=True, on_delete=models.PROTECT,
                                  verbose_name=_("technology readiness level"))
    form = models.CharField(_("form"), max_length=20, choices=AchievementForm.choices, default=AchievementForm.OTHER)
    patent_numbers = models.TextField(_("patent numbers"), blank=True, help_text=_("One per line."))
    transfer_modes = ChoiceSetField(_("transfer modes"), choices_class=TransferMode)
    price = MoneyField(_("asking price (10,000 yuan)"), unit=WAN_YUAN, high=WAN_YUAN_CEILING, null=True,
                       blank=True)
    price_negotiable = models.BooleanField(_("price negotiable"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=AchievementSource.choices,
                              default=AchievementSource.SELF)
    funded_project = models.ForeignKey(FundedProject, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="achievements", verbose_name=_("funded project"))
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=AchievementStatus.choices,
                              default=AchievementStatus.DRAFT, db_index=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    external_id = models.CharField(max_length=60, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    search_tokens = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # Facet keys copied from the related rows (see `set_facet_keys`), so that counting and
    # filtering facets never joins.
    facet_field = models.CharField(max_length=20, blank=True, editable=False)
    facet_section = models.CharField(max_length=20, blank=True, editable=False)
    facet_district = models.CharField(max_length=20, blank=True, editable=False)
    facet_trl = models.PositiveSmallIntegerField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"]), models.Index(fields=["status", "facet_field"]),
                   models.Index(fields=["status", "facet_section"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source="funded") | models.Q(funded_project__isnull=False),
                name="funded_achievement_names_its_project",
            ),
        ]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")

    def __str__(self):
        return self.name

    def set_facet_keys(self, keys: "FacetKeys | None" = None) -> None:
        keys = keys or FacetKeys()
        self.facet_field = keys.field_root.get(self.tech_field_id, "")
        self.facet_section = keys.section.get(self.industry_id, "")
        self.facet_district = keys.district_of(self.owner_id)
        self.facet_trl = keys.level.get(self.readiness_id)

    @property
    def patent_number_list(self) -> list[str]:
        return [line.strip() for line in self.patent_numbers.splitlines() if line.strip()]


ACHIEVEMENT_INDEX = SearchIndex(table="achievements_achievement")


class FacetKeys:
    """Reference rows as dictionaries, loaded once for a batch of records."""

    def __init__(self):
        fields = dict(TechField.objects.values_list("pk", "code"))
        self.field_root = {pk: fields.get(parent, code) if parent else code
                           for pk, code, parent in TechField.objects.values_list("pk", "code", "parent_id")}
        industries = dict(IndustryClass.objects.values_list("pk", "code"))
        self.section = {pk: industries.get(parent, code) if parent else code
                        for pk, code, parent in IndustryClass.objects.values_list("pk", "code", "parent_id")}
        self.level = dict(ReadinessLevel.objects.values_list("pk", "level"))
        self._districts = {}

    def district_of(self, organization_id) -> str:
        if organization_id not in self._districts:
            self._districts[organization_id] = (Organization.objects.filter(pk=organization_id)
                                                .values_list("district__code", flat=True).first() or "")
        return self._districts[organization_id]


class Completer(models.Model):
    """A person who completed the achievement (成果完成人), in the order of the record."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="completers")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=60, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["achievement", "order"], name="one_completer_per_position")]

    def __str__(self):
        return self.name


class AchievementVersion(models.Model):
    """A snapshot taken at each publication and at each edit of a published record."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField()
    changed_fields = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["achievement", "number"], name="one_snapshot_per_version")]

    def __str__(self):
        return f"{self.achievement_id} v{self.number}"
