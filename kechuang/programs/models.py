"""Programmes, calls, applications, expert review, awarded projects and joint-fund ledgers."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import OrganizationKind
from kechuang.accounts.models import Organization
from kechuang.achievements.models import FundedProject
from kechuang.core.fields import (
    WAN_YUAN,
    WAN_YUAN_CEILING,
    BoundedDateField,
    BoundedDateTimeField,
    BoundedDecimalField,
    ChoiceSetField,
    MoneyField,
    SmallCountField,
    YearField,
)
from kechuang.core.models import District, TechField
from kechuang.programs.choices import (
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    MilestoneStatus,
    ProgrammeKind,
    ProjectStatus,
    Verdict,
)

MONEY = {"unit": WAN_YUAN, "high": WAN_YUAN_CEILING}


class Programme(models.Model):
    """A standing programme (the natural science fund's series, a joint fund, a talent programme)
    under which the bureau opens calls."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    description = models.TextField(_("description"), blank=True)
    sponsor = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="sponsored_programmes", verbose_name=_("sponsoring enterprise"))
    naming_threshold = MoneyField(_("contribution that earns naming rights (10,000 yuan)"), **MONEY, positive=True,
                                  default=Decimal("1000"))
    topic_fields = models.ManyToManyField(TechField, blank=True, related_name="+",
                                          verbose_name=_("topic areas (joint funds: the sponsor's fields)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("programme")
        constraints = [
            models.CheckConstraint(condition=~Q(kind=ProgrammeKind.JOINT_FUND) | Q(sponsor__isnull=False),
                                   name="joint_fund_has_sponsor"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def contributed(self) -> Decimal:
        return self.contributions.aggregate(total=Sum("amount"))["total"] or Decimal("0")

    @property
    def is_named(self) -> bool:
        """冠名: a joint fund carries the sponsor's name once the contributions reach the threshold."""
        return self.kind == ProgrammeKind.JOINT_FUND and self.contributed >= self.naming_threshold

    @property
    def display_name(self) -> str:
        if self.is_named:
            return _("%(name)s (named after %(sponsor)s)") % {"name": self.name, "sponsor": self.sponsor.name}
        return self.name


class JointFundContribution(models.Model):
    """One payment of the sponsor into a joint fund; rows are only ever added."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="contributions")
    amount = MoneyField(_("amount (10,000 yuan)"), **MONEY, positive=True)
    received_on = BoundedDateField(_("received on"))
    reference = models.CharField(_("payment reference"), max_length=60, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.programme} +{self.amount}"


class Call(models.Model):
    """批次: one call for applications, open between two server times."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls",
                                  verbose_name=_("programme"))
    title = models.CharField(_("title"), max_length=160)
    year = YearField(_("year"))
    guide = models.TextField(_("call guide"), blank=True)
    opens_at = BoundedDateTimeField(_("opens at"))
    closes_at = BoundedDateTimeField(_("closes at"))
    budget = MoneyField(_("budget (10,000 yuan)"), **MONEY, positive=True)
    max_award = MoneyField(_("largest award (10,000 yuan)"), **MONEY, positive=True, null=True, blank=True)
    eligible_kinds = ChoiceSetField(_("eligible organisation kinds"), choices_class=OrganizationKind,
                                    help_text=_("Leave empty to admit every kind."))
    eligible_districts = models.ManyToManyField(District, blank=True, related_name="+",
                                                verbose_name=_("eligible districts"),
                                                help_text=_("Leave empty to admit every district."))
    require_verified = models.BooleanField(_("only verified organisations"), default=True)
    exclude_overdue = models.BooleanField(_("refuse organisations with overdue projects"), default=True)
    max_per_organization = SmallCountField(_("applications per organisation"), high=1000, default=0,
                                           help_text=_("0 means no limit."))
    max_per_person = SmallCountField(_("applications per person"), high=100, default=1,
                                     help_text=_("0 means no limit."))
    form_schema = models.JSONField(_("application form"), default=list, blank=True)
    criteria = models.JSONField(_("review criteria"), default=list, blank=True)
    reviewers_per_application = SmallCountField(_("reviewers per application"), low=1, high=50, default=3)
    enterprise_reviewers = SmallCountField(_("enterprise experts per panel (at least)"), high=50, default=0)
    blind_review = models.BooleanField(_("blind review (experts do not see the applicant)"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("call")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def is_frozen(self) -> bool:
        """Form and criteria may not change once the call has opened."""
        return self.status == CallStatus.PUBLISHED and timezone.now() >= self.opens_at

    @property
    def eligible_kind_labels(self) -> list[str]:
        labels = dict(OrganizationKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.eligible_kinds]

    @property
    def phase(self) -> str:
        if self.status != CallStatus.PUBLISHED:
            return self.get_status_display()
        now = timezone.now()
        if now < self.opens_at:
            return str(_("Not yet open"))
        return str(_("Open") if now < self.closes_at else _("Closed"))


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    reference = models.CharField(_("reference"), max_length=30, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications",
                                  verbose_name=_("project lead"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="applications",
                                     verbose_name=_("applying organisation"))
    partners = models.ManyToManyField(Organization, blank=True, related_name="partner_applications",
                                      verbose_name=_("co-applicant organisations"))
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("project summary"), max_length=2000, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True,
                                help_text=_("Separate keywords with commas."))
    tech_field = models.ForeignKey(TechField, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("technology field"))
    requested_amount = MoneyField(_("requested funding (10,000 yuan)"), **MONEY, positive=True)
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    return_reason = models.TextField(_("reason"), blank=True)
    awarded_amount = MoneyField(_("awarded amount (10,000 yuan)"), **MONEY, null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("application")
        constraints = [
            models.CheckConstraint(condition=~Q(status=ApplicationStatus.AWARDED) | Q(awarded_amount__gt=0),
                                   name="award_has_amount"),
        ]

    def __str__(self):
        return self.title


class ReviewAssignment(models.Model):
    """One expert on one application's panel, from the proposal to the submitted review."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments",
                               verbose_name=_("expert"))
    status = models.CharField(_("status"), max_length=10, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.PROPOSED)
    affinity = models.FloatField(_("affinity"), default=0)
    enterprise_expert = models.BooleanField(default=False)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    weighted_score = BoundedDecimalField(_("weighted score"), low=Decimal("0"), high=Decimal("100"), max_digits=6,
                                         decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("review comment"), blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="one_assignment_per_expert"),
            models.CheckConstraint(condition=~Q(status=AssignmentStatus.SUBMITTED) | Q(weighted_score__isnull=False),
                                   name="submitted_review_has_score"),
        ]

    def __str__(self):
        return f"{self.application} ← {self.expert}"


class Project(models.Model):
    """An awarded application: the task book, the money schedule, milestones and acceptance."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="project")
    funded_project = models.OneToOneField(FundedProject, on_delete=models.PROTECT, related_name="programme_project")
    amount = MoneyField(_("award (10,000 yuan)"), **MONEY, positive=True)
    starts_on = BoundedDateField(_("starts on"))
    ends_on = BoundedDateField(_("ends on"))
    objectives = models.TextField(_("objectives"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    indicators = models.TextField(_("assessment indicators"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    acceptance_opinion = models.TextField(_("acceptance opinion"), blank=True)
    accepted_on = BoundedDateField(_("accepted on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("project")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="project_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.funded_project.reference} {self.application.title}"


class Disbursement(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="disbursements")
    stage = models.CharField(_("stage"), max_length=60)
    planned_on = BoundedDateField(_("planned for"))
    amount = MoneyField(_("amount (10,000 yuan)"), **MONEY, positive=True)
    paid_on = BoundedDateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "pk"]

    def __str__(self):
        return f"{self.stage} {self.amount}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=120)
    due_on = BoundedDateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.PENDING)
    report = models.TextField(_("progress report"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    assessment = models.TextField(_("officer's assessment"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class AcceptanceVote(models.Model):
    """One panel expert's verdict at acceptance (验收)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="acceptance_votes")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("expert"))
    verdict = models.CharField(_("verdict"), max_length=4, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "expert"], name="one_vote_per_expert")]

    def __str__(self):
        return f"{self.project} · {self.expert}"
