from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.core.fields import WAN_YUAN, WAN_YUAN_CEILING, BoundedDateField, ChoiceSetField, MoneyField
from kechuang.core.models import (
    District,
    EncryptedTextField,
    IndustryChain,
    IndustryClass,
    LibraryRecordMixin,
    ReadinessLevel,
    TechField,
)
from kechuang.core.search import SearchIndex
from kechuang.demands.choices import CooperationMode, DemandStatus


class Demand(LibraryRecordMixin, models.Model):
    title = models.CharField(_("title"), max_length=200)
    public_summary = models.CharField(_("public summary"), max_length=500,
                                      help_text=_("Shown to everyone, also when the details are confidential."))
    description = models.TextField(_("full description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True,
                                help_text=_("Separated by commas or spaces."))
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="demands",
                              verbose_name=_("enterprise"))
    industry = models.ForeignKey(IndustryClass, null=True, blank=True, on_delete=models.PROTECT,
                                 verbose_name=_("industry"))
    tech_field = models.ForeignKey(TechField, null=True, blank=True, on_delete=models.PROTECT,
                                   verbose_name=_("high-tech field"))
    chain = models.ForeignKey(IndustryChain, null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("industry chain"))
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT,
                                 verbose_name=_("district"))
    readiness_needed = models.ForeignKey(ReadinessLevel, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("readiness needed"),
                                         help_text=_("The least technology readiness level the enterprise can use."))
    budget_min = MoneyField(_("budget from (10,000 yuan)"), unit=WAN_YUAN, high=WAN_YUAN_CEILING, null=True,
                            blank=True)
    budget_max = MoneyField(_("budget up to (10,000 yuan)"), unit=WAN_YUAN, high=WAN_YUAN_CEILING, null=True,
                            blank=True)
    deadline = BoundedDateField(_("deadline"), null=True, blank=True)
    cooperation_modes = ChoiceSetField(_("cooperation modes"), choices_class=CooperationMode)
    confidential = models.BooleanField(_("confidential details"), default=False,
                                       help_text=_("Only verified institutions, brokers and the bureau see the full "
                                                   "description."))
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=DemandStatus.choices, default=DemandStatus.DRAFT,
                              db_index=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    challenge_candidate = models.BooleanField(_("challenge list candidate"), default=False)
    challenge_reason = models.TextField(_("reason for the challenge list"), blank=True)
    challenge_marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    external_id = models.CharField(max_length=60, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    search_tokens = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    facet_field = models.CharField(max_length=20, blank=True, editable=False)
    facet_section = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"]), models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True) | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="demand_budget_range_ordered",
            ),
        ]
        verbose_name = _("technology demand")
        verbose_name_plural = _("technology demands")

    def __str__(self):
        return self.title

    def set_facet_keys(self) -> None:
        field, industry = self.tech_field, self.industry
        self.facet_field = (field.parent.code if field.parent_id else field.code) if field else ""
        self.facet_section = (industry.parent.code if industry.parent_id else industry.code) if industry else ""


DEMAND_INDEX = SearchIndex(table="demands_demand")
