from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.challenges import forms, policies, selectors, services
from kechuang.core.policies import PUBLIC, is_bureau_staff, view_policy
from kechuang.core.validators import parse_whole
from kechuang.core.web import creates_once, run_service
from kechuang.programs.choices import ApplicationStatus
from kechuang.programs.selectors import applications_of_call


@view_policy(PUBLIC)
def challenge_lists(request):
    return render(request, "challenges/lists.html", {
        "lists": selectors.challenge_lists(request.user), "can_manage": is_bureau_staff(request.user)})


@view_policy(PUBLIC)
def challenge_detail(request, pk):
    challenge = selectors.challenge_for(request.user, pk)
    return render(request, "challenges/detail.html", {
        "challenge": challenge, "call": challenge.call,
        "can_apply": policies.can_apply_to_challenge(request.user, challenge),
        "can_edit": policies.can_edit_challenge(request.user, challenge),
        "can_run": policies.can_run_race(request.user, challenge),
        "history": selectors.race_history(challenge), "teams": services.racing_teams(challenge),
        "reviewed": applications_of_call(request.user, challenge.call,
                                         status=ApplicationStatus.IN_REVIEW) if policies.can_run_race(
            request.user, challenge) else []})


@view_policy(policies.can_manage_challenges, description="bureau staff")
@creates_once
def challenge_manage(request):
    form = forms.ChallengeListBuildForm(request.POST or None, initial={
        "year": timezone.localdate().year, "quarter": (timezone.localdate().month - 1) // 3 + 1})
    if request.method == "POST" and form.is_valid():
        done = run_service(request, lambda: services.challenge_list_build(by=request.user, **form.cleaned_data),
                           form=form, success=None)
        if done:
            built = done.result
            messages.success(request, _("%(list)s: %(n)d challenges.") % {"list": built,
                                                                           "n": built.challenges.count()})
            return redirect("challenges:manage")
    return render(request, "challenges/manage.html", {
        "form": form, "lists": selectors.challenge_lists(request.user),
        "candidates": selectors.challenge_candidates_left()})


@view_policy(policies.can_manage_challenges, description="bureau staff")
def challenge_edit(request, pk):
    challenge = selectors.challenge_for(request.user, pk, may=policies.can_edit_challenge)
    form = forms.ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid() and run_service(
            request, lambda: services.challenge_save(by=request.user, challenge=challenge,
                                                     data=dict(form.cleaned_data)), form=form):
        return redirect("challenges:manage")
    return render(request, "challenges/edit.html", {"form": form, "challenge": challenge})


@require_POST
@view_policy(policies.can_manage_challenges, description="bureau staff")
def challenge_list_publish(request, pk):
    challenge_list = selectors.challenge_list_for(request.user, pk)
    run_service(request, lambda: services.challenge_list_publish(by=request.user, challenge_list=challenge_list),
                success=_("The challenge list is published."))
    return redirect("challenges:manage")


@require_POST
@view_policy(policies.can_manage_challenges, description="bureau staff")
def challenge_race(request, pk, action):
    """The parallel track: select the phase-one teams, then assess each phase."""
    challenge = selectors.challenge_for(request.user, pk)

    def act():
        if action == "select":
            teams = list(applications_of_call(request.user, challenge.call).filter(pk__in=[
                pk for value in request.POST.getlist("team") if (pk := parse_whole(value)) is not None]))
            services.challenge_select(by=request.user, challenge=challenge, teams=teams)
        elif action == "assess":
            teams = services.racing_teams(challenge)
            services.challenge_assess(by=request.user, challenge=challenge,
                                      decisions=forms.stage_decisions(request.POST, teams),
                                      note=request.POST.get("note", "").strip())
        else:
            raise Http404

    run_service(request, act)
    return redirect("challenges:detail", pk=pk)
