"""A period of days for the back office's reports (settlements, gift cards): the
form, this month by default, and its bounds in the marketplace's time zone."""
import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townmarket.dates import BoundedDateField

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
INVALID = _("Date invalide. Choisissez une date, par exemple 30/11/2026.")


def date_field(label):
    # Bounded: bounds() adds a day to the end, which overflows on date.max.
    return BoundedDateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            input_formats=DATE_FORMATS, error_messages={"invalid": INVALID})


class PeriodForm(forms.Form):
    du = date_field(_("Du"))
    au = date_field(_("Au"))

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au"):
            if data["du"] > data["au"]:
                raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
            if (data["au"] - data["du"]).days > 366:
                raise forms.ValidationError(_("Choisissez une période d'un an au plus."))
        return data


def this_month_so_far():
    today = timezone.localdate()
    return today.replace(day=1), today


def chosen_period(query):
    """(form, start, end) from a GET query: the period typed if valid, else this month so far."""
    form = PeriodForm(query or None, initial=dict(zip(("du", "au"), this_month_so_far())))
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["du"], form.cleaned_data["au"]
    return form, *this_month_so_far()


def bounds(start, end):
    """[start 00:00, the day after end 00:00) in the marketplace's time zone."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))
