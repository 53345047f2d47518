from django.utils import translation
from django.utils.formats import date_format

from . import clock


def date_label(day):
    """« jeudi 26 novembre », « mardi 1er décembre » (with the year when it is not this one's)."""

    french = (translation.get_language() or "fr").startswith("fr")
    number = "1er" if french and day.day == 1 else str(day.day)
    label = f"{date_format(day, 'l')} {number} {date_format(day, 'F')}"
    if day.year != clock.now().year:
        label += f" {day.year}"
    return label
