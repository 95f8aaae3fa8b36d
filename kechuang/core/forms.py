from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.files import DOCUMENTS, SPREADSHEETS, inspect_upload


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
