"""Writes of programmes. Each service checks its policy and the transition table, locks what it
changes, writes an audit event and notifies the people concerned."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.selectors import bureau_staff
from kechuang.achievements.models import FundedProject
from kechuang.core.errors import DomainError
from kechuang.core.files import DOCUMENTS, attachment_store
from kechuang.core.policies import is_bureau_staff
from kechuang.core.services import audit_record, notify
from kechuang.core.validators import field_errors, validate_not_future
from kechuang.experts.assignment import Infeasible, Problem, solve, solve_randomised
from kechuang.programs import formspec, policies, scoring, selectors
from kechuang.programs.choices import (
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    FieldType,
    ProgrammeKind,
    Verdict,
)
from kechuang.programs.models import (
    AcceptanceVote,
    Application,
    Call,
    Disbursement,
    JointFundContribution,
    Milestone,
    Programme,
    Project,
    ReviewAssignment,
)
from kechuang.programs.workflow import (
    APPLICATION_WORKFLOW,
    ASSIGNMENT_WORKFLOW,
    MILESTONE_WORKFLOW,
    PROJECT_WORKFLOW,
)

PROJECT_YEARS = 2


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# -- programmes and calls ------------------------------------------------------------------------


@transaction.atomic
def programme_save(*, by, data: dict, programme: Programme | None = None) -> Programme:
    _require(policies.can_manage_programmes(by))
    topics = data.pop("topic_fields", None)
    creating = programme is None
    programme = programme or Programme(created_by=by)
    for name, value in data.items():
        setattr(programme, name, value)
    if programme.kind == ProgrammeKind.JOINT_FUND and programme.sponsor_id is None:
        raise ValidationError({"sponsor": _("A joint fund needs its sponsoring enterprise.")})
    programme.full_clean()
    programme.save()
    if topics is not None:
        programme.topic_fields.set(topics)
    audit_record("programme.created" if creating else "programme.updated", by=by, obj=programme,
                 changes={"kind": programme.kind, "name": programme.name})
    return programme


def _not_future(errors: dict, name: str, day: date) -> None:
    try:
        validate_not_future(day)
    except ValidationError as error:
        errors[name] = error.messages


@transaction.atomic
def contribution_record(*, by, programme: Programme, amount: Decimal, received_on: date, reference: str,
                        note: str = "") -> JointFundContribution:
    """Adds a sponsor's payment to a joint fund's ledger. A reference already recorded is refused,
    so a payment entered twice is not counted twice."""
    _require(policies.can_manage_programmes(by))
    if programme.kind != ProgrammeKind.JOINT_FUND:
        raise DomainError(_("Only joint funds take contributions."))
    errors = field_errors(JointFundContribution, {"amount": ("amount", amount),
                                                  "received_on": ("received_on", received_on)},
                          required=("amount", "received_on"))
    if "received_on" not in errors:
        _not_future(errors, "received_on", received_on)
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if JointFundContribution.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": _("A payment with this reference is already recorded.")})
    named_before = programme.is_named
    contribution = JointFundContribution.objects.create(programme=programme, amount=amount, received_on=received_on,
                                                        reference=reference.strip(), note=note, recorded_by=by)
    audit_record("joint_fund.contribution", by=by, obj=programme,
                 changes={"amount": str(amount), "reference": reference, "total": str(programme.contributed)})
    if programme.is_named and not named_before:
        audit_record("joint_fund.named", by=by, obj=programme, changes={"sponsor": programme.sponsor.name})
    return contribution


@transaction.atomic
def call_save(*, by, data: dict, call: Call | None = None) -> Call:
    """Creates or edits a call's settings (the form and the criteria have their own service)."""
    districts = data.pop("eligible_districts", None)
    creating = call is None
    if call is not None:
        call = Call.objects.select_for_update().get(pk=call.pk)
        _require(policies.can_edit_call(by, call))
    else:
        _require(policies.can_manage_programmes(by))
        call = Call(created_by=by)
    for name, value in data.items():
        setattr(call, name, value)
    call.full_clean()
    if call.enterprise_reviewers > call.reviewers_per_application:
        raise ValidationError({"enterprise_reviewers": _("A panel cannot have more enterprise experts than experts.")})
    if call.closes_at <= call.opens_at:
        raise ValidationError({"closes_at": _("The call must close after it opens.")})
    call.save()
    if districts is not None:
        call.eligible_districts.set(districts)
    audit_record("call.created" if creating else "call.updated", by=by, obj=call,
                 changes={"opens_at": call.opens_at, "closes_at": call.closes_at, "budget": str(call.budget)})
    return call


