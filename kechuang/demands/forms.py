from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.validators import normalize_mobile, validate_mobile
from kechuang.demands.choices import CooperationMode
from kechuang.demands.models import Demand


class DemandEditForm(forms.ModelForm):
    cooperation_modes = forms.MultipleChoiceField(label=_("cooperation modes"), choices=CooperationMode.choices,
                                                  required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Demand
        fields = ["title", "public_summary", "description", "keywords", "tech_field", "industry", "chain",
                  "district", "readiness_needed", "budget_min", "budget_max", "deadline", "cooperation_modes",
                  "confidential", "contact_name", "contact_phone"]
        widgets = {
            "public_summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tech_field"].queryset = self.fields["tech_field"].queryset.exclude(parent=None)
        self.fields["industry"].queryset = self.fields["industry"].queryset.exclude(parent=None)

    def clean_contact_phone(self):
        phone = self.cleaned_data.get("contact_phone", "")
        if phone:
            validate_mobile(phone)
            phone = normalize_mobile(phone)
        return phone

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
