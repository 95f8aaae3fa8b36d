from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    NSF_RESEARCH = "nsf_research", _("Natural science fund: research series")
    NSF_TALENT = "nsf_talent", _("Natural science fund: talent series")
    NSF_ENVIRONMENT = "nsf_environment", _("Natural science fund: environment series")
    JOINT_FUND = "joint_fund", _("Enterprise joint fund")
    CHALLENGE = "challenge", _("Open competition challenge")
    TALENT = "talent", _("Talent programme")
    OTHER = "other", _("Other")


NATURAL_SCIENCE_FUND = (ProgrammeKind.NSF_RESEARCH, ProgrammeKind.NSF_TALENT, ProgrammeKind.NSF_ENVIRONMENT,
                        ProgrammeKind.JOINT_FUND)


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    TABLE = "table", _("Table rows")
    ATTACHMENT = "attachment", _("Attachment")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    INELIGIBLE = "ineligible", _("Rejected at the eligibility check")
    ELIGIBLE = "eligible", _("Passed the eligibility check")
    IN_REVIEW = "in_review", _("In expert review")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Applications that count against the per-organisation and per-person limits.
COUNTED_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED, ApplicationStatus.ELIGIBLE,
                    ApplicationStatus.IN_REVIEW, ApplicationStatus.AWARDED, ApplicationStatus.NOT_AWARDED)
DECIDED_STATUSES = (ApplicationStatus.AWARDED, ApplicationStatus.NOT_AWARDED)


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SUBMITTED = "submitted", _("Review submitted")


ACTIVE_ASSIGNMENTS = (AssignmentStatus.PROPOSED, AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED,
                      AssignmentStatus.SUBMITTED)


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    ACCEPTANCE = "acceptance", _("Under acceptance")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Failed acceptance")
    CLOSED = "closed", _("Closed")


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting report")
    REPORTED = "reported", _("Reported")
    PASSED = "passed", _("Passed")
    NEEDS_WORK = "needs_work", _("Needs rework")


class Verdict(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
