from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    HOSPITAL = "hospital", _("Hospital")
    FINANCIAL = "financial", _("Financial institution")
    TRANSFER = "transfer", _("Technology transfer institution")
    INCUBATOR = "incubator", _("Incubator")
    GOVERNMENT = "government", _("Government department")
    OTHER = "other", _("Other")


class OrganizationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class OrgRole(models.TextChoices):
    ADMIN = "org_admin", _("Organisation admin")
    MEMBER = "member", _("Member")


class PlatformRole(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("Bureau admin")
    BUREAU_OFFICER = "bureau_officer", _("Bureau officer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    EXPERT = "expert", _("Expert")
    BROKER = "broker", _("Technology broker")
    PROVIDER = "provider", _("Instrument provider")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
