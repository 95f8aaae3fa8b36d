from django import forms

from kechuang.core.forms import RecordFormMixin
from kechuang.experts.models import SpecialistProfile
from kechuang.experts.services import PROFILE_FIELDS


class ProfileForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = SpecialistProfile
        fields = list(PROFILE_FIELDS)
        widgets = {"expertise": forms.Textarea(attrs={"rows": 5})}

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
