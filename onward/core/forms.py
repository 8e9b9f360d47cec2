"""Form errors that say which field: Django's "This field is required." becomes "Enter your date of birth".

Set as the project's form renderer (FORM_RENDERER), so every form's fields use it with no change to
the forms themselves. Forms that give their own "required" message keep it.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.translation import gettext as _

_CHOSEN = (forms.ChoiceField, forms.BooleanField, forms.FileField)


class NamedErrorsBoundField(BoundField):
    @property
    def errors(self) -> ErrorList:
        errors = super().errors
        generic = str(forms.Field.default_error_messages["required"])
        if generic not in errors:
            return errors
        named = [self._required_message() if str(error) == generic else str(error) for error in errors]
        return self.form.error_class(named, renderer=self.form.renderer)

    def _required_message(self) -> str:
        label = str(self.label or self.name).strip().removesuffix(":").strip()
        if label.endswith("?"):
            return _("Answer the question: %(question)s") % {"question": label}
        label = _lower_first(label.removesuffix(" (optional)"))
        if isinstance(self.field, _CHOSEN):
            return _("Select %(field)s") % {"field": label}
        return _("Enter %(field)s") % {"field": label}


class FormRenderer(DjangoTemplates):
    bound_field_class = NamedErrorsBoundField


def _lower_first(label: str) -> str:
    """'Type of appointment' -> 'type of appointment'; 'CRN or prison number' stays as it is."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1].isupper():
        return label
    return label[:1].lower() + label[1:]
