"""« 12,30 € » and « 12,30 » on the round page (townmarket.money's formats)."""
from django import template

from townmarket import money

register = template.Library()


@register.filter
def euros(value):
    return money.euros(value)


@register.filter
def amount(value):
    return money.amount(value).replace(money.NBSP, "")  # typed back into a form field
