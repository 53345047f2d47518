"""{% load town_urls %}{% absolute_url_for path as url %}: a path on the site's public
address (townmarket.absolute_urls), for e-mails and anything read outside the browser.
The request in the template's context, if any, only decides http or https."""
from django import template

from townmarket.absolute_urls import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url_for(context, path):
    return absolute_url(path, request=context.get("request"))
