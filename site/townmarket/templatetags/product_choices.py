"""{% product_choice product as choice %}: a plugin's PRODUCT_CHOICES answer for a
product card (None for an ordinary product). `choice.label` and `choice.url` replace
the card's « Ajouter au panier » form with a link; `choice.price_label` (« À partir de
20,00 € »), when given, replaces the stock record's price. Hooks answer from data read
once per request: no query per card."""
from django import template

from townmarket import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def product_choice(context, product):
    return extensions.product_choice(context.get("request"), product)
