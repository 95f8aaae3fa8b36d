from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.files import attachments_of
from kechuang.core.forms import DocumentUploadForm, ReasonForm
from kechuang.core.policies import PUBLIC, SIGNED_IN, is_bureau_staff, view_policy
from kechuang.core.search import highlight
from kechuang.core.web import creates_once, paginate, query_without_page, run_service
from kechuang.demands import forms, policies, selectors, services
from kechuang.demands.choices import PUBLIC_STATUSES, CooperationMode, DemandStatus


@view_policy(PUBLIC)
def portal(request):
    params = selectors.DemandSearchParams.from_query(request.GET)
    result = selectors.demand_search(request.user, params)
    rows = [{"record": demand, "title": highlight(demand.title, result.words),
             "summary": highlight(demand.public_summary, result.words, limit=160)} for demand in result.page]
    return render(request, "demands/portal.html", {
        "result": result, "rows": rows, "params": params, "page": result.page,
        "querystring": query_without_page(request), "cooperation_modes": CooperationMode.choices,
        "statuses": [(value, label) for value, label in DemandStatus.choices if value in PUBLIC_STATUSES]})


@view_policy(PUBLIC)
def detail(request, pk):
    demand = selectors.demand_for(request.user, pk)
    user = request.user
    full = policies.can_view_full_demand(user, demand)
    return render(request, "demands/detail.html", {
        "demand": demand, "show_full": full, "show_contact": policies.can_view_contact(user, demand),
        "files": attachments_of(demand) if full else [],
        "similar": selectors.similar_demands(user, demand),
        "can_edit": policies.can_edit_demand(user, demand),
        "can_submit": policies.can_submit_demand(user, demand),
        "can_review": policies.can_review_demand(user, demand),
        "can_withdraw": policies.can_withdraw_demand(user, demand),
        "can_solve": policies.can_solve_demand(user, demand),
        "can_start_matchmaking": policies.can_start_matchmaking(user, demand),
        "can_view_matches": policies.can_view_matches(user, demand),
        "can_mark": policies.can_mark_challenge_candidate(user, demand),
        "reason_form": ReasonForm(), "attachment_form": DocumentUploadForm(),
        "cooperation_labels": [label for value, label in CooperationMode.choices if value in demand.cooperation_modes],
    })


@view_policy(SIGNED_IN)
def mine(request):
    status = request.GET.get("status", "")
    return render(request, "demands/mine.html", {
        "page": paginate(request, selectors.my_demands(request.user, status=status)), "status": status,
        "statuses": DemandStatus.choices, "can_create": policies.can_create_demand(request.user),
        "querystring": query_without_page(request)})


@view_policy(policies.can_create_demand, description="members of verified enterprises")
@creates_once
def create(request):
    form = forms.DemandEditForm(request.POST or None, initial={"district": request.user.organization.district_id})
    if request.method == "POST" and form.is_valid():
        done = run_service(request, lambda: services.demand_create(by=request.user, data=form.service_data()),
                           form=form, success=_("Saved as a draft. Submit it for review when it is complete."))
        if done:
            return redirect("demands:detail", pk=done.result.pk)
    return render(request, "demands/edit.html", {"form": form, "demand": None})


@view_policy(SIGNED_IN)
def edit(request, pk):
    demand = selectors.demand_for(request.user, pk, may=policies.can_edit_demand)
    form = forms.DemandEditForm(request.POST or None, instance=demand)
    if request.method == "POST" and form.is_valid() and run_service(
            request, lambda: services.demand_update(demand=demand, by=request.user, data=form.service_data()),
            form=form):
        return redirect("demands:detail", pk=pk)
    return render(request, "demands/edit.html", {"form": form, "demand": demand})


SIMPLE_TRANSITIONS = {
    "submit": (services.demand_submit, _("Submitted for review.")),
    "publish": (services.demand_publish, _("Published.")),
    "withdraw": (services.demand_withdraw, _("Withdrawn from the library.")),
    "solve": (services.demand_solve, _("Marked as solved.")),
    "start-matchmaking": (services.demand_start_matchmaking, _("Matchmaking has started.")),
}
REASONED_TRANSITIONS = {
    "return": (services.demand_return, _("Returned to the enterprise.")),
    "challenge-candidate": (services.demand_mark_challenge_candidate,
                            _("Marked as a candidate for the challenge list.")),
}


@require_POST
@view_policy(SIGNED_IN)
def transition(request, pk, action):
    demand = selectors.demand_for(request.user, pk)
    if action in REASONED_TRANSITIONS:
        service, message = REASONED_TRANSITIONS[action]
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason."))
            return redirect("demands:detail", pk=pk)
        run_service(request, lambda: service(demand=demand, by=request.user, reason=form.cleaned_data["reason"]),
                    success=message)
    elif action in SIMPLE_TRANSITIONS:
        service, message = SIMPLE_TRANSITIONS[action]
        run_service(request, lambda: service(demand=demand, by=request.user), success=message)
    else:
        raise Http404
    return redirect("demands:detail", pk=pk)


@require_POST
@view_policy(SIGNED_IN)
@creates_once
def attach(request, pk):
    demand = selectors.demand_for(request.user, pk, may=policies.can_edit_demand)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(request, lambda: services.demand_attach(demand=demand, by=request.user,
                                                            uploaded=form.cleaned_data["file"]),
                    success=_("The file was attached."))
    else:
        messages.error(request, " ".join(form.errors.get("file", [])))
    return redirect("demands:detail", pk=pk)


@view_policy(policies.is_reviewer, description="bureau staff and verified transfer institutions")
def review_queue(request):
    return render(request, "demands/review_queue.html",
                  {"page": paginate(request, selectors.review_queue(request.user))})


@view_policy(is_bureau_staff, description="bureau staff")
def challenge_candidates(request):
    return render(request, "demands/challenge_candidates.html",
                  {"page": paginate(request, selectors.challenge_candidates(request.user))})
