"""Model fields shared by the apps: choice sets, and the numbers and dates that have a range."""

from datetime import UTC, date, datetime
from decimal import Decimal

from django import forms
from django.apps import apps
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.migrations.operations.base import Operation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kechuang.core.validators import RangeValidator


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


# --- numbers and dates with a range --------------------------------------------------------------
# Every number and date a user can enter is one of these fields. The range is declared once, on the
# field, and everything else is derived from it: the validator that full_clean (and so every
# service's clean) runs, a CHECK constraint on the model (<app>_<model>_<field>_range), the form
# field with min/max for the browser (`formfield`), the API body type (core.schemas.field_type)
# and the import cell's check (the importers call the services' clean). `bounded_fields()` lists
# them all for tests; docs/architecture.md has the table of ceilings.

WAN_YUAN = _("in 10,000 yuan")  # 万元
YUAN = _("yuan")
HOURS = _("hours")

# No amount of money the platform records exceeds 100 亿元: 1,000,000 万元 or 10,000,000,000 元
# (columns with a narrower purpose, such as an instrument's hourly price, have lower ceilings).
WAN_YUAN_CEILING = Decimal("1000000")
YUAN_CEILING = Decimal("10000000000")
# The hours of a leap year: what one instrument can give in a year.
HOURS_CEILING = Decimal("8784")
DATE_FLOOR, DATE_CEILING = date(1950, 1, 1), date(2100, 12, 31)
YEAR_FLOOR, YEAR_CEILING = 1990, 2100


class RangeCheck(models.CheckConstraint):
    """The database's copy of a bounded field's range. full_clean does not query it: the field's
    validator checks the same bounds in Python with a clearer message."""

    def validate(self, *args, **kwargs):
        return None


class BoundedMixin:
    places = None  # decimal places the validator enforces (decimals only)

    def __init__(self, *args, low=None, high=None, positive: bool = False, unit="", **kwargs):
        self.low, self.high, self.positive, self.unit = low, high, positive, unit
        super().__init__(*args, **kwargs)

    @cached_property
    def range_validator(self) -> RangeValidator:
        return RangeValidator(low=self.low, high=self.high, positive=self.positive, places=self.places,
                              unit=self.unit)

    @cached_property
    def validators(self):
        # The range replaces Django's digit counts and the database's integer limits: it lies
        # within both, and it reports one clear problem instead of several.
        replaced = (DecimalValidator, MinValueValidator, MaxValueValidator)
        return [*(v for v in super().validators if not isinstance(v, replaced)), self.range_validator]

    @classmethod
    def _generic(cls):
        """The general class of a preset (MoneyField, YearField...): it takes every argument."""
        return [klass for klass in cls.__mro__ if klass.__module__ == __name__ and klass is not BoundedMixin][-1]

    def deconstruct(self):
        # Migrations see the Django column; the range reaches them as the RangeCheck constraint.
        name, _path, args, kwargs = super().deconstruct()
        django_field = next(klass for klass in type(self).__mro__ if klass.__module__.startswith("django.db."))
        return name, f"django.db.models.{django_field.__name__}", args, kwargs

    def clone(self):
        _name, _path, args, kwargs = self.deconstruct()
        kwargs |= {key: value for key, value in (("low", self.low), ("high", self.high)) if value is not None}
        kwargs |= {key: value for key, value in (("positive", self.positive), ("unit", self.unit)) if value}
        return self._generic()(*args, **kwargs)

    def range_condition(self) -> models.Q:
        condition = models.Q()
        if self.positive:
            condition &= models.Q(**{f"{self.name}__gt": 0})
        if self.low is not None:
            condition &= models.Q(**{f"{self.name}__gte": self.low})
        if self.high is not None:
            condition &= models.Q(**{f"{self.name}__lte": self.high})
        return condition

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        meta = cls._meta
        # Models that migrations rebuild from their history (module __fake__) carry their
        # constraints in that history already.
        if meta.abstract or meta.proxy or cls.__module__ == "__fake__":
            return
        check_name = f"{meta.app_label}_{meta.model_name}_{name}_range"
        if not any(constraint.name == check_name for constraint in meta.constraints):
            # As if written in Meta.constraints, so that migrations see it.
            meta.constraints = [*meta.constraints, RangeCheck(condition=self.range_condition(), name=check_name)]
            meta.original_attrs["constraints"] = meta.constraints

    def limits(self) -> tuple:
        """The smallest and the largest value the field accepts."""
        step = Decimal(1).scaleb(-self.places) if self.places is not None else 1
        low = self.low if self.low is not None else (step if self.positive else None)
        return low, self.high

    def formfield(self, **kwargs):
        from kechuang.core.forms import BoundedDecimalFormField, BoundedIntegerFormField, bounded_form_field

        if isinstance(self, models.DecimalField):
            kwargs.setdefault("form_class", BoundedDecimalFormField)
        elif isinstance(self, models.IntegerField):
            kwargs.setdefault("form_class", BoundedIntegerFormField)
        return bounded_form_field(self, super().formfield(**kwargs))


