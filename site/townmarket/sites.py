"""Which town (Wagtail Site) a piece of work belongs to.

With a request: the Site Wagtail matches to its host (or the default Site). Without one
(a cron job, the task worker): the default Site. Every per-town value (TownSettings, a
plugin's site settings, absolute URLs) starts from here."""
from wagtail.models import Site


def current_site(request=None):
    if request is not None:
        site = Site.find_for_request(request)
        if site is not None:
            return site
    return Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
