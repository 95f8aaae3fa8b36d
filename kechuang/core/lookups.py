"""Lookups the platform adds to Django's."""

from django.db import models
from django.db.models.lookups import In


class IntegerIn(In):
    """`pk__in` (a ModelMultipleChoiceField's check, an id list from a post) with a number no integer
    column can hold matches nothing for that number, as Django's exact and range lookups already do,
    instead of an overflow error from the database driver (a 500)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not isinstance(value, int)
                        or ((low is None or value >= low) and (high is None or value <= high))]
        return super().process_rhs(compiler, connection)


def register() -> None:
    models.IntegerField.register_lookup(IntegerIn)
