from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.policies import SIGNED_IN, view_policy
from kechuang.core.web import creates_once, run_service
from kechuang.experts import forms, policies, selectors, services
from kechuang.experts.choices import SpecialistKind


@view_policy(SIGNED_IN)
def detail(request, pk):
    profile = selectors.profile_for(request.user, pk)
    return render(request, "experts/detail.html", {"profile": profile})


@view_policy(policies.can_edit_own_profile, description="experts and brokers")
def edit_own(request, kind):
    if kind not in policies.specialist_kinds_of(request.user):
        raise Http404
    profile = selectors.own_profile(request.user, kind)
    initial = {"display_name": request.user.display_name,
               "district": getattr(request.user.organization, "district_id", None),
               "employer": getattr(request.user.organization, "name", "")}
    form = forms.ProfileForm(request.POST or None, instance=profile, initial=None if profile else initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(request, lambda: services.profile_save(by=request.user, kind=kind,
                                                                  data=form.service_data()), form=form)
        if done:
            return redirect("experts:detail", pk=done.result.pk)
    return render(request, "experts/edit.html", {"form": form, "kind_label": SpecialistKind(kind).label})


@view_policy(policies.can_declare_conflicts, description="experts")
@creates_once
def conflicts(request):
    """The expert's declared conflicts of interest: never assigned to those organisations' applications."""
    form = forms.ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(
            request, lambda: services.conflict_declare(by=request.user, **form.cleaned_data), form=form):
        return redirect("experts:conflicts")
    return render(request, "experts/conflicts.html", {
        "form": form, "declarations": selectors.own_declarations(request.user)})


@require_POST
@view_policy(policies.can_declare_conflicts, description="experts")
def conflict_withdraw(request, pk):
    declaration = selectors.own_declaration_for(request.user, pk)
    services.conflict_withdraw(by=request.user, declaration=declaration)
    messages.success(request, _("The declaration is withdrawn."))
    return redirect("experts:conflicts")
