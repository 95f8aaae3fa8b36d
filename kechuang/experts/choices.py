from django.db import models
from django.utils.translation import gettext_lazy as _


class SpecialistKind(models.TextChoices):
    EXPERT = "expert", _("expert")
    BROKER = "broker", _("technology broker")


class Sector(models.TextChoices):
    ACADEMIC = "academic", _("academic")
    ENTERPRISE = "enterprise", _("enterprise")
