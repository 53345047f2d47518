from django.utils.functional import SimpleLazyObject

from townmarket.town import town


def marketplace(request):
    """`marketplace`: the town's TownSettings (name, association, phone, e-mail, address,
    logo, primary_colour), read on first use, once per request. Oscar's templates'
    `shop_name` is the town's name too."""
    identity = SimpleLazyObject(lambda: town(request))
    return {"marketplace": identity, "shop_name": SimpleLazyObject(lambda: identity.name)}
