from django.conf import settings
from django.utils.functional import SimpleLazyObject

from townmarket import page_cache
from townmarket.sites import current_site
from townmarket.town import town


def marketplace(request):
    """`marketplace`: the town's TownSettings (name, association, phone, e-mail, address,
    logo, primary_colour), read on first use, once per request. Oscar's templates'
    `shop_name` is the town's name too."""
    identity = SimpleLazyObject(lambda: cached_town(request))
    return {"marketplace": identity, "shop_name": SimpleLazyObject(lambda: identity.name)}


def cached_town(request):
    """town(request), from the shared cache: every rendered page shows it. Kept per Site
    under the page cache's generation (townmarket.page_cache), so an edit of the town's
    settings (a watched table) shows on the next page, on every server."""
    from townmarket.models import TownSettings

    attribute = TownSettings.get_cache_attr_name()
    if hasattr(request, attribute) or not page_cache.enabled():
        return town(request)
    site = current_site(request)
    if site is None:
        return town(request)
    cache = page_cache.page_cache()
    key = f"town-settings:{site.pk}"
    found = cache.get_many([page_cache.GENERATION_KEY, key])
    generation, entry = found.get(page_cache.GENERATION_KEY), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        identity = entry[1]
    else:
        identity = town(site=site)  # read (or created, on the first visit ever) after the generation
        if generation is not None:
            cache.set(key, (generation, identity), settings.PAGE_CACHE_SECONDS)
    identity._request = request
    setattr(request, attribute, identity)  # town(request) reads it from here for the rest of the request
    return identity
