from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import DATE_INPUT, DATETIME_INPUT, RecordFormMixin, model_form_field
from kechuang.instruments.models import Booking, Instrument, InstrumentCategory, ServiceOrder, WarningCatalogue
from kechuang.instruments.services import INSTRUMENT_FIELDS
from kechuang.vouchers.choices import VoucherStatus
from kechuang.vouchers.models import Voucher


class InstrumentForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = Instrument
        fields = list(INSTRUMENT_FIELDS)
        widgets = {"purchased_on": DATE_INPUT,
                   "specifications": forms.Textarea(attrs={"rows": 4}),
                   "sample_requirements": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = InstrumentCategory.objects.select_related("parent")


def own_vouchers(user):
    if not user.is_authenticated or user.organization is None:
        return Voucher.objects.none()
    return Voucher.objects.filter(enterprise=user.organization, status=VoucherStatus.ISSUED).select_related("scheme")


class BookingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("from"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("until"), widget=DATETIME_INPUT)
    purpose = forms.CharField(label=_("purpose"), max_length=300)
    voucher = forms.ModelChoiceField(label=_("pay partly with an innovation voucher"), required=False,
                                     queryset=Voucher.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voucher"].queryset = own_vouchers(user)


class OrderForm(forms.Form):
    samples = model_form_field(ServiceOrder, "samples")
    description = forms.CharField(label=_("what to test"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    voucher = forms.ModelChoiceField(label=_("pay partly with an innovation voucher"), required=False,
                                     queryset=Voucher.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voucher"].queryset = own_vouchers(user)


class CompleteForm(forms.Form):
    hours = model_form_field(Booking, "effective_hours", required=True)
    cost = model_form_field(Booking, "cost", required=True)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("score"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)])
    comment = forms.CharField(label=_("comment"), max_length=300, required=False)


class CatalogueBuildForm(forms.Form):
    year = model_form_field(WarningCatalogue, "year")
    threshold_hours = model_form_field(WarningCatalogue, "threshold_hours", initial=1200)
    min_instruments = model_form_field(WarningCatalogue, "min_instruments", initial=3)


class PurchaseForm(forms.ModelForm):
    class Meta:
        from kechuang.instruments.models import PurchaseApplication

        model = PurchaseApplication
        fields = ["name", "category", "specifications", "value", "justification"]
        widgets = {"specifications": forms.Textarea(attrs={"rows": 3}), "justification": forms.Textarea(
            attrs={"rows": 4})}


class PurchaseReviewForm(forms.Form):
    opinion = forms.ChoiceField(label=_("opinion"), choices=[("support", _("Support the purchase")),
                                                             ("oppose", _("Use shared instruments instead"))],
                                widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), min_length=10)


class PurchaseDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("decision"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Purchase approved")), ("0", _("Purchase not approved"))])
    note = forms.CharField(label=_("decision note"), widget=forms.Textarea(attrs={"rows": 2}))