@transaction.atomic
def call_set_form(*, by, call: Call, schema, criteria) -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    _require(policies.can_edit_call(by, call))
    if call.is_frozen:
        raise DomainError(_("The call has opened: its form and review criteria can no longer change."))
    call.form_schema, call.criteria = formspec.keep_english(
        formspec.clean_form_schema(schema), formspec.clean_criteria(criteria),
        previous_schema=call.form_schema, previous_criteria=call.criteria)
    call.save(update_fields=["form_schema", "criteria"])
    audit_record("call.form_set", by=by, obj=call, changes={"fields": len(call.form_schema),
                                                             "criteria": call.criteria})
    return call


@transaction.atomic
def call_publish(*, by, call: Call) -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    _require(policies.can_edit_call(by, call))
    if call.status != CallStatus.DRAFT:
        raise DomainError(_("Only a draft call can be published."))
    try:
        formspec.clean_criteria(call.criteria)
    except ValidationError as error:
        raise ValidationError(_("Set the review criteria first: %(problem)s")
                              % {"problem": " ".join(error.messages)}) from error
    if call.closes_at <= timezone.now():
        raise DomainError(_("The closing time has already passed."))
    call.status = CallStatus.PUBLISHED
    call.save(update_fields=["status"])
    audit_record("call.published", by=by, obj=call)
    return call


# -- applications -------------------------------------------------------------------------------


@transaction.atomic
def application_start(*, by, call: Call, data: dict) -> Application:
    _require(policies.can_apply(by, call))
    application = Application(call=call, applicant=by, organization=by.organization, **data)
    application.full_clean(exclude=["answers"])
    application.save()
    audit_record("application.started", by=by, obj=application, changes={"call": call.pk})
    return application


START_FIELDS = ("title", "summary", "requested_amount")


@transaction.atomic
def application_create(*, by, call: Call, data: dict, answers: dict) -> Application:
    """A draft with its first answers in one step (the API): nothing is kept when an answer is bad."""
    application = application_start(by=by, call=call, data={key: data[key] for key in START_FIELDS if key in data})
    rest = {key: value for key, value in data.items() if key not in START_FIELDS}
    return application_save(by=by, application=application, data=rest, answers=answers)


def _lock(application) -> Application:
    return Application.objects.select_for_update().select_related("call__programme", "organization").get(
        pk=application.pk)


@transaction.atomic
def application_save(*, by, application: Application, data: dict, answers: dict, partners=None,
                     uploads: dict | None = None) -> Application:
    """Saves a draft (also the autosave). Answers are checked for shape, not for completeness:
    the required fields are enforced on submission."""
    application = _lock(application)
    _require(policies.can_edit_application(by, application))
    schema = {field["key"]: field for field in application.call.form_schema}
    problems = {}
    merged = dict(application.answers)
    for key, value in answers.items():
        if key not in schema or schema[key]["type"] == FieldType.ATTACHMENT:
            continue
        problem = formspec.check_answer(schema[key], value)
        if problem:
            problems[key] = problem
        else:
            merged[key] = value
    for key, uploaded in (uploads or {}).items():
        if key in schema and schema[key]["type"] == FieldType.ATTACHMENT:
            stored = attachment_store(uploaded=uploaded, owner=application, purpose=key, by=by, allowed=DOCUMENTS)
            merged[key] = {"uuid": str(stored.uuid), "name": stored.original_name}
    if problems:
        raise ValidationError(problems)
    for name, value in data.items():
        setattr(application, name, value)
    application.answers = merged
    application.updated_at = timezone.now()
    application.full_clean(exclude=["answers"])
    application.save()
    if partners is not None:
        application.partners.set([partner for partner in partners if partner.pk != application.organization_id])
    audit_record("application.saved", by=by, obj=application, changes={"fields": sorted(data) + sorted(answers)})
    return application


