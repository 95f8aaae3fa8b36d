from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.files import attachments_of
from kechuang.core.forms import ReasonForm
from kechuang.core.policies import PUBLIC, SIGNED_IN, is_bureau_staff, view_policy
from kechuang.core.validators import parse_whole
from kechuang.core.web import creates_once, download, paginate, query_without_page, run_service
from kechuang.programs import documents, forms, policies, selectors, services
from kechuang.programs.choices import ApplicationStatus, AssignmentStatus, ProgrammeKind

# -- calls (public) --------------------------------------------------------------------------------


@view_policy(PUBLIC)
def call_list(request):
    kind = request.GET.get("kind", "")
    return render(request, "programs/call_list.html", {
        "page": paginate(request, selectors.call_list(request.user, kind=kind)), "kind": kind,
        "kinds": ProgrammeKind.choices, "querystring": query_without_page(request)})


@view_policy(PUBLIC)
def call_detail(request, pk):
    call = selectors.call_for(request.user, pk)
    return render(request, "programs/call_detail.html", {
        "call": call, "can_apply": policies.can_apply(request.user, call),
        "can_edit": policies.can_edit_call(request.user, call),
        "districts": call.eligible_districts.all(), "topics": call.programme.topic_fields.all(),
        "preview": forms.AnswersForm(schema=call.form_schema)})


# -- the bureau's management -----------------------------------------------------------------------


@view_policy(policies.can_manage_programmes, description="bureau staff")
def manage(request):
    return render(request, "programs/manage.html", {
        "programmes": selectors.programme_list(), "calls": selectors.call_list(request.user)[:50],
        "unregistered": selectors.unregistered_projects()[:20]})


@view_policy(policies.can_manage_programmes, description="bureau staff")
@creates_once
def programme_edit(request, pk=None):
    programme = selectors.programme_for(request.user, pk) if pk else None
    form = forms.ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["topic_fields"] = list(data["topic_fields"])
        done = run_service(request, lambda: services.programme_save(by=request.user, data=data, programme=programme),
                           form=form)
        if done:
            return redirect("programs:programme_detail", pk=done.result.pk)
    return render(request, "programs/programme_edit.html", {"form": form, "programme": programme})


@view_policy(policies.can_manage_programmes, description="bureau staff")
@creates_once
def programme_detail(request, pk):
    programme = selectors.programme_for(request.user, pk)
    form = forms.ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(
            request, lambda: services.contribution_record(by=request.user, programme=programme, **form.cleaned_data),
            form=form, success=_("Contribution recorded.")):
        return redirect("programs:programme_detail", pk=pk)
    return render(request, "programs/programme_detail.html", {
        "programme": programme, "form": form, "contributions": programme.contributions.all(),
        "calls": programme.calls.all(), "is_joint_fund": programme.kind == ProgrammeKind.JOINT_FUND})


