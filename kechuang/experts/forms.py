from django import forms

from kechuang.experts.models import SpecialistProfile
from kechuang.experts.services import PROFILE_FIELDS


class ProfileForm(forms.ModelForm):
    class Meta:
        model = SpecialistProfile
        fields = list(PROFILE_FIELDS)
        widgets = {"expertise": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tech_field"].queryset = self.fields["tech_field"].queryset.exclude(parent=None)
        self.fields["industry"].queryset = self.fields["industry"].queryset.exclude(parent=None)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