def _next_reference(call: Call) -> str:
    Call.objects.select_for_update().get(pk=call.pk)   # serialises numbering within the call
    used = call.applications.exclude(reference=None).count()
    return f"{call.year}-{call.pk:03d}-{used + 1:04d}"


def applicant_notify(application, title: str, body: str = "") -> None:
    """Tells the application's project lead, linking to the application (also the challenges'
    solver teams)."""
    url = reverse("programs:application_detail", args=[application.pk])
    notify(application.applicant, title=title, body=body, url=url)


@transaction.atomic
def application_submit(*, by, application: Application) -> Application:
    application = _lock(application)
    _require(policies.can_submit_application(by, application))
    problems = [] if application.summary.strip() else [_("Summary: required.")]
    problems += formspec.missing_answers(application.call.form_schema, application.answers)
    problems += selectors.eligibility_problems(application)
    if problems:
        raise ValidationError(problems)
    old = application.status
    application.status = APPLICATION_WORKFLOW.target(application.status, "submit")
    if application.reference is None:
        application.reference = _next_reference(application.call)
    application.submitted_at = application.updated_at = timezone.now()
    application.return_reason = ""
    application.save()
    audit_record("application.submitted", by=by, obj=application, changes={"from": old,
                                                                            "reference": application.reference})
    applicant_notify(application, _("Application %(reference)s submitted") % {"reference": application.reference})
    return application


@transaction.atomic
def application_check(*, by, application: Application, action: str, reason: str = "") -> Application:
    """The eligibility check (形式审查): pass, return for correction or reject, with a reason for
    the last two."""
    if action not in ("pass", "return", "reject"):
        raise DomainError(_("Unknown action."))
    application = _lock(application)
    _require(policies.can_check_eligibility(by, application))
    if action != "pass" and not reason.strip():
        raise ValidationError({"reason": _("Give the applicant a reason.")})
    application.status = APPLICATION_WORKFLOW.target(application.status, action)
    application.return_reason = reason.strip()
    application.updated_at = timezone.now()
    application.save()
    audit_record(f"application.{action}", by=by, obj=application, changes={"reason": application.return_reason})
    titles = {"pass": _("Your application passed the eligibility check"),
              "return": _("Your application was returned for correction"),
              "reject": _("Your application did not pass the eligibility check")}
    applicant_notify(application, titles[action], application.return_reason)
    return application


@transaction.atomic
def application_withdraw(*, by, application: Application) -> Application:
    application = _lock(application)
    _require(policies.can_withdraw_application(by, application))
    old = application.status
    application.status = APPLICATION_WORKFLOW.target(application.status, "withdraw")
    application.updated_at = timezone.now()
    application.save()
    audit_record("application.withdrawn", by=by, obj=application, changes={"from": old})
    return application


# -- review -------------------------------------------------------------------------------------


def _problem_for(call, applications, profiles, *, exclude_pairs=()):
    remaining = selectors.open_load([profile.user_id for profile in profiles])
    max_load = {str(p.user_id): p.max_load - remaining.get(p.user_id, 0) for p in profiles
                if p.max_load - remaining.get(p.user_id, 0) > 0}
    conflicts = selectors.conflicted_pairs(applications, [profile.user_id for profile in profiles])
    affinity = selectors.affinities(applications, profiles)
    return Problem(
        demand={str(application.pk): call.reviewers_per_application for application in applications},
        max_load=max_load, enterprise={str(pk) for pk in selectors.enterprise_experts(profiles)},
        affinity={(str(a), str(e)): score for (a, e), score in affinity.items()
                  if (a, e) not in conflicts and (a, e) not in exclude_pairs},
        conflicts={(str(a), str(e)) for a, e in conflicts}, enterprise_minimum=call.enterprise_reviewers)


