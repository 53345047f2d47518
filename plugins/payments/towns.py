"""Whose settlement a back-office page shows (issue 20: several towns on one install).
A town is a Wagtail Site; its association settles with its own shops only. The platform
administrator (several towns) may also ask for every town at once: `?ville=toutes`."""
from django.utils.translation import gettext as _

from backoffice import roles
from townmarket.town import town as town_identity

EVERY_TOWN = "toutes"


def chosen_towns(request):
    """(the town chosen, the towns whose shops are settled): `?ville=<id>` among the
    user's towns (another town, or a wrong id: 404), `?ville=toutes` for someone working
    for several towns (the chosen town is then None), else the town of the address the
    back office is opened on when it is theirs, else their first."""
    towns = roles.managed_towns(request.user)
    if request.GET.get(roles.TOWN_PARAMETER) == EVERY_TOWN and towns.count() > 1:
        return None, list(towns.order_by("pk"))
    found = roles.chosen_town(request, among=roles.managed_towns)
    return found, [found]


def town_choices(request):
    """[(value, name)] for the town selector: the user's towns, and « Toutes les villes »
    when there are several; [] for the staff of one town."""
    towns = list(roles.managed_towns(request.user).order_by("pk"))
    if len(towns) < 2:
        return []
    return [(EVERY_TOWN, _("Toutes les villes"))] + [(str(site.pk), town_identity(site=site).name) for site in towns]