@view_policy(policies.can_manage_programmes, description="bureau staff")
@creates_once
def call_edit(request, pk=None):
    call = selectors.call_for(request.user, pk, may=policies.can_edit_call) if pk else None
    initial = {"programme": request.GET.get("programme")} if call is None else None
    form = forms.CallForm(request.POST or None, instance=call, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(request, lambda: services.call_save(by=request.user, data=form.service_data(), call=call),
                           form=form)
        if done:
            return redirect("programs:call_form", pk=done.result.pk)
    return render(request, "programs/call_edit.html", {"form": form, "call": call})


@view_policy(policies.can_manage_programmes, description="bureau staff")
def call_form(request, pk):
    """The form builder: the call's fields and review criteria, with a preview."""
    call = selectors.call_for(request.user, pk)
    form = forms.CallFormBuilder(request.POST or None, initial={
        "fields_text": forms.schema_to_lines(call.form_schema),
        "criteria_text": forms.criteria_to_lines(call.criteria)})
    if request.method == "POST" and form.is_valid() and run_service(
            request, lambda: services.call_set_form(by=request.user, call=call, schema=form.schema(),
                                                    criteria=form.criteria()),
            form=form, success=_("The application form and the criteria are saved.")):
        return redirect("programs:call_form", pk=pk)
    return render(request, "programs/call_form.html", {
        "call": call, "form": form, "preview": forms.AnswersForm(schema=call.form_schema)})


@require_POST
@view_policy(policies.can_manage_programmes, description="bureau staff")
def call_publish(request, pk):
    call = selectors.call_for(request.user, pk)
    run_service(request, lambda: services.call_publish(by=request.user, call=call),
                success=_("The call is published."))
    return redirect("programs:call_detail", pk=pk)


@view_policy(policies.can_manage_programmes, description="bureau staff")
def call_applications(request, pk):
    call = selectors.call_for(request.user, pk)
    status = request.GET.get("status", "")
    return render(request, "programs/call_applications.html", {
        "call": call, "page": paginate(request, selectors.applications_of_call(request.user, call, status=status)),
        "status": status, "statuses": ApplicationStatus.choices, "querystring": query_without_page(request)})


@view_policy(policies.can_manage_programmes, description="bureau staff")
def call_review(request, pk):
    """The assignment proposal: propose, adjust, then send the invitations."""
    call = selectors.call_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")

        def act():
            # A seat or an application that is not this call's is a 404 (run_service maps DoesNotExist).
            if action == "propose":
                propose = forms.ProposeForm(request.POST)
                if not propose.is_valid():
                    raise ValidationError(forms.first_error(propose))
                seats = services.review_propose(by=request.user, call=call,
                                                randomised=propose.cleaned_data["randomised"],
                                                cap=float(propose.cleaned_data["cap"]))
                messages.success(request, _("%(n)d seats proposed.") % {"n": seats})
            elif action == "remove":
                seat = selectors.panel_of_call(call).get(pk=request.POST.get("seat"))
                services.assignment_remove(by=request.user, assignment=seat)
            elif action == "add":
                add = forms.AddSeatForm(request.POST)
                if not add.is_valid():
                    raise ValidationError(forms.first_error(add))
                application = selectors.applications_of_call(request.user, call).get(pk=add.cleaned_data["application"])
                services.assignment_add(by=request.user, application=application, expert=add.cleaned_data["expert"])
            elif action == "invite":
                seats = services.review_invite(by=request.user, call=call)
                messages.success(request, _("%(n)d invitations sent.") % {"n": seats})
            else:
                raise Http404

        run_service(request, act, success=None)
        return redirect("programs:call_review", pk=pk)
    panels: dict = {}
    for seat in selectors.panel_of_call(call):
        panels.setdefault(seat.application, []).append(seat)
    waiting = selectors.applications_of_call(request.user, call, status=ApplicationStatus.ELIGIBLE)
    return render(request, "programs/call_review.html", {
        "call": call, "panels": panels, "waiting": waiting, "propose_form": forms.ProposeForm(),
        "add_form": forms.AddSeatForm(), "pool_size": selectors.expert_pool().count()})


@view_policy(policies.can_manage_programmes, description="bureau staff")
def call_results(request, pk):
    call = selectors.call_for(request.user, pk)
    rows = selectors.review_results(call)
    export = request.GET.get("format")
    if export == "xlsx":
        return download(documents.results_workbook(call, rows), kind="xlsx", filename=f"{call.title}评审结果.xlsx")
    if export == "pdf":
        return download(documents.review_summary_pdf(call, rows), kind="pdf",
                        filename=f"{call.title}评审意见汇总表.pdf")
    return render(request, "programs/call_results.html", {"call": call, "rows": rows})


# -- applications ----------------------------------------------------------------------------------


@require_POST
@view_policy(SIGNED_IN)
@creates_once
def apply(request, pk):
    call = selectors.call_for(request.user, pk)
    if not policies.can_apply(request.user, call):
        messages.error(request, _("This call is not open for applications from your organisation."))
        return redirect("programs:call_detail", pk=pk)
    application = services.application_start(by=request.user, call=call, data={
        "title": (_("New application to %(call)s") % {"call": call.title})[:200], "summary": "",
        "requested_amount": call.max_award or 1})
    return redirect("programs:application_edit", pk=application.pk)


@view_policy(SIGNED_IN)
def my_applications(request):
    return render(request, "programs/my_applications.html", {
        "page": paginate(request, selectors.my_applications(request.user))})


def _save_draft(request, application):
    base = forms.ApplicationForm(request.POST, instance=application)
    answers = forms.AnswersForm(request.POST, request.FILES, schema=application.call.form_schema,
                                answers=application.answers)
    if not (base.is_valid() and answers.is_valid()):
        return base, answers, False
    saved = run_service(request, lambda: services.application_save(
        by=request.user, application=application, data=base.service_data(), answers=answers.answers(),
        partners=list(base.cleaned_data["partners"]), uploads=answers.uploads()), form=answers, success=None)
    return base, answers, bool(saved)


@view_policy(SIGNED_IN)
def application_edit(request, pk):
    application = selectors.application_for(request.user, pk, may=policies.can_edit_application)
    schema = application.call.form_schema
    if request.method == "POST":
        base, answers, saved = _save_draft(request, application)
        if request.htmx:
            return render(request, "programs/_autosave.html", {
                "saved": saved, "errors": forms.error_list(base) + forms.error_list(answers)})
        if saved:
            if request.POST.get("then") == "submit":
                if run_service(request, lambda: services.application_submit(by=request.user, application=application),
                               success=_("Submitted. The bureau will check the eligibility.")):
                    return redirect("programs:application_detail", pk=pk)
                return redirect("programs:application_edit", pk=pk)
            messages.success(request, _("Draft saved."))
            return redirect("programs:application_edit", pk=pk)
    else:
        base = forms.ApplicationForm(instance=application)
        answers = forms.AnswersForm(schema=schema, answers=application.answers)
    return render(request, "programs/application_edit.html", {
        "application": application, "form": base, "answers": answers, "files": attachments_of(application),
        "problems": selectors.eligibility_problems(application)})


@view_policy(SIGNED_IN)
def application_detail(request, pk):
    application = selectors.application_for(request.user, pk)
    user = request.user
    return render(request, "programs/application_detail.html", {
        "application": application, "answers": documents.answer_rows(application),
        "partners": selectors.partner_names(application), "files": attachments_of(application),
        "can_edit": policies.can_edit_application(user, application),
        "can_withdraw": policies.can_withdraw_application(user, application),
        "can_check": policies.can_check_eligibility(user, application),
        "can_decide": policies.can_decide(user, application),
        "comments": selectors.review_comments(application)
        if policies.can_read_review_comments(user, application) else None,
        "panel": selectors.active_panel(application) if is_bureau_staff(user) else None,
        "project": getattr(application, "project", None) if application.status == ApplicationStatus.AWARDED else None,
        "reason_form": ReasonForm(), "decide_form": forms.DecideForm()})


@require_POST
@view_policy(SIGNED_IN)
def application_action(request, pk, action):
    application = selectors.application_for(request.user, pk)
    user = request.user

    def act():
        if action == "submit":
            services.application_submit(by=user, application=application)
        elif action == "withdraw":
            services.application_withdraw(by=user, application=application)
        elif action in ("pass", "return", "reject"):
            services.application_check(by=user, application=application, action=action,
                                       reason=request.POST.get("reason", ""))
        elif action == "decide":
            form = forms.DecideForm(request.POST)
            if not form.is_valid():
                raise ValidationError(forms.first_error(form))
            services.application_decide(by=user, application=application, award=form.cleaned_data["award"],
                                        amount=form.cleaned_data["amount"], note=form.cleaned_data["note"])
        else:
            raise Http404

    run_service(request, act)
    return redirect("programs:application_detail", pk=pk)


@view_policy(SIGNED_IN)
def application_pdf(request, pk):
    application = selectors.application_for(request.user, pk)
    return download(documents.application_pdf(application), kind="pdf",
                    filename=f"{application.reference or application.pk}申报书.pdf")


# -- expert review ---------------------------------------------------------------------------------


@view_policy(SIGNED_IN)
def my_reviews(request):
    return render(request, "programs/my_reviews.html", {
        "page": paginate(request, selectors.my_assignments(request.user))})


@view_policy(SIGNED_IN)
def review(request, pk):
    seat = selectors.assignment_for(request.user, pk)
    application = seat.application
    user = request.user
    form = forms.ReviewForm(request.POST or None, criteria=application.call.criteria, initial={
        "comment": seat.comment, **{f"score_{key}": value for key, value in seat.scores.items()}})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "accept":
            run_service(request, lambda: services.assignment_respond(by=user, assignment=seat, accept=True),
                        success=None)
            return redirect("programs:review", pk=pk)
        if action == "decline":
            if run_service(request, lambda: services.assignment_respond(
                    by=user, assignment=seat, accept=False, reason=request.POST.get("reason", "")),
                    form=form, success=_("You declined; the bureau has been told.")):
                return redirect("programs:my_reviews")
        elif action != "submit":
            raise Http404
        elif form.is_valid() and run_service(request, lambda: services.review_submit(
                by=user, assignment=seat, scores=form.scores(), comment=form.cleaned_data["comment"]),
                form=form, success=_("Your review is submitted.")):
            return redirect("programs:my_reviews")
    return render(request, "programs/review.html", {
        "seat": seat, "application": application, "form": form,
        "sees_applicant": policies.sees_applicant(user, seat),
        "answers": documents.answer_rows(application), "files": attachments_of(application),
        "can_respond": policies.can_respond(user, seat), "can_review": policies.can_review(user, seat),
        "submitted": seat.status == AssignmentStatus.SUBMITTED})


# -- projects --------------------------------------------------------------------------------------


@view_policy(SIGNED_IN)
def project_list(request):
    return render(request, "programs/project_list.html", {
        "page": paginate(request, selectors.project_list(request.user))})


@view_policy(SIGNED_IN)
def project_detail(request, pk):
    project = selectors.project_for(request.user, pk)
    user = request.user
    vote = selectors.acceptance_vote_of(project, user)
    milestones = list(project.milestones.all())
    return render(request, "programs/project_detail.html", {
        "project": project, "application": project.application, "milestones": milestones,
        "disbursements": project.disbursements.all(), "votes": project.acceptance_votes.select_related("expert"),
        "can_manage": policies.can_manage_project(user, project), "is_staff": is_bureau_staff(user),
        "reportable": {m.pk for m in milestones if policies.can_report_milestone(user, project, m)},
        "assessable": {m.pk for m in milestones if policies.can_assess_milestone(user, m)},
        "can_start_acceptance": policies.can_start_acceptance(user, project),
        "can_conclude": policies.can_conclude_acceptance(user, project),
        "can_close": policies.can_close_project(user, project),
        "vote": vote if vote and policies.can_vote(user, vote) else None,
        "can_download": policies.can_download_award_letter(user, project),
        "taskbook_form": forms.TaskBookForm(instance=project), "disbursement_form": forms.DisbursementForm(),
        "milestone_form": forms.MilestoneForm(), "acceptance_form": forms.AcceptanceStartForm(),
        "vote_form": forms.VoteForm(), "conclude_form": forms.ConcludeForm()})


PROJECT_ACTIONS = {
    "taskbook": (lambda post, project: forms.TaskBookForm(post, instance=project),
                 lambda by, project, data: services.project_update(by=by, project=project, data=data)),
    "disbursement": (lambda post, project: forms.DisbursementForm(post),
                     lambda by, project, data: services.disbursement_add(by=by, project=project, **data)),
    "pay": (lambda post, project: forms.PayForm(post),
            lambda by, project, data: services.disbursement_pay(
                by=by, disbursement=project.disbursements.get(pk=data["disbursement"]), paid_on=data["paid_on"])),
    "milestone": (lambda post, project: forms.MilestoneForm(post),
                  lambda by, project, data: services.milestone_add(by=by, project=project, **data)),
    "report": (lambda post, project: forms.ReportForm(post),
               lambda by, project, data: services.milestone_report(
                   by=by, milestone=project.milestones.get(pk=data["milestone"]), report=data["report"])),
    "assess": (lambda post, project: forms.AssessForm(post),
               lambda by, project, data: services.milestone_assess(
                   by=by, milestone=project.milestones.get(pk=data["milestone"]), passed=data["passed"],
                   assessment=data["assessment"])),
    "acceptance": (lambda post, project: forms.AcceptanceStartForm(post),
                   lambda by, project, data: services.acceptance_start(by=by, project=project,
                                                                       experts=list(data["experts"]))),
    "vote": (lambda post, project: forms.VoteForm(post),
             lambda by, project, data: services.acceptance_vote(
                 by=by, vote=project.acceptance_votes.get(expert=by), **data)),
    "conclude": (lambda post, project: forms.ConcludeForm(post),
                 lambda by, project, data: services.acceptance_conclude(by=by, project=project, **data)),
    "close": (None, lambda by, project, data: services.project_close(by=by, project=project)),
}


@require_POST
@view_policy(SIGNED_IN)
@creates_once
def project_action(request, pk, action):
    project = selectors.project_for(request.user, pk)
    if action not in PROJECT_ACTIONS:
        raise Http404
    make_form, act = PROJECT_ACTIONS[action]
    form = make_form(request.POST, project) if make_form else None
    if form is not None and not form.is_valid():
        messages.error(request, forms.first_error(form))
        return redirect("programs:project_detail", pk=pk)
    run_service(request, lambda: act(request.user, project, dict(form.cleaned_data) if form is not None else {}))
    return redirect("programs:project_detail", pk=pk)


@view_policy(SIGNED_IN)
def award_letter(request, pk, fmt):
    project = selectors.project_for(request.user, pk, may=policies.can_download_award_letter)
    if fmt not in ("pdf", "docx"):
        raise Http404
    data = documents.award_letter_pdf(project) if fmt == "pdf" else documents.award_letter_docx(project)
    return download(data, kind=fmt, filename=f"{project.funded_project.reference}立项通知书.{fmt}")


@view_policy(policies.can_manage_programmes, description="bureau staff")
def unregistered(request):
    return render(request, "programs/unregistered.html", {
        "page": paginate(request, selectors.unregistered_projects())})


# -- open challenges -------------------------------------------------------------------------------


@view_policy(PUBLIC)
def challenge_lists(request):
    return render(request, "programs/challenge_lists.html", {
        "lists": selectors.challenge_lists(request.user), "can_manage": is_bureau_staff(request.user)})


@view_policy(PUBLIC)
def challenge_detail(request, pk):
    challenge = selectors.challenge_for(request.user, pk)
    return render(request, "programs/challenge_detail.html", {
        "challenge": challenge, "call": challenge.call, "can_apply": policies.can_apply(request.user, challenge.call),
        "can_edit": policies.can_edit_challenge(request.user, challenge),
        "can_run": policies.can_run_race(request.user, challenge),
        "history": selectors.race_history(challenge), "teams": services.racing_teams(challenge),
        "reviewed": selectors.applications_of_call(request.user, challenge.call,
                                                   status=ApplicationStatus.IN_REVIEW) if policies.can_run_race(
            request.user, challenge) else []})


@view_policy(policies.can_manage_programmes, description="bureau staff")
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
            return redirect("programs:challenge_manage")
    return render(request, "programs/challenge_manage.html", {
        "form": form, "lists": selectors.challenge_lists(request.user),
        "candidates": selectors.challenge_candidates_left()})


@view_policy(policies.can_manage_programmes, description="bureau staff")
def challenge_edit(request, pk):
    challenge = selectors.challenge_for(request.user, pk, may=policies.can_edit_challenge)
    form = forms.ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid() and run_service(
            request, lambda: services.challenge_save(by=request.user, challenge=challenge,
                                                     data=dict(form.cleaned_data)), form=form):
        return redirect("programs:challenge_manage")
    return render(request, "programs/challenge_edit.html", {"form": form, "challenge": challenge})


@require_POST
@view_policy(policies.can_manage_programmes, description="bureau staff")
def challenge_list_publish(request, pk):
    challenge_list = selectors.challenge_list_for(request.user, pk)
    run_service(request, lambda: services.challenge_list_publish(by=request.user, challenge_list=challenge_list),
                success=_("The challenge list is published."))
    return redirect("programs:challenge_manage")


@require_POST
@view_policy(policies.can_manage_programmes, description="bureau staff")
def challenge_race(request, pk, action):
    """The parallel track: select the phase-one teams, then assess each phase."""
    challenge = selectors.challenge_for(request.user, pk)

    def act():
        if action == "select":
            teams = list(selectors.applications_of_call(request.user, challenge.call).filter(pk__in=[
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
    return redirect("programs:challenge_detail", pk=pk)
