from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kechuang.accounts import forms, policies, selectors, services
from kechuang.accounts.choices import OrganizationKind, OrganizationStatus, OrgRole, PlatformRole
from kechuang.core.errors import DomainError
from kechuang.core.files import attachments_of
from kechuang.core.policies import PUBLIC, SIGNED_IN, view_policy
from kechuang.core.web import add_service_errors, or_404, paginate, query_without_page, safe_next_url

SIGN_IN_FAILED = gettext_lazy(
    "Sign-in failed: the account or password is wrong, or the account is locked for a while after "
    "repeated failures. Please try again later."
)


def _start_session(request, user):
    # login() gives the session a new key, so a key fixed before sign-in is useless afterwards.
    login(request, user, backend="kechuang.accounts.backends.MobileOrEmailBackend")


@view_policy(PUBLIC)
def sign_in(request):
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_in(login=form.cleaned_data["login"], password=form.cleaned_data["password"])
        if user is not None:
            _start_session(request, user)
            return redirect(safe_next_url(request))
        form.add_error(None, SIGN_IN_FAILED)
    return render(request, "accounts/sign_in.html", {"form": form, "next": safe_next_url(request, "")})


@require_POST
@view_policy(SIGNED_IN)
def sign_out(request):
    services.sign_out_recorded(user=request.user)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("core:home")


@view_policy(policies.can_register_organization, description="anyone without an organisation")
def register(request):
    """A visitor gives an e-mail address and continues from the link sent to it; a signed-in user
    without an organisation registers one at once."""
    if not request.user.is_authenticated:
        form = forms.RegistrationStartForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.registration_start(email=form.cleaned_data["email"])
            return redirect("accounts:register_sent")
        return render(request, "accounts/register_start.html", {"form": form})
    return _register_organization(request, forms.OrganizationOnlyForm, email="")


@view_policy(PUBLIC)
def register_sent(request):
    return render(request, "accounts/register_sent.html")


@view_policy(PUBLIC)
def register_continue(request, token):
    if request.user.is_authenticated:
        return redirect("accounts:register")
    email = services.registration_email(token)
    if email is None:
        return render(request, "accounts/register_link_invalid.html", status=404)
    return _register_organization(request, forms.RegistrationForm, email=email)