@transaction.atomic
def review_propose(*, by, call: Call, randomised: bool = False, cap: float = 0.5, rng=None) -> int:
    """Proposes panels for every application that passed the eligibility check: the optimal
    assignment, or in randomised mode a draw in which no pair has a probability above `cap`.
    Earlier proposals not yet sent are replaced. Returns the number of seats proposed."""
    _require(policies.can_manage_review(by, call))
    applications = list(call.applications.filter(status=ApplicationStatus.ELIGIBLE).select_related(
        "applicant", "tech_field").order_by("pk"))
    if not applications:
        raise DomainError(_("No application is waiting for expert review."))
    ReviewAssignment.objects.filter(application__in=applications, status=AssignmentStatus.PROPOSED).delete()
    profiles = list(selectors.expert_pool())
    problem = _problem_for(call, applications, profiles)
    try:
        assignment = solve_randomised(problem, cap=cap, rng=rng) if randomised else solve(problem)
    except Infeasible as error:
        raise DomainError(_("No assignment satisfies the rules: too few experts without a conflict, with free "
                            "capacity (and from enterprises where the call asks for them).")) from error
    enterprise = problem.enterprise
    ReviewAssignment.objects.bulk_create([
        ReviewAssignment(application_id=int(a), expert_id=int(e), affinity=problem.affinity[(a, e)],
                         enterprise_expert=e in enterprise) for a, e in sorted(assignment.pairs)])
    audit_record("review.proposed", by=by, obj=call, changes={
        "mode": "randomised" if randomised else "optimal", "cap": cap if randomised else None,
        "seats": len(assignment.pairs), "total_affinity": round(assignment.total_affinity, 4)})
    return len(assignment.pairs)


@transaction.atomic
def assignment_remove(*, by, assignment: ReviewAssignment) -> None:
    _require(policies.can_manage_review(by, assignment.application.call))
    if assignment.status != AssignmentStatus.PROPOSED:
        raise DomainError(_("Only a proposed seat can be removed; the expert has been invited."))
    audit_record("review.seat_removed", by=by, obj=assignment.application, changes={"expert": assignment.expert_id})
    assignment.delete()


@transaction.atomic
def assignment_add(*, by, application: Application, expert) -> ReviewAssignment:
    """An officer's adjustment: one more proposed seat. Conflicts are refused here too."""
    application = _lock(application)
    _require(policies.can_manage_review(by, application.call))
    if application.status != ApplicationStatus.ELIGIBLE:
        raise DomainError(_("Panels can be adjusted only before the invitations go out."))
    profile = selectors.expert_pool().filter(user=expert).first()
    if profile is None:
        raise ValidationError({"expert": _("This person is not an available expert.")})
    conflict = selectors.conflicted_pairs([application], [expert.pk]).get((application.pk, expert.pk))
    if conflict:
        raise DomainError(_("Conflict of interest: %(rule)s.") % {"rule": conflict})
    if application.assignments.filter(expert=expert).exists():
        raise DomainError(_("This expert is already on the panel."))
    affinity = selectors.affinities([application], [profile]).get((application.pk, expert.pk), 0.0)
    seat = ReviewAssignment.objects.create(application=application, expert=expert, affinity=affinity,
                                           enterprise_expert=profile.sector == "enterprise")
    audit_record("review.seat_added", by=by, obj=application, changes={"expert": expert.pk})
    return seat


def _invite(seat: ReviewAssignment) -> None:
    seat.status = ASSIGNMENT_WORKFLOW.target(seat.status, "invite")
    seat.invited_at = timezone.now()
    seat.save(update_fields=["status", "invited_at"])
    notify(seat.expert, title=_("Invitation to review: %(call)s") % {"call": seat.application.call.title},
           url=reverse("programs:review", args=[seat.pk]))


