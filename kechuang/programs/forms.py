from datetime import date
from decimal import Decimal

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import OrganizationKind, OrganizationStatus
from kechuang.accounts.models import Organization, User
from kechuang.core.forms import DATE_INPUT, DATETIME_INPUT, RecordFormMixin, model_form_field
from kechuang.core.language import bilingual, english_pages
from kechuang.core.models import TechField
from kechuang.core.validators import parse_whole
from kechuang.programs import selectors
from kechuang.programs.choices import FieldType, Verdict
from kechuang.programs.models import (
    Application,
    Call,
    Disbursement,
    JointFundContribution,
    Milestone,
    Programme,
    Project,
)

DATE, DATETIME = DATE_INPUT, DATETIME_INPUT


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "kind", "description", "sponsor", "naming_threshold", "topic_fields"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "topic_fields": forms.SelectMultiple(
            attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = Organization.objects.filter(kind=OrganizationKind.ENTERPRISE,
                                                                      status=OrganizationStatus.VERIFIED)
        self.fields["topic_fields"].queryset = TechField.objects.order_by("code")


class ContributionForm(forms.Form):
    amount = model_form_field(JointFundContribution, "amount")
    received_on = model_form_field(JointFundContribution, "received_on", widget=DATE)
    reference = forms.CharField(label=_("payment reference"), max_length=60)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class CallForm(forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(label=_("eligible organisation kinds"), required=False,
                                               choices=OrganizationKind.choices, widget=forms.CheckboxSelectMultiple,
                                               help_text=_("Leave empty to admit every kind."))

    class Meta:
        model = Call
        fields = ["programme", "title", "year", "guide", "opens_at", "closes_at", "budget", "max_award",
                  "eligible_kinds", "eligible_districts", "require_verified", "exclude_overdue",
                  "max_per_organization", "max_per_person", "reviewers_per_application", "enterprise_reviewers",
                  "blind_review"]
        widgets = {"guide": forms.Textarea(attrs={"rows": 4}), "opens_at": DATETIME, "closes_at": DATETIME}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["eligible_districts"] = list(data["eligible_districts"])
        return data


FIELD_HELP = _("One field per line: key | label | type | required (yes/no) | options or columns separated by "
               "commas | rows (tables). Types: text, long_text, number, date, choice, table, attachment. "
               "Example: budget_table | Budget | table | yes | Item,Amount (10,000 yuan) | 8")
CRITERIA_HELP = _("One criterion per line: key | label | weight. The weights add up to 100. "
                  "Example: novelty_score | Novelty | 40")
YES = {"yes", "y", "true", "1", "是", "必填"}


def _type_words() -> dict[str, str]:
    """The words the editor takes for a field type: the code and its name in either language."""
    words = {kind.value: kind.value for kind in FieldType}
    for code in ("zh-hans", "en"):
        with translation.override(code):
            words.update({str(kind.label).lower(): kind.value for kind in FieldType})
    return words


def _type_word(kind: str) -> str:
    """What the editor writes for a type: the code on English pages, its name on Chinese ones."""
    return kind if english_pages() else str(FieldType(kind).label)


def _yes_no(required: bool) -> str:
    return str(_("yes") if required else _("no"))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.replace("｜", "|").split("|")]


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.replace("，", ",").replace("、", ",").split(",") if item.strip()]


def schema_to_lines(schema: list[dict]) -> str:
    lines = []
    for field in schema:
        extra = ",".join(field.get("choices") or field.get("columns") or [])
        line = " | ".join([field["key"], field["label"], _type_word(field["type"]), _yes_no(field.get("required")),
                           extra] + ([str(field.get("rows", 5))] if field["type"] == FieldType.TABLE else []))
        lines.append(line.rstrip(" |"))
    return "\n".join(lines)


def criteria_to_lines(criteria: list[dict]) -> str:
    return "\n".join(f"{item['key']} | {item['label']} | {item['weight']}" for item in criteria)


