"""{% product_image_url image "fill-400x400" %}: the address of a product picture's
thumbnail (oscar_apps.catalogue.thumbnails), never the uploaded original."""
from django import template

from oscar_apps.catalogue import thumbnails

register = template.Library()


@register.simple_tag
def product_image_url(image, spec):
    """`image`: a ProductImage (or its `original` file); "" without a picture."""
    original = getattr(image, "original", image)
    return thumbnails.url(original, spec) if original else ""