@transaction.atomic
def review_invite(*, by, call: Call) -> int:
    """Sends the proposed panels: the experts are invited and the applications go into review.
    Every panel must be complete and respect the enterprise rule."""
    _require(policies.can_manage_review(by, call))
    applications = list(Application.objects.select_for_update().filter(call=call, status=ApplicationStatus.ELIGIBLE))
    if not applications:
        raise DomainError(_("No application is waiting for expert review."))
    seats = list(ReviewAssignment.objects.filter(application__in=applications, status=AssignmentStatus.PROPOSED)
                 .select_related("application__call", "expert"))
    by_application: dict[int, list] = {}
    for seat in seats:
        by_application.setdefault(seat.application_id, []).append(seat)
    for application in applications:
        panel = by_application.get(application.pk, [])
        if len(panel) < call.reviewers_per_application:
            raise DomainError(_("The panel of %(title)s has %(n)d of %(needed)d experts.") % {
                "title": application.title, "n": len(panel), "needed": call.reviewers_per_application})
        if sum(seat.enterprise_expert for seat in panel) < call.enterprise_reviewers:
            raise DomainError(_("The panel of %(title)s lacks an enterprise expert.") % {"title": application.title})
    for seat in seats:
        _invite(seat)
    for application in applications:
        application.status = APPLICATION_WORKFLOW.target(application.status, "start_review")
        application.updated_at = timezone.now()
        application.save(update_fields=["status", "updated_at"])
    audit_record("review.invited", by=by, obj=call, changes={"applications": len(applications), "seats": len(seats)})
    return len(seats)


def _replacement(seat: ReviewAssignment) -> ReviewAssignment | None:
    """The best expert to take a declined seat: not on the panel before, no conflict, free
    capacity, and from an enterprise when the panel would otherwise fall below the call's minimum."""
    application, call = seat.application, seat.application.call
    tried = set(application.assignments.values_list("expert_id", flat=True))
    panel = [s for s in selectors.active_panel(application) if s.pk != seat.pk]
    needs_enterprise = sum(s.enterprise_expert for s in panel) < call.enterprise_reviewers
    profiles = [profile for profile in selectors.expert_pool() if profile.user_id not in tried
                and (not needs_enterprise or profile.sector == "enterprise")]
    if not profiles:
        return None
    problem = _problem_for(call, [application], profiles)
    options = sorted(((score, expert) for (_a, expert), score in problem.affinity.items()
                      if expert in problem.max_load), reverse=True)
    if not options:
        return None
    _score, expert = options[0]
    replacement = ReviewAssignment.objects.create(
        application=application, expert_id=int(expert), affinity=problem.affinity[(str(application.pk), expert)],
        enterprise_expert=expert in problem.enterprise)
    _invite(replacement)
    return replacement


@transaction.atomic
def assignment_respond(*, by, assignment: ReviewAssignment, accept: bool, reason: str = "") -> ReviewAssignment:
    seat = ReviewAssignment.objects.select_for_update().select_related("application__call").get(pk=assignment.pk)
    _require(policies.can_respond(by, seat))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Tell the bureau why you decline.")})
    seat.status = ASSIGNMENT_WORKFLOW.target(seat.status, "accept" if accept else "decline")
    seat.responded_at = timezone.now()
    seat.decline_reason = "" if accept else reason.strip()
    seat.save(update_fields=["status", "responded_at", "decline_reason"])
    audit_record("review.accepted" if accept else "review.declined", by=by, obj=seat.application,
                 changes={"expert": by.pk, "reason": seat.decline_reason})
    if not accept:
        replacement = _replacement(seat)
        audit_record("review.replaced", by=by, obj=seat.application,
                     changes={"declined": by.pk, "replacement": replacement.expert_id if replacement else None})
        if replacement is None:
            for officer in bureau_staff():
                notify(officer, title=_("No replacement reviewer for %(title)s") % {"title": seat.application.title},
                       url=reverse("programs:call_review", args=[seat.application.call_id]))
    return seat


