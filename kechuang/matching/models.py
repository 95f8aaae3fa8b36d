from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.achievements.models import Achievement
from kechuang.core.fields import WAN_YUAN, WAN_YUAN_CEILING, BoundedDateField, BoundedDateTimeField, MoneyField
from kechuang.demands.models import Demand
from kechuang.matching.choices import OPEN_STATUSES, CaseStatus, EventKind, Side


class Matchmaking(models.Model):
    """供需对接: one demand-achievement pair followed from intent to a contract."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="matchmakings",
                               verbose_name=_("demand"))
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="matchmakings",
                                    verbose_name=_("achievement"))
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.INTENT,
                              db_index=True)
    initiated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    initiator_side = models.CharField(_("initiated by"), max_length=6, choices=Side.choices)
    message = models.TextField(_("message"), blank=True)
    broker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="brokered_cases", verbose_name=_("broker"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="supervised_cases", verbose_name=_("bureau officer"))
    match_score = models.FloatField(_("match strength"), null=True, blank=True)
    contract_amount = MoneyField(_("contract amount (10,000 yuan)"), unit=WAN_YUAN, high=WAN_YUAN_CEILING,
                                 null=True, blank=True)
    contract_date = BoundedDateField(_("contract date"), null=True, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("matchmaking case")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "achievement"], condition=Q(status__in=OPEN_STATUSES),
                                    name="one_open_case_per_pair"),
            models.CheckConstraint(condition=~Q(status=CaseStatus.SIGNED)
                                   | (Q(contract_amount__gt=0) & Q(contract_date__isnull=False)),
                                   name="signed_case_has_contract"),
        ]

    def __str__(self):
        return f"{self.demand} ↔ {self.achievement}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MatchmakingEvent(models.Model):
    case = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), blank=True)
    meeting_at = BoundedDateTimeField(_("meeting time"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d}"


class RecommendationFeedback(models.Model):
    """A user's verdict on one recommendation: `source` was matched to `target` (record keys
    such as demand:7 and achievement:12)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=40)
    target = models.CharField(max_length=40)
    useful = models.BooleanField()
    strength = models.FloatField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "source", "target"], name="one_verdict_per_pair")]

    def __str__(self):
        return f"{self.source} → {self.target}: {'+' if self.useful else '-'}"


class NotifiedMatch(models.Model):
    """A strong match already announced, so the nightly task announces only new ones."""

    source = models.CharField(max_length=40)
    target = models.CharField(max_length=40)
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="notify_each_match_once")]

    def __str__(self):
        return f"{self.source} → {self.target}"
