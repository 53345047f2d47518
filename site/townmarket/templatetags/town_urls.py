"""{% load town_urls %}{% absolute_url_for path as url %}: a path on the site's public
address (townmarket.absolute_urls), for e-mails and anything read outside the browser.
The town is the request's; without a request (an e-mail sent by the worker), the one of
the context's `marketplace` (its TownSettings: an order's town), else the default Site.
The request in the template's context, if any, also decides http or https."""
from django import template

from townmarket.absolute_urls import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url_for(context, path):
    request = context.get("request")
    marketplace = context.get("marketplace")
    site = marketplace.site if request is None and getattr(marketplace, "site_id", None) else None
    return absolute_url(path, request=request, site=site)
