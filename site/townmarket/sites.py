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


def default_town_id():
    """The default Site's id: the town of rows made without one (a single-town install,
    a test, a migration of data from before there were several towns). None before any
    Site exists."""
    return (Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
            or Site.objects.order_by("pk").values_list("pk", flat=True).first())


def site_setting(model, request=None, site=None):
    """The row of a Wagtail site setting (a BaseSiteSetting subclass) for the town:
    `site` if given, else the request's Site, else the default Site. With a request it is
    read once and kept on the request (as Wagtail's `for_request` does), so every hook of
    one page view shares it. Before any Site exists (an empty database, before
    `manage.py new_town`): an unsaved row with the defaults."""
    keep = site is None and request is not None
    if keep:
        cached = getattr(request, model.get_cache_attr_name(), None)
        if cached is not None:
            return cached
    site = site or current_site(request)
    if site is None:
        return model()
    instance = model.for_site(site)
    if keep:
        instance._request = request
        setattr(request, model.get_cache_attr_name(), instance)
    return instance
