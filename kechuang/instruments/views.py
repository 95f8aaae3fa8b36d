from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.forms import ReasonForm
from kechuang.core.policies import PUBLIC, SIGNED_IN, view_policy
from kechuang.core.web import creates_once, form_errors_text, paginate, query_without_page, run_service
from kechuang.instruments import forms, policies, selectors, services
from kechuang.instruments.choices import InstrumentStatus
from kechuang.instruments.models import WarningCatalogue


@view_policy(PUBLIC)
def catalogue(request):
    params = {key: request.GET.get(key, "") for key in ("q", "category", "district", "status")}
    result = selectors.instrument_search(request.user, params["q"], category=params["category"],
                                         district=params["district"], status=params["status"],
                                         page=request.GET.get("page", "1"))
    facets = selectors.catalogue_facets(request.user, params["q"], district=params["district"])
    return render(request, "instruments/catalogue.html", {
        "result": result, "page": result.page, "params": params, "querystring": query_without_page(request),
        "categories": [(category, facets["category"].get(category.code, 0))
                       for category in selectors.categories().filter(parent=None)],
        "statuses": [(value, label, facets["status"].get(value, 0)) for value, label in InstrumentStatus.choices],
        "can_register": policies.can_manage_instrument(request.user)})


@view_policy(PUBLIC)
def detail(request, pk):
    instrument = selectors.instrument_for(request.user, pk)
    user = request.user
    can_request = policies.can_request(user, instrument)
    return render(request, "instruments/detail.html", {
        "instrument": instrument, "slots": selectors.upcoming_slots(instrument, timezone.now())[:50],
        "rating": selectors.average_rating(instrument), "can_request": can_request,
        "can_edit": policies.can_manage_instrument(user, instrument),
        "booking_form": forms.BookingForm(user=user) if can_request else None,
        "order_form": forms.OrderForm(user=user) if can_request else None,
        "show_contact": user.is_authenticated})


@view_policy(policies.can_manage_instrument, description="instrument providers")
@creates_once
def edit(request, pk=None):
    instrument = selectors.instrument_for(request.user, pk, may=policies.can_manage_instrument) if pk else None
    form = forms.InstrumentForm(request.POST or None, instance=instrument)
    if request.method == "POST" and form.is_valid():
        done = run_service(request, lambda: services.instrument_save(by=request.user, data=form.cleaned_data,
                                                                     instrument=instrument), form=form)
        if done:
            return redirect("instruments:detail", pk=done.result.pk)
    return render(request, "instruments/edit.html", {"form": form, "instrument": instrument})


