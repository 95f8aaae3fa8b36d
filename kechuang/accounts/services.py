"""Writes of accounts and organisations: one transaction each, locked, audited."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts import policies
from kechuang.accounts.backends import find_user_by_login
from kechuang.accounts.choices import InvitationStatus, OrgRole, PlatformRole
from kechuang.accounts.models import (
    AccessToken,
    Invitation,
    Membership,
    Organization,
    RoleGrant,
    SignInThrottle,
    User,
)
from kechuang.accounts.workflow import ORGANIZATION_WORKFLOW
from kechuang.core.crypto import blind_index
from kechuang.core.errors import DomainError
from kechuang.core.files import DOCUMENTS, attachment_store
from kechuang.core.masking import mask_email, mask_mobile
from kechuang.core.request_context import current_ip
from kechuang.core.services import audit_record, notify
from kechuang.core.tasks import send_plain_email
from kechuang.core.validators import normalize_mobile

INVITATION_VALID_FOR = timedelta(days=7)
TOKEN_PREFIX = "kc_"


def masked_login(login: str) -> str:
    login = (login or "").strip()
    return mask_email(login) if "@" in login else mask_mobile(normalize_mobile(login))


# --- sign-in -----------------------------------------------------------------------------


def hash_anyway(password: str) -> None:
    """The work of checking a password, where there is none to check: unknown accounts and
    blocked attempts take as long as a wrong password (Django's ModelBackend does the same)."""
    make_password(password)


def _throttle_key(login: str, user: User | None) -> str:
    if user is not None:
        return f"user:{user.pk}"
    login = (login or "").strip().lower()
    return "login:" + blind_index(login if "@" in login else normalize_mobile(login))


def _throttles(address: str, account: str, *, create: bool = False) -> list[tuple[SignInThrottle, int]]:
    """The address's own counter and the (account, address) one, locked, each with its limit;
    only those that exist unless `create`."""
    rows = []
    for key, limit in (("", settings.LOGIN_ADDRESS_FAILURE_LIMIT), (account, settings.LOGIN_FAILURE_LIMIT)):
        locked = SignInThrottle.objects.select_for_update()
        row = locked.get_or_create(address=address, account=key)[0] if create else locked.filter(
            address=address, account=key).first()
        if row is not None:
            rows.append((row, limit))
    return rows


def _count_failure(row: SignInThrottle, limit: int, now) -> bool:
    """Counts one failure; True when it starts a block."""
    quiet_since = max(row.last_failure_at, row.blocked_until or row.last_failure_at)
    if now - quiet_since > settings.LOGIN_FAILURE_MEMORY:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    beyond = row.failures - limit
    if beyond >= 0:
        row.blocked_until = now + min(settings.LOGIN_BLOCK * 2 ** min(beyond, 20), settings.LOGIN_BLOCK_MAX)
    row.save()
    return beyond >= 0


@transaction.atomic
def sign_in(*, login: str, password: str) -> User | None:
    """Checks credentials under the throttles of ADR 6: failures count per client address and per
    (account, address), and a counter past its limit blocks that address with a growing delay.
    Every attempt hashes the password once, whether the account exists, the attempt is blocked or
    not, and the caller shows one message for every failure: neither the answer nor its timing
    tells whether an account exists, the password was right, or a block applied."""
    found = find_user_by_login(login)
    address, account = current_ip.get() or "", _throttle_key(login, found)
    now = timezone.now()
    label = masked_login(login)
    blocked = [row.account or "address" for row, _limit in _throttles(address, account) if row.is_blocked(now)]
    if blocked:
        hash_anyway(password)
        audit_record("auth.login_throttled", obj=found, actor_label=label, changes={"blocked": blocked})
        return None
    user = User.objects.select_for_update().get(pk=found.pk) if found is not None else None
    if user is None:
        hash_anyway(password)
    elif user.check_password(password) and user.is_active:
        SignInThrottle.objects.filter(address=address, account=account).delete()
        user.last_login = now
        user.save(update_fields=["last_login"])
        audit_record("auth.login", by=user, obj=user)
        return user
    throttles = _throttles(address, account, create=True)
    starts_block = [_count_failure(row, limit, now) for row, limit in throttles]
    changes = {"address_failures": throttles[0][0].failures, "account_failures": throttles[1][0].failures}
    audit_record("auth.login_failed", obj=user, actor_label=label,
                 changes=changes | ({"reason": "unknown"} if user is None else {}))
    for (row, _limit), starts in zip(throttles, starts_block, strict=True):
        if starts:
            audit_record("auth.lockout", obj=user, actor_label=label, changes={
                "scope": "account" if row.account else "address", "blocked_until": row.blocked_until})
    return None


@transaction.atomic
def sign_in_throttles_prune() -> int:
    """Forgets counters that are no longer blocking and would start again anyway."""
    cutoff = timezone.now() - settings.LOGIN_FAILURE_MEMORY
    stale = SignInThrottle.objects.filter(last_failure_at__lt=cutoff).filter(
        Q(blocked_until__isnull=True) | Q(blocked_until__lt=cutoff))
    deleted, _by_model = stale.delete()
    return deleted


def sign_out_recorded(*, user) -> None:
    audit_record("auth.logout", by=user, obj=user)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record("auth.password_changed", by=user, obj=user)


# --- registration and verification --------------------------------------------------------


def _check_unique_account(email: str, mobile: str) -> None:
    errors = {}
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("This e-mail address is already registered.")
    if mobile and User.objects.filter(mobile_digest=blind_index(normalize_mobile(mobile))).exists():
        errors["mobile"] = _("This mobile number is already registered.")
    if errors:
        raise ValidationError(errors)


REGISTRATION_SALT = "kechuang.accounts.registration"
REGISTRATION_VALID_FOR = timedelta(hours=24)


@transaction.atomic
def registration_start(*, email: str) -> None:
    """The first step of registering: the address gets a message, and the caller answers the same
    whatever it says, so nobody learns from the answer whether the address has an account. A new
    address gets the link to the registration form; the owner of an existing account is told that
    someone tried to register with their address."""
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).exists()
    if existing:
        subject = _("Someone tried to register with your e-mail address")
        body = _("Someone asked to register a new organisation on the Kechuang platform with this e-mail "
                 "address, which already has an account. If it was you, sign in with it (or with your mobile "
                 "number): %(link)s . If it was not you, you can ignore this message: nothing has been "
                 "changed.") % {"link": settings.SITE_URL.rstrip("/") + reverse("accounts:login")}
    else:
        token = signing.dumps(email, salt=REGISTRATION_SALT)
        link = settings.SITE_URL.rstrip("/") + reverse("accounts:register_continue", args=[token])
        subject = _("Continue your registration on the Kechuang platform")
        body = _("To register your organisation, open this link within 24 hours and fill in the form: "
                 "%(link)s . If you did not ask for it, ignore this message.") % {"link": link}
    audit_record("registration.started", actor_label=mask_email(email), changes={"existing_account": existing})
    transaction.on_commit(lambda: send_plain_email.enqueue(email, subject, body))


