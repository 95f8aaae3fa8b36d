from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.achievements import forms, policies, selectors, services
from kechuang.achievements.choices import AchievementStatus, TransferMode
from kechuang.core.files import attachments_of
from kechuang.core.forms import DocumentUploadForm
from kechuang.core.policies import PUBLIC, SIGNED_IN, view_policy
from kechuang.core.search import highlight
from kechuang.core.web import creates_once, paginate, query_without_page, run_service


@view_policy(PUBLIC)
def portal(request):
    params = selectors.SearchParams.from_query(request.GET)
    result = selectors.achievement_search(request.user, params)
    rows = [{"record": record, "name": highlight(record.name, result.words),
             "summary": highlight(record.summary, result.words, limit=160)} for record in result.page]
    context = {"result": result, "rows": rows, "params": params, "page": result.page,
               "querystring": query_without_page(request), "transfer_modes": TransferMode.choices,
               "date_ranges": [(key, label) for key, (label, _days) in selectors.DATE_RANGES.items()]}
    return render(request, "achievements/portal.html", context)


@view_policy(PUBLIC)
def detail(request, pk):
    achievement = selectors.achievement_for(request.user, pk)
    user = request.user
    context = {
        "achievement": achievement,
        "show_contact": policies.can_view_contact(user, achievement),
        "similar": selectors.similar_achievements(user, achievement),
        "files": attachments_of(achievement),
        "can_edit": policies.can_edit_achievement(user, achievement),
        "can_submit": policies.can_submit_achievement(user, achievement),
        "can_review": policies.can_review_achievement(user, achievement),
        "can_withdraw": policies.can_withdraw_achievement(user, achievement),
        "can_view_matches": policies.can_view_matches(user, achievement),
        "can_reopen": policies.can_reopen_achievement(user, achievement),
        "can_view_history": policies.can_view_history(user, achievement),
        "return_form": forms.ReturnForm(),
        "attachment_form": DocumentUploadForm(),
        "transfer_labels": [label for value, label in TransferMode.choices if value in achievement.transfer_modes],
    }
    return render(request, "achievements/detail.html", context)


@view_policy(SIGNED_IN)
def mine(request):
    status = request.GET.get("status", "")
    page = paginate(request, selectors.my_achievements(request.user, status=status))
    return render(request, "achievements/mine.html", {
        "page": page, "status": status, "statuses": AchievementStatus.choices,
        "can_create": policies.can_create_achievement(request.user), "querystring": query_without_page(request)})


@view_policy(policies.can_create_achievement, description="members of verified organisations")
@creates_once
def create(request):
    form = forms.AchievementEditForm(request.POST or None, owner=request.user.organization)
    if request.method == "POST" and form.is_valid():
        done = run_service(request, lambda: services.achievement_create(
            by=request.user, data=form.service_data(), completers=form.cleaned_data["completers"]),
            form=form, success=_("Saved as a draft. Submit it for review when it is complete."))
        if done:
            return redirect("achievements:detail", pk=done.result.pk)
    return render(request, "achievements/edit.html", {"form": form, "achievement": None})


@view_policy(SIGNED_IN)
def edit(request, pk):
    achievement = selectors.achievement_for(request.user, pk, may=policies.can_edit_achievement)
    form = forms.AchievementEditForm(request.POST or None, instance=achievement, owner=achievement.owner)
    if request.method == "POST" and form.is_valid() and run_service(request, lambda: services.achievement_update(
            achievement=achievement, by=request.user, data=form.service_data(),
            completers=form.cleaned_data["completers"]), form=form):
        return redirect("achievements:detail", pk=pk)
    return render(request, "achievements/edit.html", {"form": form, "achievement": achievement})


TRANSITIONS = {
    "submit": (services.achievement_submit, _("Submitted for review.")),
    "publish": (services.achievement_publish, _("Published.")),
    "withdraw": (services.achievement_withdraw, _("Withdrawn from the library.")),
    "reopen": (services.achievement_reopen, _("Reopened as a draft.")),
}


@require_POST
@view_policy(SIGNED_IN)
def transition(request, pk, action):
    achievement = selectors.achievement_for(request.user, pk)
    if action == "return":
        form = forms.ReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the owner a reason for returning the record."))
            return redirect("achievements:detail", pk=pk)
        run_service(request, lambda: services.achievement_return(
            achievement=achievement, by=request.user, reason=form.cleaned_data["reason"]),
            success=_("Returned to the owner."))
    elif action in TRANSITIONS:
        service, message = TRANSITIONS[action]
        run_service(request, lambda: service(achievement=achievement, by=request.user), success=message)
    else:
        raise Http404
    return redirect("achievements:detail", pk=pk)


@require_POST
@view_policy(SIGNED_IN)
@creates_once
def attach(request, pk):
    achievement = selectors.achievement_for(request.user, pk, may=policies.can_edit_achievement)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(request, lambda: services.achievement_attach(
            achievement=achievement, by=request.user, uploaded=form.cleaned_data["file"]),
            success=_("The file was attached."))
    else:
        messages.error(request, " ".join(form.errors.get("file", [])))
    return redirect("achievements:detail", pk=pk)


@view_policy(SIGNED_IN)
def history(request, pk):
    achievement = selectors.achievement_for(request.user, pk, may=policies.can_view_history)
    return render(request, "achievements/history.html",
                  {"achievement": achievement, "versions": selectors.version_history(request.user, achievement)})


@view_policy(policies.is_reviewer, description="bureau staff and verified transfer institutions")
def review_queue(request):
    return render(request, "achievements/review_queue.html",
                  {"page": paginate(request, selectors.review_queue(request.user))})


@view_policy(policies.can_view_registration_report, description="bureau staff")
def registration_report(request):
    missing, per_org = selectors.registration_report(request.user)
    return render(request, "achievements/registration_report.html",
                  {"page": paginate(request, missing), "per_org": per_org})
