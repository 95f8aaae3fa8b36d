from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import DATE_INPUT, DATETIME_INPUT, RecordFormMixin
from kechuang.instruments.models import Instrument, InstrumentCategory
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
    samples = forms.IntegerField(label=_("number of samples"), min_value=1, max_value=10000)
    description = forms.CharField(label=_("what to test"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    voucher = forms.ModelChoiceField(label=_("pay partly with an innovation voucher"), required=False,
                                     queryset=Voucher.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voucher"].queryset = own_vouchers(user)


class CompleteForm(forms.Form):
    hours = forms.DecimalField(label=_("effective hours"), min_value=0, max_digits=7, decimal_places=2)
    cost = forms.DecimalField(label=_("cost (yuan)"), min_value=0, max_digits=12, decimal_places=2)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("score"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)])
    comment = forms.CharField(label=_("comment"), max_length=300, required=False)


class CatalogueBuildForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2020, max_value=2100)
    threshold_hours = forms.IntegerField(label=_("low use: effective hours a year below"), min_value=1,
                                         initial=1200)
    min_instruments = forms.IntegerField(label=_("at least this many instruments in the category"), min_value=1,
                                         initial=3)


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
