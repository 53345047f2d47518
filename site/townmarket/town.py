"""The town's identity (name, association, contact, colour, logo, e-mail sender): the
TownSettings of a Wagtail Site, edited by association staff in the Wagtail admin.

    town(request)      the Site of the request (read once per request)
    town(site=site)    that Site's
    town()             the default Site's: e-mails and PDFs made without a request

Before any Site exists (an empty database, before `manage.py new_town`), an unsaved
TownSettings with the demo values."""
from email.utils import parseaddr

from django.conf import settings

from townmarket.sites import current_site, site_setting


def town(request=None, site=None):
    from townmarket.models import TownSettings

    if site is not None:
        return TownSettings.for_site(site)
    if request is not None and hasattr(request, TownSettings.get_cache_attr_name()):
        return getattr(request, TownSettings.get_cache_attr_name())
    if current_site(request) is None:
        return TownSettings()
    return site_setting(TownSettings, request=request)  # kept on the request


def sender(identity=None):
    """The From of the town's e-mails: the sender name of `identity` (a TownSettings;
    the default Site's if None) with DEFAULT_FROM_EMAIL's address."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    name = (identity or town()).sender_name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}" <{address}>'