def registration_email(token: str) -> str | None:
    """The address a registration link was sent to, while the link is valid and the address has
    no account yet."""
    try:
        email = signing.loads(token, salt=REGISTRATION_SALT, max_age=REGISTRATION_VALID_FOR)
    except signing.BadSignature:
        return None
    return None if User.objects.filter(email__iexact=email).exists() else email


def _mobile_for_new_account(mobile: str, *, email: str) -> str:
    """A mobile number that already belongs to an account is not given to a new one; the new
    account goes on without it and the number's owner is told by e-mail. The registrant sees the
    same outcome either way, so registering does not tell whether a number has an account."""
    mobile = normalize_mobile(mobile)
    owner = User.objects.filter(mobile_digest=blind_index(mobile)).first() if mobile else None
    if owner is None:
        return mobile
    subject = _("Your mobile number was used in a registration")
    body = _("A new account (%(email)s) was registered on the Kechuang platform with your mobile number "
             "%(mobile)s. The number stays with your account and was not given to the new one. If you did "
             "not expect this, tell the platform's operator.") % {
        "email": mask_email(email), "mobile": mask_mobile(mobile)}
    audit_record("registration.mobile_in_use", obj=owner, actor_label=mask_email(email))
    recipient = owner.email
    transaction.on_commit(lambda: send_plain_email.enqueue(recipient, subject, body))
    return ""


def create_user_account(*, name: str, email: str, mobile: str, password: str) -> User:
    _check_unique_account(email, mobile)
    user = User(email=email.strip().lower(), name=name.strip(), mobile=mobile)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def organization_register(*, name: str, email: str, mobile: str, password: str, organization: dict,
                          licence=None, by=None) -> User:
    """The first user registers the organisation and becomes its admin; the bureau verifies it.
    `by` is a signed-in user without an organisation; otherwise a new account is created for
    `email`, which must come from a registration link (`registration_email`)."""
    if by is not None and by.is_authenticated:
        if not policies.can_register_organization(by):
            raise DomainError(_("You already belong to an organisation."))
        user = by
    else:
        mobile = _mobile_for_new_account(mobile, email=email)
        user = create_user_account(name=name, email=email, mobile=mobile, password=password)
    if Organization.objects.filter(uscc=organization["uscc"].strip().upper()).exists():
        raise ValidationError(
            {"uscc": _("An organisation with this unified social credit code is already registered.")}
        )
    org = Organization(**organization, created_by=user)
    org.full_clean(exclude=["created_by", "verified_by"])
    org.save()
    Membership.objects.create(user=user, organization=org, role=OrgRole.ADMIN)
    if licence is not None:
        attachment_store(uploaded=licence, owner=org, purpose="licence", by=user, allowed=DOCUMENTS)
    audit_record("organization.registered", by=user, obj=org, changes={"kind": org.kind, "uscc": org.uscc})
    reviewers = User.objects.filter(role_grants__role__in=[PlatformRole.BUREAU_OFFICER, PlatformRole.BUREAU_ADMIN])
    for officer in reviewers.distinct():
        notify(officer, title=_("New organisation to verify: %(name)s") % {"name": org.name},
               url=reverse("accounts:verification_detail", args=[org.pk]), email=False)
    return user


