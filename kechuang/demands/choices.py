from django.db import models
from django.utils.translation import gettext_lazy as _


class CooperationMode(models.TextChoices):
    ASSIGNMENT = "assignment", _("Technology assignment")
    LICENCE = "licence", _("Technology licence")
    COMMISSIONED = "commissioned", _("Commissioned development")
    JOINT = "joint", _("Joint development")
    EQUITY = "equity", _("Equity investment")
    CONSULTING = "consulting", _("Consulting and services")


class DemandStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")
    MATCHMAKING = "matchmaking", _("In matchmaking")
    SOLVED = "solved", _("Solved")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PUBLIC_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.MATCHMAKING, DemandStatus.SOLVED)
# The statuses in the full-text and matching indexes (other apps read them, so they live here).
INDEXED = frozenset({DemandStatus.PUBLISHED, DemandStatus.MATCHMAKING, DemandStatus.SOLVED})