class CallFormBuilder(forms.Form):
    fields_text = forms.CharField(label=_("application form fields"), required=False, help_text=FIELD_HELP,
                                  widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}))
    criteria_text = forms.CharField(label=_("review criteria"), help_text=CRITERIA_HELP,
                                    widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}))

    def schema(self) -> list[dict]:
        schema = []
        for line in self.cleaned_data["fields_text"].splitlines():
            if not line.strip():
                continue
            cells = _cells(line) + [""] * 6
            key, label, kind, required, extra, rows = cells[:6]
            kind = _type_words().get(kind.lower(), kind)
            field = {"key": key, "label": label, "type": kind, "required": required.lower() in YES}
            if kind == FieldType.CHOICE:
                field["choices"] = _items(extra)
            if kind == FieldType.TABLE:
                field["columns"] = _items(extra)
                field["rows"] = parse_whole(rows) or 5
            schema.append(field)
        return schema

    def criteria(self) -> list[dict]:
        criteria = []
        for line in self.cleaned_data["criteria_text"].splitlines():
            if line.strip():
                cells = [*_cells(line), "", "", ""]
                criteria.append({"key": cells[0], "label": cells[1], "weight": cells[2]})
        return criteria


# -- the application's own form, built from the call's schema --------------------------------------


class TableWidget(forms.Widget):
    template_name = "programs/widgets/table.html"

    def __init__(self, columns: list[str], rows: int, attrs=None):
        super().__init__(attrs)
        self.columns, self.rows = columns, rows

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        filled = [list(row) for row in (value or []) if isinstance(row, list | tuple)]
        grid = [(filled[r] if r < len(filled) else [""] * len(self.columns)) for r in range(self.rows)]
        context["widget"].update(columns=self.columns, grid=[
            [(f"{name}-{r}-{c}", cell, self.columns[c]) for c, cell in enumerate(row)] for r, row in enumerate(grid)])
        return context

    def value_from_datadict(self, data, files, name):
        rows = [[str(data.get(f"{name}-{r}-{c}", "")).strip() for c in range(len(self.columns))]
                for r in range(self.rows)]
        return [row for row in rows if any(row)]


class TableField(forms.Field):
    def to_python(self, value):
        return value or []


def answer_field(spec: dict, *, required: bool) -> forms.Field:
    common = {"label": bilingual(spec, "label"), "help_text": spec.get("help", ""),
              "required": required and spec["required"]}
    kind = spec["type"]
    if kind == FieldType.TEXT:
        return forms.CharField(max_length=200, **common)
    if kind == FieldType.LONG_TEXT:
        return forms.CharField(max_length=10000, widget=forms.Textarea(attrs={"rows": 5}), **common)
    if kind == FieldType.NUMBER:
        return forms.DecimalField(max_digits=16, decimal_places=4, **common)
    if kind == FieldType.DATE:
        return forms.DateField(widget=DATE, **common)
    if kind == FieldType.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in spec["choices"])], **common)
    if kind == FieldType.TABLE:
        return TableField(widget=TableWidget(bilingual(spec, "columns"), spec.get("rows", 5)), **common)
    return forms.FileField(**{**common, "required": False})


