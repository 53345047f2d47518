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
    """(form, start, end) from a GET query: the period typed if valid, else this month so
    far (also for a query naming only something else: « ?ville=3 », « ?shop=5 »)."""
    typed = query if any(key in query for key in ("du", "au")) else None
    form = PeriodForm(typed, initial=dict(zip(("du", "au"), this_month_so_far())))
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["du"], form.cleaned_data["au"]
    return form, *this_month_so_far()


def bounds(start, end):
    """[start 00:00, the day after end 00:00) in the marketplace's time zone."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))


# --- A month, a quarter, a year or dates typed -----------------------------------------
MONTH, QUARTER, YEAR, DATES = "mois", "trimestre", "annee", "dates"
SPANS = [(MONTH, _("Mois")), (QUARTER, _("Trimestre")), (YEAR, _("Année")), (DATES, _("Du … au …"))]


def span_around(kind, day):
    """(first, last) day of the month, quarter or year that holds `day`."""
    if kind == YEAR:
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    first_month = day.month if kind == MONTH else 3 * ((day.month - 1) // 3) + 1
    first = day.replace(month=first_month, day=1)
    after = (first + datetime.timedelta(days=31 * (1 if kind == MONTH else 3))).replace(day=1)
    return first, after - datetime.timedelta(days=1)


class SpanForm(PeriodForm):
    """PeriodForm with a kind of period: a month, quarter or year (the one holding the
    date « Du ») or the dates typed. The bounds of PeriodForm (2000 to ten years ahead,
    end after start, a year at most) apply to the period chosen."""

    periode = forms.ChoiceField(label=_("Période"), choices=SPANS, required=False)

    field_order = ["periode", "du", "au"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["au"].required = False  # a month, a quarter, a year: « Du » alone

    def clean(self):
        kind = self.cleaned_data.get("periode") or DATES
        if kind != DATES and self.cleaned_data.get("du"):
            self.cleaned_data["du"], self.cleaned_data["au"] = span_around(kind, self.cleaned_data["du"])
        elif kind != DATES and "du" not in self.errors:
            self.add_error("du", _("Choisissez un jour du mois, du trimestre ou de l'année voulus."))
        elif kind == DATES and not self.errors and not (self.cleaned_data.get("du") and self.cleaned_data.get("au")):
            raise forms.ValidationError(_("Indiquez la date de début et la date de fin."))
        return super().clean()


def chosen_span(query):
    """(form, start, end) from a GET query: this month so far when nothing is asked;
    (form, None, None) when the period asked is invalid (the form says why in French:
    compute nothing then)."""
    form = SpanForm(query or None, initial={"periode": DATES, **dict(zip(("du", "au"), this_month_so_far()))})
    if not any(query.get(name) for name in ("periode", "du", "au")):
        return SpanForm(initial=form.initial), *this_month_so_far()
    if form.is_valid():
        return form, form.cleaned_data["du"], form.cleaned_data["au"]
    return form, None, None
