"""Which town's rounds a back-office page shows (issue 20: several towns on one install).
A town is a Wagtail Site; its staff work for the towns `roles.staffed_towns(user)` gives
(a superuser: every town); a page shows `roles.chosen_town(request)`."""
from backoffice import roles
from townmarket.town import town as town_identity

def town_query(request, town_id):
    """« ?ville=3 »: links of a round page keep its town; "" for staff of one town."""
    if roles.staffed_towns(request.user).count() < 2:
        return ""
    return f"?{roles.TOWN_PARAMETER}={town_id}"


def town_names(towns):
    """{site id: the town's name (its TownSettings)} for the towns listed."""
    return {site.pk: town_identity(site=site).name for site in towns}