def _lock_organization(organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


@transaction.atomic
def organization_verify(*, organization: Organization, by: User) -> Organization:
    org = _lock_organization(organization)
    if not policies.can_view_verification_queue(by):
        raise PermissionDenied
    org.status = ORGANIZATION_WORKFLOW.target(org.status, "verify")
    org.rejection_reason, org.verified_by, org.verified_at = "", by, timezone.now()
    org.save(update_fields=["status", "rejection_reason", "verified_by", "verified_at"])
    audit_record("organization.verified", by=by, obj=org, changes={"status": org.status})
    _notify_admins(org, _("Your organisation has been verified"),
                   _("%(name)s is now verified. You can invite your colleagues.") % {"name": org.name})
    return org


@transaction.atomic
def organization_reject(*, organization: Organization, by: User, reason: str) -> Organization:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the applicant a reason for the rejection.")})
    org = _lock_organization(organization)
    if not policies.can_view_verification_queue(by):
        raise PermissionDenied
    org.status = ORGANIZATION_WORKFLOW.target(org.status, "reject")
    org.rejection_reason, org.verified_by, org.verified_at = reason, by, timezone.now()
    org.save(update_fields=["status", "rejection_reason", "verified_by", "verified_at"])
    audit_record("organization.rejected", by=by, obj=org, changes={"status": org.status, "reason": reason})
    _notify_admins(org, _("Your organisation registration was returned"),
                   _("Reason: %(reason)s. Please correct the details and submit again.") % {"reason": reason})
    return org


@transaction.atomic
def organization_resubmit(*, organization: Organization, by: User, changes: dict) -> Organization:
    org = _lock_organization(organization)
    if not policies.can_resubmit_organization(by, org):
        raise PermissionDenied
    for field, value in changes.items():
        setattr(org, field, value)
    org.full_clean(exclude=["created_by", "verified_by"], validate_unique=True)
    org.status = ORGANIZATION_WORKFLOW.target(org.status, "resubmit")
    org.save()
    audit_record("organization.resubmitted", by=by, obj=org, changes={"fields": sorted(changes)})
    return org


def _notify_admins(org, title, body):
    url = reverse("accounts:my_organization")
    for membership in org.memberships.filter(role=OrgRole.ADMIN).select_related("user"):
        notify(membership.user, title=title, body=body, url=url)


# --- members and invitations --------------------------------------------------------------


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, organization: Organization, email: str, role: str, by: User) -> tuple[Invitation, str]:
    org = _lock_organization(organization)
    if not policies.can_manage_members(by, org):
        raise PermissionDenied
    email = email.strip().lower()
    if Membership.objects.filter(organization=org, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    if Invitation.objects.filter(organization=org, email=email, status=InvitationStatus.PENDING).exists():
        raise ValidationError({"email": _("An invitation to this address is already pending.")})
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=org, email=email, role=role, token_digest=_token_digest(raw), invited_by=by,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    invitation.clean_fields(exclude=["organization", "invited_by", "accepted_by"])  # an address, a known role
    invitation.save()
    audit_record("invitation.created", by=by, obj=org, changes={"email": mask_email(email), "role": role})
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[raw])
    subject = _("%(org)s invites you to the Kechuang platform") % {"org": org.name}
    body = _("%(inviter)s invites you to join %(org)s. Open this link within 7 days: %(link)s") % {
        "inviter": by.display_name, "org": org.name, "link": link}
    transaction.on_commit(lambda: send_plain_email.enqueue(email, subject, body))
    return invitation, raw


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not policies.can_manage_members(by, invitation.organization):
        raise PermissionDenied
    if invitation.status != InvitationStatus.PENDING:
        raise DomainError(_("Only a pending invitation can be revoked."))
    invitation.status = InvitationStatus.REVOKED
    invitation.save(update_fields=["status"])
    audit_record("invitation.revoked", by=by, obj=invitation.organization,
                 changes={"email": mask_email(invitation.email)})


