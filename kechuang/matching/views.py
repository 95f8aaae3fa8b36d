from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.achievements.selectors import achievement_for
from kechuang.core.forms import ReasonForm
from kechuang.core.policies import PUBLIC, SIGNED_IN, is_bureau_staff, view_policy
from kechuang.core.services import job_create
from kechuang.core.web import creates_once, form_errors_text, paginate, query_without_page, run_service, safe_next_url
from kechuang.demands.selectors import demand_for
from kechuang.matching import forms, index, policies, selectors, services, tasks
from kechuang.matching.choices import RECORD_KIND_LABELS, CaseStatus

MATCH_POOL = 30


@view_policy(SIGNED_IN)
def demand_matches(request, pk):
    """The ranked achievements for a demand, with explanations, filters and the way forward when
    nothing is a strong match."""
    demand = demand_for(request.user, pk, may=policies.can_see_matches_of_demand)
    filters = forms.MatchFilterForm(request.GET or None)
    found = selectors.achievements_for_demand(request.user, demand, k=MATCH_POOL)
    items = [item for item in found.items if filters.keep(item)]
    return render(request, "matching/demand_matches.html", {
        "demand": demand, "items": items, "has_strong": found.has_strong, "filters": filters,
        "specialists": selectors.specialists_for_demand(request.user, demand).items,
        "intent_allowed": {item.key for item in items
                           if policies.can_express_intent(request.user, demand, item.obj)},
        "source": found.source})


@view_policy(SIGNED_IN)
def achievement_demands(request, pk):
    achievement = achievement_for(request.user, pk, may=policies.can_see_matches_of_achievement)
    found = selectors.demands_for_achievement(request.user, achievement, k=MATCH_POOL)
    return render(request, "matching/achievement_demands.html", {
        "achievement": achievement, "items": found.items, "has_strong": found.has_strong, "source": found.source,
        "intent_allowed": {item.key for item in found.items
                           if policies.can_express_intent(request.user, item.obj, achievement)}})


@view_policy(PUBLIC)
def find_solution(request):
    form = forms.FindSolutionForm(request.GET or None)
    achievements = specialists = None
    if form.is_valid():
        achievements, specialists = selectors.solutions_for_text(request.user, form.cleaned_data["q"])
    return render(request, "matching/find_solution.html", {
        "form": form, "achievements": achievements, "specialists": specialists})


@view_policy(SIGNED_IN)
def recommended(request):
    """The 'recommended for you' panel of the home page (loaded by htmx)."""
    return render(request, "matching/_recommended.html", {"pairs": selectors.home_recommendations(request.user)})


@require_POST
@view_policy(SIGNED_IN)
def feedback(request):
    try:
        strength = float(request.POST.get("strength") or 0) or None
    except ValueError:
        strength = None
    useful = request.POST.get("useful") == "1"
    try:
        services.feedback_record(by=request.user, source=request.POST.get("source", ""),
                                 target=request.POST.get("target", ""), useful=useful, strength=strength)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=422)
    if request.htmx:
        return render(request, "matching/_feedback.html", {"verdict": useful})
    messages.success(request, _("Thank you for the feedback."))
    return redirect(safe_next_url(request, "matching:cases"))


# -- cases ---------------------------------------------------------------------------------------


@require_POST
@view_policy(SIGNED_IN)
def intent(request, demand_pk, achievement_pk):
    demand = demand_for(request.user, demand_pk)
    achievement = achievement_for(request.user, achievement_pk)
    if not policies.can_express_intent(request.user, demand, achievement):
        raise Http404
    form = forms.IntentForm(request.POST)
    form.is_valid()
    done = run_service(request, lambda: services.case_open(
        by=request.user, demand=demand, achievement=achievement, message=form.cleaned_data.get("message", ""),
        strength=form.cleaned_data.get("strength")), success=_("Your intent was sent to the other side."))
    if done:
        return redirect("matching:case_detail", pk=done.result.pk)
    existing = selectors.open_case_for(demand, achievement)
    return redirect("matching:case_detail", pk=existing.pk) if existing else redirect(
        "matching:demand_matches", pk=demand.pk)


@view_policy(SIGNED_IN)
def cases(request):
    status = request.GET.get("status", "")
    return render(request, "matching/cases.html", {
        "page": paginate(request, selectors.my_cases(request.user, status)), "status": status,
        "statuses": CaseStatus.choices, "querystring": query_without_page(request)})


@view_policy(policies.is_broker, description="technology brokers")
def broker_queue(request):
    page = paginate(request, selectors.broker_queue(request.user))
    return render(request, "matching/broker_queue.html", {"page": page})


@view_policy(SIGNED_IN)
def case_detail(request, pk):
    case = selectors.case_for(request.user, pk)
    user = request.user
    return render(request, "matching/case_detail.html", {
        "case": case, "events": case.events.select_related("author"),
        "can_answer": policies.can_answer_case(user, case), "can_assign": policies.can_assign_case(user, case),
        "can_claim": policies.can_claim_case(user, case), "can_note": policies.can_add_note(user, case),
        "can_outcome": policies.can_record_outcome(user, case) and case.status == CaseStatus.ACCEPTED,
        "can_close": policies.can_record_outcome(user, case),
        "reason_form": ReasonForm(), "note_form": forms.NoteForm(), "sign_form": forms.SignForm(),
        "assign_form": forms.AssignForm() if policies.can_assign_case(user, case) else None})


CASE_FORMS = {"decline": ReasonForm, "close": ReasonForm, "note": forms.NoteForm,
              "sign": forms.SignForm, "assign": forms.AssignForm}


@require_POST
@view_policy(SIGNED_IN)
@creates_once
def case_action(request, pk, action):
    case = selectors.case_for(request.user, pk)
    user = request.user
    form = CASE_FORMS[action](request.POST) if action in CASE_FORMS else None
    if form is not None and not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("matching:case_detail", pk=pk)
    data = form.cleaned_data if form is not None else {}
    actions = {
        "accept": lambda: services.case_accept(case=case, by=user),
        "decline": lambda: services.case_decline(case=case, by=user, reason=data["reason"]),
        "claim": lambda: services.case_assign(case=case, by=user, broker=user),
        "assign": lambda: services.case_assign(case=case, by=user, broker=data["broker"], officer=data["officer"]),
        "note": lambda: services.case_add_note(case=case, by=user, text=data["text"], meeting_at=data["meeting_at"],
                                               location=data["location"]),
        "sign": lambda: services.case_sign(case=case, by=user, amount=data["amount"], signed_on=data["signed_on"],
                                           text=data["text"]),
        "close": lambda: services.case_close(case=case, by=user, reason=data["reason"]),
    }
    if action not in actions:
        raise Http404
    run_service(request, actions[action])
    return redirect("matching:case_detail", pk=pk)


# -- the bureau's view -----------------------------------------------------------------------------


@view_policy(is_bureau_staff, description="bureau staff")
def overview(request):
    kinds = index.backend().kind_counts()
    return render(request, "matching/overview.html", {
        "kinds": [(RECORD_KIND_LABELS.get(kind, kind), count) for kind, count in kinds.items()],
        "total": sum(kinds.values()), "feedback": selectors.feedback_summary(),
        "cases": selectors.case_statistics(), "contract_total": selectors.contract_total()})


@require_POST
@view_policy(is_bureau_staff, description="bureau staff")
def rebuild(request):
    job = job_create(kind="matching.rebuild", title=_("Rebuild the matching index"), owner=request.user)
    tasks.rebuild_index.enqueue(job.pk, get_language())
    return redirect("core:job", job_uuid=job.uuid)
