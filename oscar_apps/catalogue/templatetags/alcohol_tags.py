"""{% alcohol_warning product %}: the health message (alcohol.HEALTH_WARNING) under an
alcoholic drink's price, on its page and its cards; nothing for any other product.
{% alcohol_notice order lines %}: « Contient de l'alcool : majorité confirmée par le client »
on a shop's part of an order holding alcohol (back office, the shop's e-mail)."""
from django import template
from django.utils.html import format_html

from oscar_apps.catalogue import alcohol
from oscar_apps.catalogue.alcohol import HEALTH_WARNING, is_alcohol

register = template.Library()


@register.simple_tag
def alcohol_warning(product):
    if not is_alcohol(product):
        return ""
    return format_html('<p class="alcohol-warning">{}</p>', HEALTH_WARNING)


@register.simple_tag
def alcohol_notice(order, lines):
    return alcohol.alcohol_notice(order, lines)