def _register_organization(request, form_class, *, email):
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.organization_register(
                name=data.get("name", ""), email=email, mobile=data.get("mobile", ""),
                password=data.get("password1", ""), organization=form.organization_data(),
                licence=data.get("licence"), by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if not request.user.is_authenticated:
                _start_session(request, user)
            messages.success(request, _("Your organisation is registered and waits for the bureau's verification."))
            return redirect("accounts:my_organization")
    return render(request, "accounts/register.html", {"form": form, "email": email})


@view_policy(SIGNED_IN)
def password_change(request):
    form = forms.PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, new_password=form.cleaned_data["password1"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@view_policy(SIGNED_IN)
def profile(request):
    return render(request, "accounts/profile.html", {"grants": request.user.role_grants.all()})


# --- my organisation ---------------------------------------------------------------------


@view_policy(SIGNED_IN)
def my_organization(request):
    organization = request.user.organization
    if organization is None:
        return render(request, "accounts/no_organization.html")
    return redirect("accounts:organization_detail", pk=organization.pk)


@view_policy(SIGNED_IN)
def organization_detail(request, pk):
    organization = or_404(selectors.organization_get, request.user, pk)
    context = {
        "organization": organization,
        "show_contact": policies.can_view_contact_details(request.user, organization),
        "can_manage": policies.can_manage_members(request.user, organization),
        "can_resubmit": policies.can_resubmit_organization(request.user, organization),
        "can_verify": policies.can_verify_organization(request.user, organization),
        "files": attachments_of(organization),
        "members": selectors.member_list(request.user, organization),
    }
    return render(request, "accounts/organization_detail.html", context)


@view_policy(SIGNED_IN)
def organization_resubmit(request, pk):
    organization = get_object_or_404(policies.organizations_visible_to(request.user), pk=pk)
    if not policies.can_resubmit_organization(request.user, organization):
        raise Http404
    form = forms.ResubmitForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_resubmit(organization=organization, by=request.user, changes={
                field: form.cleaned_data[field] for field in form.Meta.fields})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Submitted again for verification."))
            return redirect("accounts:organization_detail", pk=pk)
    return render(request, "accounts/organization_resubmit.html", {"form": form, "organization": organization})


@view_policy(SIGNED_IN)
def members(request, pk):
    organization = get_object_or_404(policies.organizations_visible_to(request.user), pk=pk)
    if not policies.can_manage_members(request.user, organization):
        raise Http404
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(organization=organization, email=form.cleaned_data["email"],
                                       role=form.cleaned_data["role"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The invitation has been sent to %(email)s.") % form.cleaned_data)
            return redirect("accounts:members", pk=pk)
    context = {
        "organization": organization,
        "form": form,
        "members": selectors.member_list(request.user, organization),
        "invitations": selectors.invitation_list(request.user, organization).filter(status="pending"),
        "org_roles": OrgRole.choices,
    }
    return render(request, "accounts/members.html", context)


@require_POST
@view_policy(SIGNED_IN)
def invitation_revoke(request, pk):
    invitation = get_object_or_404(policies.invitations_manageable_by(request.user), pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation was revoked."))
    return redirect("accounts:members", pk=invitation.organization_id)


@require_POST
@view_policy(SIGNED_IN)
def member_remove(request, pk):
    membership = get_object_or_404(policies.memberships_manageable_by(request.user), pk=pk)
    services.membership_remove(membership=membership, by=request.user)
    messages.success(request, _("The member was removed from the organisation."))
    return redirect("accounts:members", pk=membership.organization_id)


@require_POST
@view_policy(SIGNED_IN)
def member_role(request, pk):
    membership = get_object_or_404(policies.memberships_manageable_by(request.user), pk=pk)
    form = forms.MemberRoleForm(request.POST)
    if form.is_valid():
        services.membership_change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
        messages.success(request, _("The member's role was changed."))
    return redirect("accounts:members", pk=membership.organization_id)


@view_policy(PUBLIC)
def invitation_accept(request, token):
    invitation = services.invitation_find(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else forms.InvitationSignUpForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            if signed_in:
                user = services.invitation_accept(raw_token=token, user=request.user)
            else:
                data = form.cleaned_data
                user = services.invitation_accept(raw_token=token, name=data["name"], mobile=data["mobile"],
                                                  password=data["password1"])
                _start_session(request, user)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                add_service_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
            return redirect("accounts:my_organization")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


# --- the bureau's verification queue ----------------------------------------------------


@view_policy(policies.can_view_verification_queue, description="bureau officers and admins")
def verification_queue(request):
    page = paginate(request, selectors.verification_queue(request.user))
    recent = selectors.organization_list(request.user).exclude(status=OrganizationStatus.PENDING)
    recent = recent.order_by("-verified_at")[:10]
    return render(request, "accounts/verification_queue.html", {"page": page, "recent": recent})


@view_policy(policies.can_view_verification_queue, description="bureau officers and admins")
def verification_detail(request, pk):
    organization = or_404(selectors.organization_get, request.user, pk)
    reject_form = forms.RejectForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "verify":
                services.organization_verify(organization=organization, by=request.user)
                messages.success(request, _("%(name)s is verified.") % {"name": organization.name})
                return redirect("accounts:verification_queue")
            if reject_form.is_valid():
                services.organization_reject(organization=organization, by=request.user,
                                             reason=reject_form.cleaned_data["reason"])
                messages.success(request, _("%(name)s was returned to the applicant.") % {"name": organization.name})
                return redirect("accounts:verification_queue")
        except DomainError as error:
            messages.error(request, error.message)
    context = {
        "organization": organization,
        "reject_form": reject_form,
        "files": attachments_of(organization),
        "can_verify": policies.can_verify_organization(request.user, organization),
        "members": selectors.member_list(request.user, organization),
    }
    return render(request, "accounts/verification_detail.html", context)


@view_policy(policies.can_view_verification_queue, description="bureau officers and admins")
def organization_list(request):
    filters = {
        "status": request.GET.get("status", ""),
        "kind": request.GET.get("kind", ""),
        "query": request.GET.get("q", "").strip(),
    }
    page = paginate(request, selectors.organization_list(request.user, **filters))
    context = {"page": page, "filters": filters, "statuses": OrganizationStatus.choices,
               "kinds": OrganizationKind.choices, "querystring": query_without_page(request)}
    return render(request, "accounts/organization_list.html", context)


# --- platform roles ---------------------------------------------------------------------


@view_policy(policies.can_assign_roles, description="bureau admins")
def user_list(request):
    query, role = request.GET.get("q", "").strip(), request.GET.get("role", "")
    users = selectors.user_list(request.user, query=query, role=role)
    context = {"page": paginate(request, users), "query": query, "role": role, "roles": PlatformRole.choices,
               "querystring": query_without_page(request)}
    return render(request, "accounts/user_list.html", context)


@view_policy(policies.can_assign_roles, description="bureau admins")
def user_roles(request, pk):
    subject = or_404(selectors.user_get, request.user, pk)
    form = forms.RoleGrantForm(request.POST or None)
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                services.role_revoke(user=subject, role=request.POST["revoke"], by=request.user)
                messages.success(request, _("The role was removed."))
                return redirect("accounts:user_roles", pk=pk)
            if form.is_valid():
                services.role_grant(user=subject, role=form.cleaned_data["role"],
                                    department=form.cleaned_data["department"], by=request.user)
                messages.success(request, _("The role was granted."))
                return redirect("accounts:user_roles", pk=pk)
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
    return render(request, "accounts/user_roles.html",
                  {"subject": subject, "form": form, "grants": subject.role_grants.all()})


# --- personal access tokens ----------------------------------------------------------


@view_policy(SIGNED_IN)
def tokens(request):
    form = forms.TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(user=request.user, name=form.cleaned_data["name"])
        form = forms.TokenForm()
    return render(request, "accounts/tokens.html",
                  {"form": form, "new_token": new_token, "tokens": selectors.token_list(request.user),
                   "lifetime_days": settings.KECHUANG_TOKEN_LIFETIME_DAYS})


@require_POST
@view_policy(SIGNED_IN)
def token_revoke(request, pk):
    token = get_object_or_404(policies.tokens_visible_to(request.user), pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
