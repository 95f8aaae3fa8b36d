import uuid

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select, SelectMultiple
from django.utils.html import format_html

from kechuang.core import language

register = template.Library()


@register.simple_tag
def submission_key():
    """A create form's one-time key: posted twice, the form makes one record (core.web.run_service
    with redirect_to, core.services.create_once). A fresh key each time the form is shown."""
    from kechuang.core.web import SUBMISSION_KEY

    return format_html('<input type="hidden" name="{}" value="{}">', SUBMISSION_KEY, uuid.uuid4())


@register.filter
def number(value, places=None):
    """`{{ amount|number }}`, `{{ hours|number:2 }}`: the one way a page shows money, hours or a
    count (`core.language.format_number`: 5,000,000.00)."""
    return language.format_number(value, places)


@register.filter
def bilingual(item, key):
    """`{{ criterion|bilingual:"label" }}`: a label of a bureau-built form in the page's language."""
    return language.bilingual(item, key)


@register.filter
def join_items(items):
    """A list in running text, with the separator of the page's language (、 or a comma)."""
    return language.join_items(items)


@register.filter
def bootstrap(bound_field):
    """Renders a form field's widget with the Bootstrap class that fits it."""
    widget = bound_field.field.widget
    if isinstance(widget, CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, CheckboxSelectMultiple | RadioSelect):
        css = ""
    elif isinstance(widget, Select | SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css} if css else {})


@register.filter
def is_checkbox(bound_field):
    return isinstance(bound_field.field.widget, CheckboxInput)


@register.filter
def field_value(obj, name):
    value = getattr(obj, name, "")
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return display()
    if isinstance(value, bool):
        return "✓" if value else "—"
    return "" if value is None else value

