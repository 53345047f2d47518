"""The delivery days on the association's paper flyer (extensions.FLYER_SECTIONS)."""
from django.utils.translation import gettext as _

from townmarket import extensions

from .fields import WEEKDAYS
from .models import DeliverySettings

DAY_NAMES = dict(WEEKDAYS)


def days_text(days):
    """[2, 5] → « mardi et vendredi »; [1, 3, 5] → « lundi, mercredi et vendredi »."""
    names = [str(DAY_NAMES[day]).lower() for day in sorted(days)]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


@extensions.register(extensions.FLYER_SECTIONS)
def delivery_days(request):
    settings = DeliverySettings.for_town(request)
    if not settings.zone.configured:
        return []
    parts = []
    if settings.food_days:
        parts.append(_("%(days)s (alimentaire)") % {"days": days_text(settings.food_days)})
    if settings.other_days:
        parts.append(_("%(days)s (autres)") % {"days": days_text(settings.other_days)})
    if not parts:
        return []
    return [extensions.FlyerSection(_("Livraison à domicile"), ", ".join(parts))]
