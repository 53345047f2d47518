from django import template

from oscar_apps.catalogue.descriptions import description_html

register = template.Library()


@register.filter
def product_description(html):
    """{{ product.description|product_description }}: the description's formatting, never its scripts."""
    return description_html(html)
