from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.forms import ReasonForm
from kechuang.core.policies import SIGNED_IN, view_policy
from kechuang.core.web import creates_once, form_errors_text, run_service
from kechuang.vouchers import forms, policies, selectors, services
from kechuang.vouchers.choices import VoucherStatus


@view_policy(SIGNED_IN)
def overview(request):
    """Open schemes, and the organisation's vouchers with their balances."""
    user = request.user
    schemes = [(scheme, policies.can_apply_for_voucher(user, scheme)) for scheme in selectors.scheme_list(user)
               .filter(status="active")]
    vouchers = selectors.voucher_list(user).filter(enterprise=user.organization) if user.organization else []
    return render(request, "vouchers/overview.html", {
        "schemes": schemes, "vouchers": vouchers, "apply_form": forms.ApplyForm()})


@require_POST
@view_policy(SIGNED_IN)
@creates_once
def apply(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    form = forms.ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        run_service(request, lambda: services.voucher_apply(by=request.user, scheme=scheme, **form.cleaned_data))
    return redirect("vouchers:overview")


@view_policy(policies.can_manage_schemes, description="bureau staff")
@creates_once
def manage(request):
    form = forms.SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(request, lambda: services.scheme_create(
            by=request.user, data=form.service_data(), providers=list(form.cleaned_data["eligible_providers"])),
            form=form, success=_("The scheme is funded and open.")):
        return redirect("vouchers:manage")
    return render(request, "vouchers/manage.html", {
        "form": form, "schemes": selectors.scheme_list(request.user).select_related("account"),
        "applications": selectors.voucher_list(request.user).filter(status=VoucherStatus.APPLIED),
        "issue_form": forms.IssueForm(), "reason_form": ReasonForm()})


@require_POST
@view_policy(policies.can_decide_voucher, description="bureau staff")
def decide(request, pk, action):
    voucher = selectors.voucher_for(request.user, pk)
    if action == "issue":
        form = forms.IssueForm(request.POST)
        if not form.is_valid():  # an unreadable amount is refused, not read as "the amount requested"
            messages.error(request, form_errors_text(form))
        else:
            run_service(request, lambda: services.voucher_issue(by=request.user, voucher=voucher,
                                                              amount=form.cleaned_data["amount"]))
    elif action == "reject":
        run_service(request, lambda: services.voucher_reject(by=request.user, voucher=voucher,
                                                       reason=request.POST.get("reason", "")))
    else:
        raise Http404
    return redirect("vouchers:manage")


@view_policy(policies.can_view_settlements, description="providers, finance officers and bureau staff")
def settlements(request):
    """Providers: what is owed and their settlement requests. Finance and the bureau: the requests
    with the flags to look at before paying."""
    user = request.user
    return render(request, "vouchers/settlements.html", {
        "pending": selectors.pending_lines(user), "settlements": selectors.settlements_with_lines(user),
        "can_request": policies.can_request_settlement(user), "can_review": policies.can_review_settlement(user)})


@view_policy(policies.can_view_settlements, description="providers (their own), finance officers and bureau staff")
def settlement_detail(request, pk):
    """One settlement's line items and flags; for the finance officer, the confirmation of the
    payment (what is paid, to whom, how much) and the rejection."""
    settlement = selectors.settlement_with_lines(selectors.settlement_for(request.user, pk))
    return render(request, "vouchers/settlement_detail.html", {
        "settlement": settlement, "reason_form": ReasonForm(),
        "can_review": policies.can_review_settlement(request.user)})


@require_POST
@view_policy(policies.can_request_settlement, description="instrument providers")
@creates_once
def settlement_request(request):
    run_service(request, lambda: services.settlement_request(by=request.user, provider=request.user.organization))
    return redirect("vouchers:settlements")


@require_POST
@view_policy(policies.can_review_settlement, description="finance officers")
def settlement_review(request, pk, action):
    settlement = selectors.settlement_for(request.user, pk)
    if action == "pay":
        # paid only from the confirmation, which sends back the total it showed
        if request.POST.get("confirm_total") != str(settlement.total):
            messages.error(request, _("Check the settlement and confirm the payment on this page."))
            return redirect("vouchers:settlement_detail", pk=settlement.pk)
        run_service(request, lambda: services.settlement_pay(by=request.user, settlement=settlement))
    elif action == "reject":
        run_service(request, lambda: services.settlement_reject(by=request.user, settlement=settlement,
                                                          reason=request.POST.get("reason", "")))
    else:
        raise Http404
    return redirect("vouchers:settlements")
