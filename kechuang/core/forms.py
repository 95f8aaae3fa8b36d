from django import forms
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator, StepValueValidator
from django.utils.translation import gettext_lazy as _

from kechuang.core.files import DOCUMENTS, SPREADSHEETS, inspect_upload
from kechuang.core.validators import normalize_mobile, parse_number, validate_mobile

# Browser date pickers; the value is written in the format the input type requires.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BoundedDecimalFormField(forms.DecimalField):
    """A decimal typed into a form, read like an import cell or an API number (NaN and Infinity
    get their own message)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_number(value)

    def validate(self, value):
        forms.Field.validate(self, value)


class BoundedIntegerFormField(forms.IntegerField):
    """A whole number typed into a form, read like an import cell or an API number."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.run_validators(parse_number(value))  # the range first: 1E+999999999 has no integer to compute
        return int(parse_number(value, whole=True))


def bounded_form_field(model_field, form_field):
    """The form field of a bounded model field (core.fields): its one range validator instead of
    Django's digit and min/max checks, and the bounds as min/max for the browser."""
    if form_field is None:
        return None
    replaced = (DecimalValidator, MinValueValidator, MaxValueValidator, StepValueValidator)
    form_field.validators = [v for v in form_field.validators if not isinstance(v, replaced)]
    form_field.validators.append(model_field.range_validator)
    low, high = model_field.limits()
    if isinstance(form_field, forms.DateTimeField):
        return form_field  # a datetime-local input takes no time zone in min/max
    for name, bound in (("min", low), ("max", high)):
        if bound is not None:
            form_field.widget.attrs[name] = bound.isoformat() if hasattr(bound, "isoformat") else str(bound)
    return form_field


def model_form_field(model, name: str, **kwargs):
    """A plain form's field for a value that ends up in `model.name`: the same range, messages
    and browser hints as the model's own forms."""
    return model._meta.get_field(name).formfield(**kwargs)


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