def clean_scores(criteria: list[dict], scores: dict) -> dict[str, int]:
    cleaned, problems = {}, []
    for criterion in criteria:
        try:
            value = int(scores.get(criterion["key"]))
        except (TypeError, ValueError):
            value = None
        if value is None or not 0 <= value <= 100:
            problems.append(_("%(label)s: give a whole number from 0 to 100.") % {"label": criterion["label"]})
        else:
            cleaned[criterion["key"]] = value
    if problems:
        raise ValidationError(problems)
    return cleaned


@transaction.atomic
def review_submit(*, by, assignment: ReviewAssignment, scores: dict, comment: str) -> ReviewAssignment:
    seat = ReviewAssignment.objects.select_for_update().select_related("application__call").get(pk=assignment.pk)
    _require(policies.can_review(by, seat))
    criteria = seat.application.call.criteria
    cleaned = clean_scores(criteria, scores)
    if len(comment.strip()) < 10:
        raise ValidationError({"comment": _("Write a review comment of at least 10 characters.")})
    seat.scores = cleaned
    seat.weighted_score = scoring.weighted_score(criteria, cleaned)
    seat.comment = comment.strip()
    seat.status = ASSIGNMENT_WORKFLOW.target(seat.status, "submit")
    seat.submitted_at = timezone.now()
    seat.save()
    audit_record("review.submitted", by=by, obj=seat.application, changes={"score": str(seat.weighted_score)})
    return seat


@transaction.atomic
def application_decide(*, by, application: Application, award: bool, amount: Decimal | None = None,
                       note: str = "", starts_on: date | None = None) -> Application:
    """The panel decision. An award creates the project and its record among the funded projects
    whose results must be registered (成果登记汇交)."""
    application = _lock(application)
    _require(policies.can_decide(by, application))
    call = application.call
    if award:
        errors = field_errors(Application, {"amount": ("awarded_amount", amount)})
        if errors:
            raise ValidationError(errors)
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("An award needs an amount greater than zero.")})
        if call.max_award is not None and amount > call.max_award:
            raise ValidationError({"amount": _("The largest award in this call is %(max)s.") % {"max": call.max_award}})
        committed = (Application.objects.filter(call=call, status=ApplicationStatus.AWARDED)
                     .aggregate(total=Sum("awarded_amount"))["total"] or Decimal("0"))
        if committed + amount > call.budget:
            raise DomainError(_("The award would exceed the call's budget (%(left)s left).")
                              % {"left": call.budget - committed})
    application.status = APPLICATION_WORKFLOW.target(application.status, "award" if award else "decline")
    application.awarded_amount = amount if award else None
    application.decision_note = note.strip()
    application.decided_at = application.updated_at = timezone.now()
    application.save()
    if award:
        starts_on = starts_on or timezone.localdate()
        funded = FundedProject.objects.create(
            reference=application.reference, title=application.title, organization=application.organization,
            programme=call.programme.display_name, year=call.year, amount=amount)
        Project.objects.create(application=application, funded_project=funded, amount=amount, starts_on=starts_on,
                               ends_on=starts_on.replace(year=starts_on.year + PROJECT_YEARS) - timedelta(days=1))
    audit_record("application.awarded" if award else "application.not_awarded", by=by, obj=application,
                 changes={"amount": str(amount) if award else None, "note": application.decision_note})
    applicant_notify(application, _("Decision on %(title)s: %(status)s") % {
        "title": application.title, "status": application.get_status_display()}, application.decision_note)
    return application


# -- projects -----------------------------------------------------------------------------------


def project_lock(project) -> Project:
    """The project locked for the caller's transaction (also the challenges' racing teams)."""
    return Project.objects.select_for_update().select_related("application", "funded_project").get(pk=project.pk)


@transaction.atomic
def project_update(*, by, project: Project, data: dict) -> Project:
    """The task book (任务书): dates, objectives, deliverables, indicators."""
    project = project_lock(project)
    _require(policies.can_manage_project(by, project))
    for name, value in data.items():
        setattr(project, name, value)
    if project.ends_on <= project.starts_on:
        raise ValidationError({"ends_on": _("The project must end after it starts.")})
    project.full_clean()
    project.save()
    audit_record("project.task_book", by=by, obj=project, changes={key: str(value) for key, value in data.items()})
    return project


