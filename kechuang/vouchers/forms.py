from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import OrganizationKind
from kechuang.core.forms import DATE_INPUT, model_form_field
from kechuang.vouchers.choices import ServiceKind
from kechuang.vouchers.models import Voucher, VoucherScheme


class SchemeForm(forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(label=_("eligible enterprise kinds"), required=False,
                                               choices=OrganizationKind.choices, widget=forms.CheckboxSelectMultiple)
    eligible_services = forms.MultipleChoiceField(label=_("eligible services"), required=False,
                                                  choices=ServiceKind.choices, widget=forms.CheckboxSelectMultiple,
                                                  help_text=_("Leave empty for every kind of service."))

    class Meta:
        model = VoucherScheme
        fields = ["name", "year", "total_budget", "per_enterprise_cap", "share", "eligible_kinds",
                  "eligible_services", "eligible_providers", "valid_from", "valid_until"]
        widgets = {"valid_from": DATE_INPUT, "valid_until": DATE_INPUT, "eligible_providers": forms.SelectMultiple(
            attrs={"size": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].help_text = _("For example 0.5: the voucher pays half of each service's cost.")
        if not self.is_bound:
            self.initial.setdefault("year", date.today().year)
            self.initial.setdefault("share", Decimal("0.5"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The scheme must end after it starts."))
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("eligible_providers", None)
        return data


class ApplyForm(forms.Form):
    amount = model_form_field(Voucher, "requested_amount", label=_("amount (yuan)"))
    purpose = forms.CharField(label=_("intended use"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class IssueForm(forms.Form):
    amount = model_form_field(Voucher, "requested_amount", label=_("amount to issue (yuan)"), required=False)
