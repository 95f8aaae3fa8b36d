from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.files import DOCUMENTS, SPREADSHEETS, inspect_upload
from kechuang.core.validators import normalize_mobile, validate_mobile

# Browser date pickers; the value is written in the format the input type requires.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DocumentUploadForm(forms.Form):
    """One attachment (PDF, Word or image), checked by content before the view sees it."""

    file = forms.FileField(label=_("File (PDF, Word or image)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        inspect_upload(uploaded, DOCUMENTS)
        return uploaded


class SheetUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx) in the layout of the template"))
    dry_run = forms.BooleanField(label=_("Check only (dry run): show the problems, import nothing"), required=False,
                                 initial=True)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        inspect_upload(uploaded, SPREADSHEETS)
        return uploaded


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class RecordFormMixin:
    """For the forms of records classified by the reference data: the high-tech field and the
    industry are chosen at their second level, and a contact phone is a checked mobile number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("tech_field", "industry"):
            if name in self.fields:
                self.fields[name].queryset = self.fields[name].queryset.exclude(parent=None)

    def clean_contact_phone(self):
        phone = self.cleaned_data.get("contact_phone", "")
        if phone:
            validate_mobile(phone)
            phone = normalize_mobile(phone)
        return phone


# Django 6.1's blank choice label: its zh_Hans catalogue has no translation yet, so ours carries one.
BLANK_CHOICE_LABEL = _("- Select an option -")
