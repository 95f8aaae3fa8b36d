"""The specialist pool: experts (review, consultation) and technology brokers (技术经纪人).

Brokers' profiles live here rather than in the transfer app because matching, which recommends
them, sits below transfer in the app DAG (ADR 0011)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.core.fields import SmallCountField
from kechuang.core.models import District, IndustryClass, LibraryRecordMixin, TechField
from kechuang.experts.choices import Sector, SpecialistKind


class SpecialistProfile(LibraryRecordMixin, models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="specialist_profiles")
    kind = models.CharField(_("kind"), max_length=10, choices=SpecialistKind.choices)
    display_name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("professional title"), max_length=60, blank=True)
    employer = models.CharField(_("employer"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices, default=Sector.ACADEMIC)
    tech_field = models.ForeignKey(TechField, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("technology field"))
    industry = models.ForeignKey(IndustryClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("industry"))
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"))
    keywords = models.CharField(_("keywords"), max_length=200, blank=True,
                                help_text=_("Separate keywords with commas."))
    expertise = models.TextField(_("expertise"), help_text=_("What problems you can help with, in a few sentences."))
    available = models.BooleanField(_("available for new work"), default=True)
    max_load = SmallCountField(_("maximum open cases or reviews"), high=100, default=10)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("specialist profile")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_profile_per_user_and_kind")]

    def __str__(self):
        return f"{self.display_name} ({self.get_kind_display()})"


class DeclaredConflict(models.Model):
    """An organisation an expert declares a conflict of interest with (回避): the expert is never
    assigned to its applications."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organisation"))
    reason = models.CharField(_("reason"), max_length=200)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        constraints = [models.UniqueConstraint(fields=["expert", "organization"], name="one_declaration_per_org")]

    def __str__(self):
        return f"{self.expert} ⟂ {self.organization}"
