from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (1, _("Lundi")), (2, _("Mardi")), (3, _("Mercredi")), (4, _("Jeudi")),
    (5, _("Vendredi")), (6, _("Samedi")), (7, _("Dimanche")),
]


class WeekdaysField(models.CharField):
    """A set of ISO weekdays (1 = Monday), stored as « 2,5 », edited as checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        try:
            days = sorted({int(day) for day in value})
        except (TypeError, ValueError):
            raise ValidationError(_("Jours de la semaine invalides."))
        if any(day < 1 or day > 7 for day in days):
            raise ValidationError(_("Jours de la semaine invalides."))
        return days

    def get_prep_value(self, value):
        return ",".join(str(day) for day in self.to_python(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def run_validators(self, value):
        return super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices_form_class": forms.TypedMultipleChoiceField,
            "coerce": int,
            "choices": WEEKDAYS,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
        }
        defaults.update(kwargs)
        # CharField.formfield would add max_length, which a list field does not take.
        return models.Field.formfield(self, **defaults)


class EurosField(models.DecimalField):
    """An amount in euros, typed the French way (« 4,50 ») in the admin forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"localize": True, **kwargs})
