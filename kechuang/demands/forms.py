from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import RecordFormMixin
from kechuang.demands.choices import CooperationMode
from kechuang.demands.models import Demand


class DemandEditForm(RecordFormMixin, forms.ModelForm):
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

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