@transaction.atomic
def disbursement_add(*, by, project: Project, stage: str, planned_on: date, amount: Decimal) -> Disbursement:
    project = project_lock(project)
    _require(policies.can_manage_project(by, project))
    errors = field_errors(Disbursement, {"amount": ("amount", amount), "planned_on": ("planned_on", planned_on)},
                          required=("amount", "planned_on"))
    if errors:
        raise ValidationError(errors)
    planned = project.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if planned + amount > project.amount:
        raise ValidationError({"amount": _("The schedule would exceed the award (%(left)s left to plan).")
                               % {"left": project.amount - planned}})
    disbursement = Disbursement.objects.create(project=project, stage=stage, planned_on=planned_on, amount=amount)
    audit_record("project.disbursement_planned", by=by, obj=project, changes={"stage": stage, "amount": str(amount)})
    return disbursement


@transaction.atomic
def disbursement_pay(*, by, disbursement: Disbursement, paid_on: date) -> Disbursement:
    disbursement = Disbursement.objects.select_for_update().select_related("project").get(pk=disbursement.pk)
    _require(is_bureau_staff(by))
    if disbursement.paid_on is not None:
        raise DomainError(_("This instalment is already paid."))
    errors = field_errors(Disbursement, {"paid_on": ("paid_on", paid_on)}, required=("paid_on",))
    if "paid_on" not in errors:
        _not_future(errors, "paid_on", paid_on)
    if errors:
        raise ValidationError(errors)
    disbursement.paid_on = paid_on
    disbursement.save(update_fields=["paid_on"])
    audit_record("project.disbursement_paid", by=by, obj=disbursement.project,
                 changes={"stage": disbursement.stage, "amount": str(disbursement.amount), "paid_on": paid_on})
    return disbursement


@transaction.atomic
def milestone_add(*, by, project: Project, title: str, due_on: date) -> Milestone:
    project = project_lock(project)
    _require(policies.can_manage_project(by, project))
    if due_on is None or not project.starts_on <= due_on <= project.ends_on:
        raise ValidationError({"due_on": _("The milestone must fall within the project's duration.")})
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on)
    audit_record("project.milestone_added", by=by, obj=project, changes={"title": title, "due_on": due_on})
    return milestone


@transaction.atomic
def milestone_report(*, by, milestone: Milestone, report: str) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("project__application").get(pk=milestone.pk)
    _require(policies.can_report_milestone(by, milestone.project, milestone))
    if len(report.strip()) < 10:
        raise ValidationError({"report": _("Describe the progress in at least 10 characters.")})
    milestone.status = MILESTONE_WORKFLOW.target(milestone.status, "report")
    milestone.report = report.strip()
    milestone.reported_at = timezone.now()
    milestone.save()
    audit_record("project.milestone_reported", by=by, obj=milestone.project, changes={"milestone": milestone.title})
    return milestone


@transaction.atomic
def milestone_assess(*, by, milestone: Milestone, passed: bool, assessment: str) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("project__application").get(pk=milestone.pk)
    _require(policies.can_assess_milestone(by, milestone))
    if not assessment.strip():
        raise ValidationError({"assessment": _("Write the assessment.")})
    milestone.status = MILESTONE_WORKFLOW.target(milestone.status, "pass" if passed else "rework")
    milestone.assessment = assessment.strip()
    milestone.assessed_by = by
    milestone.save()
    audit_record("project.milestone_assessed", by=by, obj=milestone.project,
                 changes={"milestone": milestone.title, "passed": passed})
    applicant_notify(milestone.project.application, _("Milestone “%(title)s”: %(status)s") % {
        "title": milestone.title, "status": milestone.get_status_display()}, milestone.assessment)
    return milestone


