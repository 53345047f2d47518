"""{% seo_head_tags as seo %}: what includes/seo/head.html writes (townmarket.seo)."""
from django import template

from townmarket import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head_tags(context):
    return seo.head_tags(context)
