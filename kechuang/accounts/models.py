from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import (
    InvitationStatus,
    OrganizationKind,
    OrganizationStatus,
    OrgRole,
    PlatformRole,
)
from kechuang.core.crypto import blind_index
from kechuang.core.masking import mask_id_card, mask_mobile
from kechuang.core.models import District, EncryptedTextField
from kechuang.core.validators import normalize_mobile, normalize_uscc, validate_uscc


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_mobile(self, mobile):
        return self.get(mobile_digest=blind_index(normalize_mobile(mobile)))


class User(AbstractBaseUser):
    """A person. Signs in with the e-mail address or the mobile number and a password."""

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    mobile = EncryptedTextField(_("mobile number"), blank=True, default="")
    mobile_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)
    id_card = EncryptedTextField(_("ID card number"), blank=True, default="")
    id_card_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.mobile = normalize_mobile(self.mobile)
        self.mobile_digest = blind_index(self.mobile) if self.mobile else None
        self.id_card = (self.id_card or "").strip().upper()
        self.id_card_digest = blind_index(self.id_card) if self.id_card else None
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return self.name or self.email

    @property
    def mobile_masked(self):
        return mask_mobile(self.mobile)

    @property
    def id_card_masked(self):
        return mask_id_card(self.id_card)

    # Platform roles -----------------------------------------------------------------------

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def is_bureau_admin(self):
        return self.has_role(PlatformRole.BUREAU_ADMIN)

    @property
    def is_bureau_staff(self):
        return self.has_role(PlatformRole.BUREAU_ADMIN, PlatformRole.BUREAU_OFFICER)

    @property
    def is_finance_officer(self):
        return self.has_role(PlatformRole.FINANCE_OFFICER)

    # Organisation --------------------------------------------------------------------------

    @cached_property
    def organization(self):
        membership = Membership.objects.select_related("organization").filter(user=self).first()
        return membership.organization if membership else None

    @cached_property
    def org_role(self):
        return Membership.objects.filter(user=self).values_list("role", flat=True).first()

    @property
    def is_org_admin(self):
        return self.org_role == OrgRole.ADMIN


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=PlatformRole.choices)
    department = models.CharField(_("department"), max_length=60, blank=True)
    granted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]
        ordering = ["role"]

    def __str__(self):
        return self.get_role_display()


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("district"))
    address = models.CharField(_("address"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = EncryptedTextField(_("contact phone"))
    contact_phone_digest = models.CharField(max_length=64, db_index=True, editable=False, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=OrganizationStatus.choices, default=OrganizationStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    verified_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.uscc = normalize_uscc(self.uscc)
        self.contact_phone = normalize_mobile(self.contact_phone)
        self.contact_phone_digest = blind_index(self.contact_phone) if self.contact_phone else ""
        super().save(*args, **kwargs)

    @property
    def contact_phone_masked(self):
        return mask_mobile(self.contact_phone)

    @property
    def is_verified(self):
        return self.status == OrganizationStatus.VERIFIED


class Membership(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role in the organisation"), max_length=12, choices=OrgRole.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization", "-role", "user__name"]

    def __str__(self):
        return f"{self.user} @ {self.organization}"


class Invitation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role in the organisation"), max_length=12, choices=OrgRole.choices)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_open(self):
        return self.status == InvitationStatus.PENDING and self.expires_at > timezone.now()


class AccessToken(models.Model):
    """A personal access token for the API. Only its SHA-256 digest is stored. It works until it
    is revoked, until `expires_at`, and only while the user keeps the password they had when it
    was made: `password_stamp` is the user's session hash at creation (an HMAC of the password
    hash, as Django's sessions use), so any change of the password, by the user, a reset or an
    administrator, retires every token."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    password_stamp = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.revoked_at is None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def outlived_password(self):
        return not constant_time_compare(self.password_stamp, self.user.get_session_auth_hash())

    @property
    def state(self) -> str:
        """"active", "revoked", "expired" or "password_changed" (the first that applies)."""
        if not self.is_active:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "password_changed" if self.outlived_password else "active"


class SignInThrottle(models.Model):
    """Failed sign-ins from one client address: all of them (`account` empty) or those against
    one account (`user:<pk>`, or `login:<digest>` for a login no account has, so that the two
    behave alike). A counter over its limit blocks with a delay that doubles per further failure
    (ADR 6); failures blocked do not count, and a counter quiet long enough starts again."""

    address = models.CharField(max_length=45)
    account = models.CharField(max_length=80, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(default=timezone.now)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "account"], name="one_throttle_per_key")]

    def __str__(self):
        return f"{self.address} {self.account or '*'}: {self.failures}"

    def is_blocked(self, now) -> bool:
        return self.blocked_until is not None and self.blocked_until > now
