from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentStatus(models.TextChoices):
    AVAILABLE = "available", _("Open for use")
    MAINTENANCE = "maintenance", _("Under maintenance")
    RETIRED = "retired", _("Retired")


class PriceUnit(models.TextChoices):
    HOUR = "hour", _("per hour")
    SAMPLE = "sample", _("per sample")


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


# Bookings that hold their time slot.
HOLDING = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


class PurchaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In expert review")
    APPROVED = "approved", _("Purchase approved")
    REJECTED = "rejected", _("Purchase not approved")


class Opinion(models.TextChoices):
    SUPPORT = "support", _("Support the purchase")
    OPPOSE = "oppose", _("Use shared instruments instead")
