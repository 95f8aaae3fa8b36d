import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.achievements.choices import TransferMode
from kechuang.achievements.models import Achievement, FundedProject
from kechuang.core.forms import RecordFormMixin

COMPLETER_SPLIT = re.compile(r"[,，\t]|\s+", re.UNICODE)


def parse_completers(text: str) -> list[tuple[str, str]]:
    """One completer a line: the name, then optionally a role after a comma or a space."""
    completers = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            parts = COMPLETER_SPLIT.split(line, maxsplit=1)
            completers.append((parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""))
    return completers


class AchievementEditForm(RecordFormMixin, forms.ModelForm):
    transfer_modes = forms.MultipleChoiceField(label=_("transfer modes"), choices=TransferMode.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    completers = forms.CharField(
        label=_("Completers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One person a line, in order: the name, then the role (e.g. Zhang San project lead)."),
    )

    class Meta:
        model = Achievement
        fields = ["name", "summary", "description", "keywords", "form", "tech_field", "industry", "chain",
                  "readiness", "patent_numbers", "transfer_modes", "price", "price_negotiable", "source",
                  "funded_project", "contact_name", "contact_phone"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "patent_numbers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funded_project"].queryset = (FundedProject.objects.filter(organization=owner)
                                                  if owner is not None else FundedProject.objects.none())
        if self.instance.pk:
            self.initial["completers"] = "\n".join(
                f"{c.name} {c.role}".strip() for c in self.instance.completers.all())

    def clean_completers(self):
        return parse_completers(self.cleaned_data.get("completers", ""))

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the owner)"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=1000)
