"""Form fields that choose rows by id and answer any junk with a message, never a server error.

Django's model choice fields pass what was posted straight to the database: a 20-digit id
overflows SQLite's integers and PostgreSQL's bigint. These refuse anything that is not an id
the database can hold, as an invalid choice.
"""

from django import forms
from django.core.exceptions import ValidationError

LARGEST_ID = 2**63 - 1  # BigAutoField on both databases


def is_id(value: object) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= LARGEST_ID


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:40]},
                )
        return super()._check_values(value)
