"""Open-competition challenges (揭榜挂帅) and the parallel track (赛马制), run on the programme
engine: each challenge has its own call, and solver teams are that call's applications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.challenges.choices import ChallengeStatus, StageDecision
from kechuang.core.fields import BoundedDateField, MoneyField, SmallCountField, YearField
from kechuang.demands.models import Demand
from kechuang.programs.models import MONEY, Application, Call

MAX_TEAMS, MAX_PHASES = 20, 10


class ChallengeList(models.Model):
    """榜单: the quarter's open-competition challenges, built from the demands marked as candidates."""

    year = YearField(_("year"))
    quarter = SmallCountField(_("quarter"), low=1, high=4, choices=[(q, f"Q{q}") for q in range(1, 5)])
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("challenge list")
        constraints = [models.UniqueConstraint(fields=["year", "quarter"], name="one_challenge_list_per_quarter")]

    def __str__(self):
        return _("Challenge list of %(year)s, quarter %(quarter)s") % {"year": self.year, "quarter": self.quarter}


class Challenge(models.Model):
    """揭榜挂帅: one enterprise's problem on the list. Solver teams apply through the challenge's
    call, each with a named lead (the application's project lead); in the parallel track (赛马制)
    up to `max_teams` are funded for the first phase, an assessment after each phase continues,
    eliminates or merges teams, and the rest of the budget goes to the winners."""

    challenge_list = models.ForeignKey(ChallengeList, on_delete=models.PROTECT, related_name="challenges")
    demand = models.OneToOneField(Demand, on_delete=models.PROTECT, related_name="challenge")
    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="challenge")
    setter = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="challenges",
                               verbose_name=_("enterprise that set the challenge"))
    goals = models.TextField(_("goals and indicators"))
    budget = MoneyField(_("budget (10,000 yuan)"), **MONEY, positive=True)
    deadline = BoundedDateField(_("deadline for solver teams"))
    max_teams = SmallCountField(_("teams funded in phase one (K)"), low=1, high=MAX_TEAMS, default=3)
    phase_one_amount = MoneyField(_("phase-one funding per team (10,000 yuan)"), **MONEY, positive=True)
    phases = SmallCountField(_("phases"), low=1, high=MAX_PHASES, default=2)
    current_phase = SmallCountField(high=MAX_PHASES, default=0)
    status = models.CharField(_("status"), max_length=10, choices=ChallengeStatus.choices,
                              default=ChallengeStatus.DRAFT)

    class Meta:
        ordering = ["challenge_list", "pk"]
        verbose_name = _("challenge")

    def __str__(self):
        return self.call.title


class StageAssessment(models.Model):
    """One team's outcome at the end of one phase of the parallel track."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="assessments")
    phase = SmallCountField(_("phase"), low=1, high=MAX_PHASES)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="stage_assessments",
                                    verbose_name=_("solver team"))
    decision = models.CharField(_("decision"), max_length=10, choices=StageDecision.choices)
    merged_into = models.ForeignKey(Application, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("merged into"))
    note = models.TextField(_("assessment"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["challenge", "phase", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "phase", "application"], name="one_outcome_per_team_phase"),
            models.CheckConstraint(condition=~Q(decision=StageDecision.MERGE) | Q(merged_into__isnull=False),
                                   name="merge_names_its_target"),
        ]

    def __str__(self):
        return f"{self.application} · {self.phase} · {self.get_decision_display()}"
