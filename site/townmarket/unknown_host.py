"""A request whose Host names no town (issue 20, « Bad input »).

With one town (one Wagtail Site), every allowed host is that town: Wagtail's fallback to
the default Site, as before. With several, a host that is no Site's hostname (an old
domain, the server's IP address, a typo) is redirected (302) to the same path on the
default town's address (townmarket.absolute_urls), so it never shows a mix of towns nor
a town it did not ask for, and never fails. Wagtail matches a Site by hostname, then
port: a known hostname on another port is that town. The health checks (/healthz,
/ping), asked by address by load balancers, are answered whatever the host; a host
outside ALLOWED_HOSTS still gets Django's 400.

A known host costs no query: the hostnames come from Wagtail's list of Site root URLs
(Site.get_site_root_paths, in the default cache for an hour). Saving or deleting a Site
clears it in that process's cache only: without Redis, another process (`manage.py
new_town`) leaves this one's list stale. So a host missing from the list is redirected
only once Wagtail's own match (one query) finds no Site with this hostname."""
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseRedirect
from django.http.request import split_domain_port
from wagtail.models import Site

from .absolute_urls import absolute_url
from .sites import current_site

ANY_HOST_PATHS = ("/healthz", "/ping")


def known_hostnames():
    """The towns' hostnames, or None when there is one town or none (any host is it)."""
    roots = Site.get_site_root_paths()
    if len({root.site_id for root in roots}) < 2:
        return None
    return {urlsplit(root.root_url).hostname for root in roots}


class UnknownHostMiddleware:
    """Before the page cache: an unknown host never gets a cached page either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(ANY_HOST_PATHS):
            try:
                hostname = split_domain_port(request.get_host())[0]
            except DisallowedHost:
                return self.get_response(request)  # Django answers 400
            known = known_hostnames()
            if known is not None and hostname not in known:
                # Wagtail's match (kept on the request): the default town when no Site has
                # this hostname; None when there is no Site at all (Wagtail answers).
                town = current_site(request)
                if town is not None and town.hostname != hostname:
                    return HttpResponseRedirect(absolute_url(request.get_full_path(), request, site=town))
        return self.get_response(request)
