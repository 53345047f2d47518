"""Whose settlement a back-office page shows (issue 20: several towns on one install).
A town is a Wagtail Site; its association settles with its own shops only. The platform
administrator (several towns) may also ask for every town at once: `?ville=toutes`."""
from django.http import Http404
from django.utils.translation import gettext as _

from backoffice import roles
from townmarket.sites import current_site
from townmarket.town import town as town_identity

PARAMETER = "ville"
EVERY_TOWN = "toutes"


def chosen_towns(request):
    """(the town chosen, the towns whose shops are settled): `?ville=<id>` among the
    user's towns (another town, or a wrong id: 404), `?ville=toutes` for someone working
    for several towns (the chosen town is then None), else the town of the address the
    back office is opened on when it is theirs, else their first."""
    towns = roles.managed_towns(request.user)
    wanted = request.GET.get(PARAMETER, "")
    if wanted == EVERY_TOWN and towns.count() > 1:
        return None, list(towns.order_by("pk"))
    if wanted:
        found = towns.filter(pk=wanted).first() if wanted.isdigit() else None
        if found is None:
            raise Http404
        return found, [found]
    here = current_site(request)
    found = here if here is not None and towns.filter(pk=here.pk).exists() else towns.order_by("pk").first()
    if found is None:
        raise Http404
    return found, [found]


def town_choices(request):
    """[(value, name)] for the town selector: the user's towns, and « Toutes les villes »
    when there are several; [] for the staff of one town."""
    towns = list(roles.managed_towns(request.user).order_by("pk"))
    if len(towns) < 2:
        return []
    return [(EVERY_TOWN, _("Toutes les villes"))] + [(str(site.pk), town_identity(site=site).name) for site in towns]