@transaction.atomic
def acceptance_start(*, by, project: Project, experts: list) -> Project:
    """Opens acceptance (验收) with a panel of experts, none of them in conflict."""
    project = project_lock(project)
    _require(policies.can_start_acceptance(by, project))
    if len(experts) < 3:
        raise ValidationError({"experts": _("An acceptance panel needs at least three experts.")})
    pool = set(selectors.expert_pool().values_list("user_id", flat=True))
    conflicts = selectors.conflicted_pairs([project.application], [expert.pk for expert in experts])
    for expert in experts:
        if expert.pk not in pool:
            raise ValidationError({"experts": _("%(name)s is not an available expert.") % {"name": expert.name}})
        if (project.application_id, expert.pk) in conflicts:
            raise DomainError(_("Conflict of interest: %(name)s (%(rule)s).") % {
                "name": expert.name, "rule": conflicts[(project.application_id, expert.pk)]})
    project.status = PROJECT_WORKFLOW.target(project.status, "start_acceptance")
    project.save(update_fields=["status"])
    for expert in experts:
        AcceptanceVote.objects.create(project=project, expert=expert)
        notify(expert, title=_("Acceptance review: %(title)s") % {"title": project.application.title},
               url=reverse("programs:project_detail", args=[project.pk]))
    audit_record("project.acceptance_started", by=by, obj=project, changes={"experts": [e.pk for e in experts]})
    return project


@transaction.atomic
def acceptance_vote(*, by, vote: AcceptanceVote, verdict: str, comment: str) -> AcceptanceVote:
    vote = AcceptanceVote.objects.select_for_update().select_related("project").get(pk=vote.pk)
    _require(policies.can_vote(by, vote))
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose pass or fail.")})
    if len(comment.strip()) < 10:
        raise ValidationError({"comment": _("Write an opinion of at least 10 characters.")})
    vote.verdict, vote.comment, vote.voted_at = verdict, comment.strip(), timezone.now()
    vote.save()
    audit_record("project.acceptance_vote", by=by, obj=vote.project, changes={"verdict": verdict})
    return vote


@transaction.atomic
def acceptance_conclude(*, by, project: Project, opinion: str, accepted_on: date | None = None) -> Project:
    """Concludes acceptance by the panel's majority once every expert has voted. An accepted
    project is marked accepted among the funded projects, and its lead is asked to register the
    results in the achievements database."""
    project = project_lock(project)
    _require(policies.can_conclude_acceptance(by, project))
    votes = list(project.acceptance_votes.all())
    if any(not vote.verdict for vote in votes):
        raise DomainError(_("Not every panel expert has voted yet."))
    passed = sum(vote.verdict == Verdict.PASS for vote in votes) * 2 > len(votes)
    project.status = PROJECT_WORKFLOW.target(project.status, "accept" if passed else "fail")
    project.acceptance_opinion = opinion.strip()
    if passed:
        project.accepted_on = accepted_on or timezone.localdate()
        FundedProject.objects.filter(pk=project.funded_project_id).update(accepted_on=project.accepted_on)
    project.save()
    audit_record("project.accepted" if passed else "project.failed", by=by, obj=project,
                 changes={"votes": [vote.verdict for vote in votes]})
    if passed:
        applicant_notify(project.application, _("Project accepted: register its results"), _(
            "Please register the project's results in the achievements database and choose the project "
            "%(reference)s as their source.") % {"reference": project.funded_project.reference})
    else:
        applicant_notify(project.application, _("Project failed acceptance"), project.acceptance_opinion)
    return project


@transaction.atomic
def project_close(*, by, project: Project) -> Project:
    project = project_lock(project)
    _require(policies.can_close_project(by, project))
    project.status = PROJECT_WORKFLOW.target(project.status, "close")
    project.save(update_fields=["status"])
    audit_record("project.closed", by=by, obj=project)
    return project


@transaction.atomic
def project_stop(*, by, project: Project) -> Project:
    """Ends a running project without acceptance: a parallel-track team eliminated or merged after
    a phase. The challenge's assessment records why (challenges.services.challenge_assess)."""
    project = project_lock(project)
    _require(policies.can_manage_project(by, project))
    project.status = PROJECT_WORKFLOW.target(project.status, "stop")
    project.save(update_fields=["status"])
    return project