@require_POST
@view_policy(SIGNED_IN)
@creates_once
def request_service(request, pk, kind):
    instrument = selectors.instrument_for(request.user, pk, may=policies.can_request)
    if kind not in ("booking", "order"):
        raise Http404
    form = (forms.BookingForm if kind == "booking" else forms.OrderForm)(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("instruments:detail", pk=pk)
    send = services.booking_request if kind == "booking" else services.order_request
    if run_service(request, lambda: send(by=request.user, instrument=instrument, **form.cleaned_data),
                   success=_("Sent to the instrument's provider.")):
        return redirect("instruments:mine")
    return redirect("instruments:detail", pk=pk)


@view_policy(SIGNED_IN)
def mine(request):
    return render(request, "instruments/mine.html", {
        "bookings": paginate(request, selectors.my_bookings(request.user).order_by("-starts_at")),
        "orders": selectors.my_orders(request.user)[:50], "rating_form": forms.RatingForm()})


@view_policy(policies.is_provider, description="instrument providers")
def queue(request):
    bookings, orders = selectors.provider_queue(request.user)
    return render(request, "instruments/queue.html", {
        "bookings": bookings, "orders": orders, "complete_form": forms.CompleteForm(), "reason_form": ReasonForm()})


@require_POST
@view_policy(SIGNED_IN)
def service_action(request, kind, pk, action):
    fetch = {"booking": selectors.booking_for, "order": selectors.order_for}.get(kind)
    if fetch is None:
        raise Http404
    service = fetch(request.user, pk)
    user, post = request.user, request.POST
    actions = {
        "confirm": lambda: services.booking_answer(by=user, booking=service, confirm=True),
        "decline": lambda: services.booking_answer(by=user, booking=service, confirm=False,
                                                   reason=post.get("reason", "")),
        "cancel": lambda: services.booking_cancel(by=user, booking=service),
        "accept": lambda: services.order_answer(by=user, order=service, accept=True),
        "refuse": lambda: services.order_answer(by=user, order=service, accept=False, reason=post.get("reason", "")),
    }

    def act():
        if action == "complete":
            form = forms.CompleteForm(post)
            if not form.is_valid():
                raise ValidationError(form_errors_text(form))
            complete = services.booking_complete if kind == "booking" else services.order_complete
            complete(by=user, **{kind: service}, hours=form.cleaned_data["hours"], cost=form.cleaned_data["cost"])
        elif action == "rate":
            form = forms.RatingForm(post)
            if not form.is_valid():
                raise ValidationError(_("Give 1 to 5 stars."))
            services.rating_add(by=user, service=service, **form.cleaned_data)
        elif action in actions and (kind == "booking") == (action in ("confirm", "decline", "cancel")):
            actions[action]()
        else:
            raise Http404

    run_service(request, act)
    return redirect(post.get("next") if post.get("next") in ("instruments:queue", "instruments:mine")
                    else "instruments:mine")


@view_policy(policies.can_view_utilisation, description="bureau staff and instrument providers")
def utilisation(request):
    low, high = WarningCatalogue._meta.get_field("year").limits()
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if not low <= year <= high:  # a year the database can compare with
        year = timezone.localdate().year
    owner = None if request.user.is_bureau_staff else request.user.organization
    return render(request, "instruments/utilisation.html", {
        "year": year, "rows": selectors.utilisation(year, owner=owner),
        "organisations": selectors.utilisation_by_organisation(year) if owner is None else None})


# -- purchase early warning ------------------------------------------------------------------------


@view_policy(PUBLIC)
def warning(request):
    """The early-warning catalogue (also as a PDF), the money saved, and for the bureau the build form."""
    from kechuang.core.documents import render_pdf
    from kechuang.core.web import download

    catalogue = selectors.latest_catalogue()
    if request.GET.get("format") == "pdf" and catalogue is not None:
        return download(render_pdf("instruments/pdf/warning.html", {"catalogue": catalogue}), kind="pdf",
                        filename=f"{catalogue.year}年新购大型科研仪器预警目录.pdf")
    form = None
    if policies.can_build_catalogue(request.user):
        form = forms.CatalogueBuildForm(request.POST or None, initial={"year": timezone.localdate().year})
        if request.method == "POST" and form.is_valid() and run_service(
                request, lambda: services.catalogue_build(by=request.user, **form.cleaned_data)):
            return redirect("instruments:warning")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "instruments/warning.html", {
        "catalogue": catalogue, "form": form, "savings": selectors.purchase_savings()})


@view_policy(SIGNED_IN)
@creates_once
def purchases(request):
    form = forms.PurchaseForm(request.POST or None) if policies.can_apply_for_purchase(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            done = run_service(request, lambda: services.purchase_apply(by=request.user, data=form.cleaned_data),
                               form=form, success=None)
            if done:
                return redirect("instruments:purchase", pk=done.result.pk)
    return render(request, "instruments/purchases.html", {
        "form": form, "page": paginate(request, selectors.purchase_list(request.user))})


@view_policy(SIGNED_IN)
def purchase(request, pk):
    application = selectors.purchase_for(request.user, pk)
    user = request.user
    if request.method == "POST":
        if request.POST.get("action") == "review":
            form = forms.PurchaseReviewForm(request.POST)
            if form.is_valid():
                run_service(request, lambda: services.purchase_review(by=user, application=application,
                                                                      **form.cleaned_data))
            else:
                messages.error(request, _("Write an opinion of at least 10 characters."))
        elif request.POST.get("action") == "decide":
            form = forms.PurchaseDecisionForm(request.POST)
            if form.is_valid():
                run_service(request, lambda: services.purchase_decide(by=user, application=application,
                                                                      **form.cleaned_data))
            else:
                messages.error(request, _("Write the decision note."))
        else:
            raise Http404
        return redirect("instruments:purchase", pk=pk)
    return render(request, "instruments/purchase.html", {
        "application": application, "reviews": application.reviews.select_related("expert"),
        "review_form": forms.PurchaseReviewForm() if policies.can_review_purchase(user, application) else None,
        "decision_form": forms.PurchaseDecisionForm() if policies.can_decide_purchase(user, application) else None})