def invitation_find(raw: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("organization").filter(token_digest=_token_digest(raw)).first()
    return invitation if invitation and invitation.is_open else None


@transaction.atomic
def invitation_accept(*, raw_token: str, user: User | None = None, name: str = "", mobile: str = "",
                      password: str = "") -> User:
    """An existing account without an organisation joins; otherwise a new account is created
    for the invited address."""
    found = invitation_find(raw_token)
    if found is None:
        raise DomainError(_("This invitation is invalid, used or expired."))
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if user is None:
        mobile = _mobile_for_new_account(mobile, email=invitation.email)
        user = create_user_account(name=name, email=invitation.email, mobile=mobile, password=password)
    elif user.organization is not None:
        raise DomainError(_("You already belong to an organisation."))
    try:
        with transaction.atomic():
            Membership.objects.create(user=user, organization=invitation.organization, role=invitation.role)
    except IntegrityError as error:
        raise DomainError(_("You already belong to an organisation.")) from error
    invitation.status, invitation.accepted_by = InvitationStatus.ACCEPTED, user
    invitation.save(update_fields=["status", "accepted_by"])
    audit_record("membership.joined", by=user, obj=invitation.organization, changes={"role": invitation.role})
    return user


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    membership = Membership.objects.select_for_update().select_related("organization").get(pk=membership.pk)
    if not policies.can_remove_member(by, membership):
        raise PermissionDenied
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record("membership.role_changed", by=by, obj=membership.organization,
                 changes={"user_id": membership.user_id, "from": old, "to": role})
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    membership = Membership.objects.select_for_update().select_related("organization").get(pk=membership.pk)
    if not policies.can_remove_member(by, membership):
        raise PermissionDenied
    org, user_id = membership.organization, membership.user_id
    Membership.objects.filter(pk=membership.pk).delete()
    audit_record("membership.removed", by=by, obj=org, changes={"user_id": user_id})


# --- platform roles ---------------------------------------------------------------------------


@transaction.atomic
def role_grant(*, user: User, role: str, by: User, department: str = "") -> RoleGrant:
    if not policies.can_assign_roles(by):
        raise PermissionDenied
    if role not in PlatformRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role == PlatformRole.BUREAU_OFFICER and not department.strip():
        raise ValidationError({"department": _("A bureau officer needs a department.")})
    RoleGrant(role=role, department=department.strip()).clean_fields(exclude=["user", "granted_by"])
    user = User.objects.select_for_update().get(pk=user.pk)
    grant, created = RoleGrant.objects.update_or_create(
        user=user, role=role, defaults={"department": department.strip(), "granted_by": by}
    )
    audit_record("role.granted", by=by, obj=user, changes={"role": role, "department": grant.department,
                                                          "new": created})
    return grant


@transaction.atomic
def bureau_admin_bootstrap(*, name: str, email: str, mobile: str, password: str) -> User:
    """The first bureau admin of a deployment, created from the command line."""
    user = create_user_account(name=name, email=email, mobile=mobile, password=password)
    RoleGrant.objects.create(user=user, role=PlatformRole.BUREAU_ADMIN)
    audit_record("role.granted", obj=user, actor_label="create_bureau_admin",
                 changes={"role": PlatformRole.BUREAU_ADMIN})
    return user


@transaction.atomic
def role_revoke(*, user: User, role: str, by: User) -> None:
    if not policies.can_assign_roles(by):
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if role == PlatformRole.BUREAU_ADMIN and user.pk == by.pk:
        raise DomainError(_("You cannot remove your own bureau admin role."))
    deleted, _count = RoleGrant.objects.filter(user=user, role=role).delete()
    if not deleted:
        raise DomainError(_("The user does not have this role."))
    audit_record("role.revoked", by=by, obj=user, changes={"role": role})


# --- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[AccessToken, str]:
    """Only from a browser session: the views and the API's token operations accept no token, so
    a stolen token cannot make itself successors."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = AccessToken.objects.create(
        user=user, name=name[:60], prefix=raw[:10], digest=_token_digest(raw),
        password_stamp=user.get_session_auth_hash(), created_at=now,
        expires_at=now + timedelta(days=settings.KECHUANG_TOKEN_LIFETIME_DAYS),
    )
    audit_record("token.created", by=user, obj=user, changes={"name": token.name, "prefix": token.prefix,
                                                             "expires_at": token.expires_at})
    return token, raw


@transaction.atomic
def token_revoke(*, token: AccessToken, by: User) -> None:
    token = policies.tokens_visible_to(by).select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record("token.revoked", by=by, obj=by, changes={"prefix": token.prefix})


def token_authenticate(raw: str) -> User | None:
    """The token's user, if the token is neither revoked nor expired and the user is active and
    still has the password the token was made under."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = AccessToken.objects.select_related("user").filter(
        digest=_token_digest(raw), revoked_at=None, expires_at__gt=now).first()
    if token is None or not token.user.is_active or token.outlived_password:
        return None
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
