"""Model fields shared by the apps."""

from django import forms
from django.db import models


class ChoiceSetField(models.CharField):
    """A set of choices stored as ",a,b," so that one value is found with
    `field__contains=",a,"` on every database (see `contains_choice`)."""

    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices_class", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return [item for item in (value or "").split(",") if item]

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [item for item in (value or "").split(",") if item]

    def get_prep_value(self, value):
        if isinstance(value, str):
            return value
        items = sorted(set(value or []))
        return f",{','.join(items)}," if items else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        choices = self.choices_class.choices if self.choices_class else []
        return forms.MultipleChoiceField(
            choices=choices, required=not self.blank, label=self.verbose_name, widget=forms.CheckboxSelectMultiple
        )

    def validate(self, value, model_instance):
        if self.choices_class:
            unknown = set(value or []) - set(self.choices_class.values)
            if unknown:
                from django.core.exceptions import ValidationError

                raise ValidationError(f"unknown choices: {', '.join(sorted(unknown))}")
        if not self.blank and not value:
            from django.core.exceptions import ValidationError

            raise ValidationError(self.error_messages["blank"], code="blank")


def contains_choice(field_name: str, value: str) -> dict:
    return {f"{field_name}__contains": f",{value},"}
