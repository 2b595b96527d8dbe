"""Form fields that choose rows by id and answer any junk with a message, never a server error.

Django's model choice fields pass what was posted straight to the database: a 20-digit id
overflows SQLite's integers and PostgreSQL's bigint. These refuse anything that is not an id
the database can hold, as an invalid choice.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

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


def date_near(value: date, *, years: int = 3) -> None:
    """Refuse a date more than a few years from today: no visit is planned that far, and a
    date near year 1 or 9999 has no place on a calendar (its times overflow)."""
    today = timezone.localdate()
    if abs((value - today).days) > 366 * years:
        raise ValidationError(
            f"Choose a date within {years} years of today.", code="date_out_of_range"
        )
