from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from kechuang.accounts import policies, selectors, services
from kechuang.accounts.authentication import SESSION_ONLY
from kechuang.accounts.choices import OrgRole, PlatformRole
from kechuang.accounts.models import User

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    name: str
    email: str
    mobile: str
    roles: list[str]
    organization_id: int | None
    org_role: str | None


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    uscc: str
    district: str
    address: str
    contact_name: str
    contact_phone: str
    status: str
    rejection_reason: str
    created_at: datetime
    verified_at: datetime | None


class RejectIn(Schema):
    reason: str


class MemberOut(Schema):
    user_id: int
    name: str
    email: str
    role: str


class InvitationIn(Schema):
    email: str
    role: OrgRole = OrgRole.MEMBER


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    expires_at: datetime


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: str


class NewTokenOut(TokenOut):
    token: str


class RoleIn(Schema):
    role: PlatformRole
    department: str = ""


def organization_out(user, organization) -> dict:
    show_contact = policies.can_view_contact_details(user, organization)
    return {
        "id": organization.pk, "name": organization.name, "kind": organization.kind, "uscc": organization.uscc,
        "district": organization.district.name, "address": organization.address,
        "contact_name": organization.contact_name,
        "contact_phone": organization.contact_phone if show_contact else organization.contact_phone_masked,
        "status": organization.status, "rejection_reason": organization.rejection_reason,
        "created_at": organization.created_at, "verified_at": organization.verified_at,
    }


@router.get("/me", response=MeOut, url_name="me")
def me(request):
    return {**me_of(request.user), "mobile": request.user.mobile}


@router.get("/organizations", response=list[OrganizationOut], url_name="organization_list")
@paginate
def organization_list(request, status: str = "", kind: str = "", q: str = ""):
    organizations = selectors.organization_list(request.user, status=status, kind=kind, query=q)
    return [organization_out(request.user, organization) for organization in organizations]


@router.get("/organizations/{int:pk}", response=OrganizationOut, url_name="organization_detail")
def organization_detail(request, pk: int):
    return organization_out(request.user, selectors.organization_get(request.user, pk))


@router.post("/organizations/{int:pk}/verify", response=OrganizationOut, url_name="organization_verify")
def organization_verify(request, pk: int):
    organization = selectors.organization_get(request.user, pk)
    return organization_out(request.user, services.organization_verify(organization=organization, by=request.user))


@router.post("/organizations/{int:pk}/reject", response=OrganizationOut, url_name="organization_reject")
def organization_reject(request, pk: int, payload: RejectIn):
    organization = selectors.organization_get(request.user, pk)
    rejected = services.organization_reject(organization=organization, by=request.user, reason=payload.reason)
    return organization_out(request.user, rejected)


@router.get("/organizations/{int:pk}/members", response=list[MemberOut], url_name="member_list")
def member_list(request, pk: int):
    organization = selectors.organization_get(request.user, pk)
    return [{"user_id": m.user_id, "name": m.user.name, "email": m.user.email, "role": m.role}
            for m in selectors.member_list(request.user, organization)]


@router.post("/organizations/{int:pk}/invitations", response={201: InvitationOut}, url_name="invitation_create")
def invitation_create(request, pk: int, payload: InvitationIn):
    organization = selectors.organization_get(request.user, pk)
    invitation, _raw = services.invitation_create(organization=organization, email=payload.email,
                                                  role=payload.role, by=request.user)
    return 201, invitation


@router.get("/tokens", response=list[TokenOut], url_name="token_list", auth=SESSION_ONLY)
def token_list(request):
    return selectors.token_list(request.user)


@router.post("/tokens", response={201: NewTokenOut}, url_name="token_create", auth=SESSION_ONLY)
def token_create(request, payload: TokenIn):
    token, raw = services.token_create(user=request.user, name=payload.name)
    return 201, {**TokenOut.from_orm(token).dict(), "token": raw}


@router.delete("/tokens/{int:pk}", response={204: None}, url_name="token_revoke", auth=SESSION_ONLY)
def token_revoke(request, pk: int):
    services.token_revoke(token=get_object_or_404(policies.tokens_visible_to(request.user), pk=pk), by=request.user)
    return 204, None


@router.post("/users/{int:pk}/roles", response={201: MeOut}, url_name="role_grant")
def role_grant(request, pk: int, payload: RoleIn):
    subject = selectors.user_get(request.user, pk)
    services.role_grant(user=subject, role=payload.role, department=payload.department, by=request.user)
    return 201, me_of(User.objects.get(pk=subject.pk))


@router.delete("/users/{int:pk}/roles/{role}", response={204: None}, url_name="role_revoke")
def role_revoke(request, pk: int, role: str):
    services.role_revoke(user=selectors.user_get(request.user, pk), role=role, by=request.user)
    return 204, None


def me_of(user) -> dict:
    return {"id": user.pk, "name": user.name, "email": user.email, "mobile": user.mobile_masked,
            "roles": sorted(user.role_set), "organization_id": user.organization.pk if user.organization else None,
            "org_role": user.org_role}
