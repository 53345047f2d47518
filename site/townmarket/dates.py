"""Dates typed (or forged) into forms: only days the marketplace may deal with, from
2000 to ten years ahead, so a value such as 9999-12-31 or 0001-01-01 never reaches
date arithmetic or a time-zone conversion near date.max or date.min."""
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 2000
YEARS_AHEAD = 10


def check_in_range(value):
    latest_year = timezone.localdate().year + YEARS_AHEAD
    if value and not datetime.date(EARLIEST_YEAR, 1, 1) <= value <= datetime.date(latest_year, 12, 31):
        raise forms.ValidationError(_("Choisissez une date entre %(first)s et %(last)s."),
                                    code="out_of_range", params={"first": EARLIEST_YEAR, "last": latest_year})


class BoundedDateField(forms.DateField):
    def validate(self, value):
        super().validate(value)
        check_in_range(value)
