from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    INTENT = "intent", _("intent expressed")
    ACCEPTED = "accepted", _("in progress")
    DECLINED = "declined", _("declined")
    SIGNED = "signed", _("contract signed")
    CLOSED = "closed", _("closed")


class Side(models.TextChoices):
    DEMAND = "demand", _("demand side")
    SUPPLY = "supply", _("achievement side")


class EventKind(models.TextChoices):
    INTENT = "intent", _("intent expressed")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    ASSIGNED = "assigned", _("assigned")
    MEETING = "meeting", _("meeting")
    NOTE = "note", _("note")
    SIGNED = "signed", _("contract signed")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = frozenset({CaseStatus.INTENT, CaseStatus.ACCEPTED})

SIGNAL_LABELS = {
    "same_field": _("same technology field"), "same_industry": _("same industry"),
    "same_chain": _("same industry chain"), "same_district": _("same district"),
    "readiness": _("readiness meets the need"), "budget": _("price within the budget"),
    "freshness": _("recently published"),
}

RECORD_KIND_LABELS = {"achievement": _("achievements"), "demand": _("demands"), "expert": _("experts"),
                      "broker": _("technology brokers")}
