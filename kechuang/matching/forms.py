from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import PlatformRole
from kechuang.accounts.models import User
from kechuang.achievements.models import Achievement
from kechuang.core.forms import model_form_field
from kechuang.core.models import District, ReadinessLevel, TechField
from kechuang.matching.models import Matchmaking, MatchmakingEvent


class FindSolutionForm(forms.Form):
    q = forms.CharField(label=_("Describe your technical problem in your own words"), max_length=2000,
                        widget=forms.Textarea(attrs={"rows": 4}))

    def clean_q(self):
        text = self.cleaned_data["q"].strip()
        if len(text) < 4:
            raise forms.ValidationError(_("Describe the problem in at least a few words."))
        return text


class MatchFilterForm(forms.Form):
    field = forms.ModelChoiceField(label=_("high-tech field"), required=False, to_field_name="code",
                                   queryset=TechField.objects.filter(parent=None), empty_label=_("All"))
    district = forms.ModelChoiceField(label=_("district"), required=False, to_field_name="code",
                                      queryset=District.objects.all(), empty_label=_("All"))
    readiness = forms.ModelChoiceField(label=_("readiness at least"), required=False, to_field_name="level",
                                       queryset=ReadinessLevel.objects.all(), empty_label=_("Any"))
    max_price = model_form_field(Achievement, "price", label=_("price up to (10,000 yuan)"), required=False)
    strong_only = forms.BooleanField(label=_("strong matches only"), required=False)

    def keep(self, recommendation) -> bool:
        if not self.is_valid():
            return True
        data, record = self.cleaned_data, recommendation.match.record
        return ((not data["field"] or record.field == data["field"].code)
                and (not data["district"] or record.district == data["district"].code)
                and (not data["readiness"] or (record.readiness or 0) >= data["readiness"].level)
                and (data["max_price"] is None or (record.price is not None and record.price <= data["max_price"]))
                and (not data["strong_only"] or recommendation.strong))


class IntentForm(forms.Form):
    message = forms.CharField(label=_("message to the other side"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    strength = forms.FloatField(required=False, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    meeting_at = model_form_field(MatchmakingEvent, "meeting_at", label=_("meeting time"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    location = forms.CharField(label=_("place"), required=False, max_length=120)


class SignForm(forms.Form):
    amount = model_form_field(Matchmaking, "contract_amount", required=True)
    signed_on = model_form_field(Matchmaking, "contract_date", required=True,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    broker = forms.ModelChoiceField(label=_("broker"), required=False, queryset=User.objects.none())
    officer = forms.ModelChoiceField(label=_("bureau officer"), required=False, queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["broker"].queryset = User.objects.filter(role_grants__role=PlatformRole.BROKER).distinct()
        self.fields["officer"].queryset = User.objects.filter(
            role_grants__role__in=[PlatformRole.BUREAU_OFFICER, PlatformRole.BUREAU_ADMIN]).distinct()
        self.fields["broker"].label_from_instance = self.fields["officer"].label_from_instance = (
            lambda user: user.display_name)
