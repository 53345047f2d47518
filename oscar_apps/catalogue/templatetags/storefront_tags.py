"""{% stock_label session.availability %}: stock in words a customer reads at a glance,
« En stock » or « Plus que 3 », rather than Oscar's « En stock (17 disponible(s)) »."""
from django import template
from django.utils.translation import gettext as _

register = template.Library()

FEW_LEFT = 5


@register.simple_tag
def stock_label(availability):
    if availability is None:
        return ""
    num_available = getattr(availability, "num_available", None)
    if availability.is_available_to_buy and num_available is not None:
        if num_available <= FEW_LEFT:
            return _("Plus que %(n)d") % {"n": num_available}
        return _("En stock")
    return availability.message
