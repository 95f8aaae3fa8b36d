from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import OrganizationStatus
from kechuang.accounts.models import Organization
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


class ConflictForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("organisation"), queryset=Organization.objects.filter(
        status=OrganizationStatus.VERIFIED).order_by("name"))
    reason = forms.CharField(label=_("reason"), max_length=200,
                             help_text=_("For example: former employer, family member, shareholding, close partner."))