def stored(value):
    """An answer as JSON stores it."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


class AnswersForm(forms.Form):
    """The call's own fields. Drafts save whatever is filled; required fields are enforced when
    the application is submitted (with the list of what is missing)."""

    def __init__(self, *args, schema: list[dict], answers: dict | None = None, **kwargs):
        initial = {key: value for key, value in (answers or {}).items() if not isinstance(value, dict)}
        super().__init__(*args, initial=initial, prefix="answer", **kwargs)
        self.schema = schema
        self.stored_files = {key: value for key, value in (answers or {}).items() if isinstance(value, dict)}
        for spec in schema:
            self.fields[spec["key"]] = answer_field(spec, required=False)
            if spec.get("required"):
                self.fields[spec["key"]].label = f"{bilingual(spec, 'label')} *"

    def answers(self) -> dict:
        kinds = {spec["key"]: spec["type"] for spec in self.schema}
        return {key: stored(value) for key, value in self.cleaned_data.items()
                if kinds.get(key) != FieldType.ATTACHMENT and key in self.data_keys()}

    def data_keys(self) -> set[str]:
        """The fields this request carried (an autosave may carry only some)."""
        present = set()
        for spec in self.schema:
            name = self.add_prefix(spec["key"])
            if spec["type"] == FieldType.TABLE:
                if any(key.startswith(f"{name}-") for key in self.data):
                    present.add(spec["key"])
            elif name in self.data:
                present.add(spec["key"])
        return present

    def uploads(self) -> dict:
        return {spec["key"]: self.cleaned_data[spec["key"]] for spec in self.schema
                if spec["type"] == FieldType.ATTACHMENT and self.cleaned_data.get(spec["key"])}


class ApplicationForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["title", "summary", "keywords", "tech_field", "requested_amount", "partners"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "partners": forms.SelectMultiple(attrs={"size": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Organization.objects.filter(status=OrganizationStatus.VERIFIED).exclude(
            kind=OrganizationKind.GOVERNMENT).exclude(pk=self.instance.organization_id)
        self.fields["partners"].required = False
        self.fields["partners"].help_text = _("Organisations that apply with you (optional).")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("partners", None)
        return data


class ProposeForm(forms.Form):
    randomised = forms.BooleanField(label=_("randomised assignment (caps each expert-application probability)"),
                                    required=False)
    cap = forms.DecimalField(label=_("largest probability of any one pair"), min_value=Decimal("0.1"),
                             max_value=Decimal("1"), decimal_places=2, initial=Decimal("0.5"))


class AddSeatForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    expert = forms.ModelChoiceField(label=_("expert"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = User.objects.filter(
            pk__in=selectors.expert_pool().values("user_id")).order_by("name")


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("reason for declining"), max_length=300)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("review comment"), widget=forms.Textarea(attrs={"rows": 6}), min_length=10,
                              max_length=5000)

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion['key']}"] = forms.IntegerField(
                label=_("%(label)s (weight %(weight)s%%)") % {"label": bilingual(criterion, "label"),
                                                             "weight": criterion["weight"]},
                min_value=0, max_value=100)
        self.order_fields([f"score_{c['key']}" for c in criteria] + ["comment"])

    def scores(self) -> dict:
        return {c["key"]: self.cleaned_data[f"score_{c['key']}"] for c in self.criteria}


class DecideForm(forms.Form):
    award = forms.TypedChoiceField(label=_("decision"), coerce=lambda v: v == "1",
                                   choices=[("1", _("Award")), ("0", _("Do not award"))])
    amount = model_form_field(Application, "awarded_amount", required=False)
    note = forms.CharField(label=_("decision note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("award") and not cleaned.get("amount"):
            self.add_error("amount", _("An award needs an amount greater than zero."))
        return cleaned


class TaskBookForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["starts_on", "ends_on", "objectives", "deliverables", "indicators"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "objectives": forms.Textarea(attrs={"rows": 3}),
                   "deliverables": forms.Textarea(attrs={"rows": 3}), "indicators": forms.Textarea(attrs={"rows": 3})}


class DisbursementForm(forms.Form):
    stage = forms.CharField(label=_("stage"), max_length=60)
    planned_on = model_form_field(Disbursement, "planned_on", widget=DATE)
    amount = model_form_field(Disbursement, "amount")


class PayForm(forms.Form):
    disbursement = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = model_form_field(Disbursement, "paid_on", required=True, widget=DATE)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=120)
    due_on = model_form_field(Milestone, "due_on", widget=DATE)


class ReportForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    report = forms.CharField(label=_("progress report"), widget=forms.Textarea(attrs={"rows": 4}), min_length=10)


class AssessForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    passed = forms.TypedChoiceField(label=_("assessment"), coerce=lambda v: v == "1",
                                    choices=[("1", _("Passed")), ("0", _("Needs rework"))])
    assessment = forms.CharField(label=_("officer's assessment"), widget=forms.Textarea(attrs={"rows": 2}))


class AcceptanceStartForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(label=_("acceptance panel"), queryset=User.objects.none(),
                                             widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = User.objects.filter(
            pk__in=selectors.expert_pool().values("user_id")).order_by("name")


class VoteForm(forms.Form):
    verdict = forms.ChoiceField(label=_("verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("opinion"), widget=forms.Textarea(attrs={"rows": 3}), min_length=10)


class ConcludeForm(forms.Form):
    opinion = forms.CharField(label=_("acceptance opinion"), widget=forms.Textarea(attrs={"rows": 3}))


def error_list(form) -> list[str]:
    labels = {name: field.label for name, field in form.fields.items()}
    return [f"{labels[name]}: {message}" if name in labels else str(message)
            for name, errors in form.errors.items() for message in errors]


def first_error(form) -> str:
    return " ".join(error_list(form))
