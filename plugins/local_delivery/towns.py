"""Which town's rounds a back-office page shows (issue 20: several towns on one install).
A town is a Wagtail Site; its staff work for the towns `roles.managed_towns(user)` gives
(a superuser: every town)."""
from django.http import Http404

from backoffice import roles
from townmarket.sites import current_site
from townmarket.town import town as town_identity

PARAMETER = "ville"


def chosen_town(request, wanted=None):
    """`?ville=<id>` among the user's towns (another town, or a wrong id: 404); without
    it, the town of the address the back office is opened on when it is theirs, else
    their first town."""
    towns = roles.managed_towns(request.user)
    wanted = request.GET.get(PARAMETER) if wanted is None else wanted
    if wanted:
        if not str(wanted).isdigit():
            raise Http404
        found = towns.filter(pk=wanted).first()
        if found is None:
            raise Http404
        return found
    here = current_site(request)
    if here is not None and towns.filter(pk=here.pk).exists():
        return here
    found = towns.order_by("pk").first()
    if found is None:
        raise Http404
    return found


def town_query(request, town_id):
    """« ?ville=3 »: links of a round page keep its town; "" for staff of one town."""
    if roles.managed_towns(request.user).count() < 2:
        return ""
    return f"?{PARAMETER}={town_id}"


def town_names(towns):
    """{site id: the town's name (its TownSettings)} for the towns listed."""
    return {site.pk: town_identity(site=site).name for site in towns}