class BoundedDecimalField(BoundedMixin, models.DecimalField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = self.decimal_places
        if self.high is None or self.high >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise ValueError(f"{self.high} does not fit {self.max_digits} digits with {self.decimal_places} places")


class MoneyField(BoundedDecimalField):
    """An amount of money in yuan or 万元: two decimal places (whole cents in yuan), at least zero
    or, when `positive`, above zero, and at most `high`."""

    def __init__(self, *args, unit=YUAN, high, max_digits=12, positive=False, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, unit=unit, high=high, positive=positive, low=None if positive else Decimal("0"),
                         max_digits=max_digits, **kwargs)


class HoursField(BoundedDecimalField):
    def __init__(self, *args, high=HOURS_CEILING, max_digits=7, decimal_places=2, **kwargs):
        super().__init__(*args, unit=HOURS, low=Decimal("0"), high=high, max_digits=max_digits,
                         decimal_places=decimal_places, **kwargs)


class ShareField(BoundedDecimalField):
    """A fraction above 0 and at most 1, two decimal places (0.5 = half)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, positive=True, high=Decimal("1"), max_digits=3, decimal_places=2, **kwargs)


class CountField(BoundedMixin, models.PositiveIntegerField):
    """A whole number from `low` (0 unless given) to `high`."""

    def __init__(self, *args, low=0, high=None, **kwargs):
        super().__init__(*args, low=low, high=high, **kwargs)


class SmallCountField(BoundedMixin, models.PositiveSmallIntegerField):
    def __init__(self, *args, low=0, high=None, **kwargs):
        if high is None or high > 32767:
            raise ValueError("a small count needs a ceiling of at most 32767")
        super().__init__(*args, low=low, high=high, **kwargs)


class YearField(SmallCountField):
    def __init__(self, *args, low=YEAR_FLOOR, high=YEAR_CEILING, **kwargs):
        super().__init__(*args, low=low, high=high, **kwargs)


class BoundedDateField(BoundedMixin, models.DateField):
    """A calendar date within DATE_FLOOR..DATE_CEILING. Rules relative to today (a deadline not in
    the past, a contract not in the future) belong to the services, since a stored date ages."""

    def __init__(self, *args, low=DATE_FLOOR, high=DATE_CEILING, **kwargs):
        super().__init__(*args, low=low, high=high, **kwargs)


class BoundedDateTimeField(BoundedMixin, models.DateTimeField):
    def __init__(self, *args, low=None, high=None, **kwargs):
        low = low or datetime.combine(DATE_FLOOR, datetime.min.time(), tzinfo=UTC)
        high = high or datetime.combine(DATE_CEILING, datetime.max.time().replace(microsecond=0), tzinfo=UTC)
        super().__init__(*args, low=low, high=high, **kwargs)


def bounded_fields():
    """(model, field) for every number and date with a range, in every installed app: what the
    range tests and the input fuzzing read."""
    return [(model, field) for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, BoundedMixin)]


class AlterChecks(Operation):
    """Migration operation: removes and adds the CHECK constraints of several models at once.
    SQLite rebuilds the whole table for every constraint added or removed on its own, and the
    migration machinery copies its state before every operation; this does both once.
    `changes` maps a model name to {"add": [constraints], "remove": [names]}."""

    reversible = True

    def __init__(self, changes: dict):
        self.changes = {name: {"add": list(change.get("add", ())), "remove": list(change.get("remove", ()))}
                        for name, change in changes.items()}

    def deconstruct(self):
        return self.__class__.__name__, [], {"changes": self.changes}

    def describe(self):
        return f"Alter the CHECK constraints of {', '.join(self.changes)}"

    @property
    def migration_name_fragment(self):
        return "alter_checks"

    def state_forwards(self, app_label, state):
        for model_name, change in self.changes.items():
            for name in change["remove"]:
                state.remove_constraint(app_label, model_name.lower(), name)
            for constraint in change["add"]:
                state.add_constraint(app_label, model_name.lower(), constraint)

    def _database(self, app_label, schema_editor, from_state, to_state, *, backwards: bool):
        for model_name, change in self.changes.items():
            old = from_state.apps.get_model(app_label, model_name)
            new = to_state.apps.get_model(app_label, model_name)
            if not self.allow_migrate_model(schema_editor.connection.alias, new):
                continue
            added_names = set(change["remove"] if backwards else (c.name for c in change["add"]))
            removed_names = set((c.name for c in change["add"]) if backwards else change["remove"])
            added = [c for c in new._meta.constraints if c.name in added_names]
            removed = [c for c in old._meta.constraints if c.name in removed_names]
            if schema_editor.connection.vendor == "sqlite":
                # One rebuild of the table, with the constraints of the state migrated to.
                if added:
                    schema_editor.add_constraint(new, added[0])
                elif removed:
                    schema_editor.remove_constraint(new, removed[0])
                continue
            for constraint in removed:
                schema_editor.remove_constraint(old, constraint)
            for constraint in added:
                schema_editor.add_constraint(new, constraint)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._database(app_label, schema_editor, from_state, to_state, backwards=False)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._database(app_label, schema_editor, from_state, to_state, backwards=True)
