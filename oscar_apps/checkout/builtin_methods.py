"""The core's own fulfilment and payment methods, registered through the same
extension points plugins use: click & collect at each shop, and paying there."""
from django.utils.translation import gettext_lazy as _

from townmarket import extensions

CLICK_AND_COLLECT = "click_collect"
PAY_AT_PICKUP = "pay_at_pickup"


@extensions.register(extensions.FULFILMENT_OPTIONS, order=-100)
def click_and_collect(partner, lines, checkout):
    shop_page = getattr(partner, "shop_page", None)
    address = shop_page.address_line if shop_page else ""
    hours = shop_page.opening_hours_lines if shop_page else []
    return [
        extensions.FulfilmentOption(
            code=CLICK_AND_COLLECT,
            label=_("Retrait en magasin (click & collect)"),
            description=address,
            details={"address": address, "opening_hours": hours,
                     "phone": shop_page.phone if shop_page else ""},
        )
    ]


@extensions.register(extensions.PAYMENT_METHODS, order=-100)
def pay_at_pickup(basket, checkout):
    return [
        extensions.PaymentMethod(
            code=PAY_AT_PICKUP,
            label=_("Payer au commerçant"),
            description=_("Vous réglez chaque commerçant quand vous retirez ou recevez vos achats."),
        )
    ]
