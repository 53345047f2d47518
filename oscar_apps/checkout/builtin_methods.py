"""The core's own fulfilment and payment methods, registered through the same
extension points plugins use: click & collect at each shop, and paying there; a shop
part made only of services (nothing to ship: a massage) happens at the shop."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from townmarket import extensions

CLICK_AND_COLLECT = "click_collect"
PAY_AT_PICKUP = "pay_at_pickup"
ON_SITE = "sur_place"


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


def physical_product_ids(checkout):
    """Ids of the basket's products that are physical (their product class requires
    shipping), read once per checkout request."""
    if "physical_product_ids" not in checkout.extra:
        Product = get_model("catalogue", "Product")
        ids = {line.product_id for line in checkout.basket.all_lines()}
        checkout.extra["physical_product_ids"] = set(
            Product.objects.filter(pk__in=ids)
            .filter(Q(product_class__requires_shipping=True) | Q(parent__product_class__requires_shipping=True))
            .values_list("pk", flat=True))
    return checkout.extra["physical_product_ids"]


@extensions.register(extensions.FULFILMENT_FILTERS, order=90)
def services_happen_at_the_shop(partner, options, checkout):
    """Services alone (a massage, a haircut) are neither collected nor delivered: one
    option, at the shop by appointment. A gift card plugin may then send its cards by
    e-mail (its own filter comes after this one)."""
    lines = [line for line in checkout.basket.all_lines() if line.stockrecord and line.stockrecord.partner_id == partner.pk]
    if not lines or physical_product_ids(checkout) & {line.product_id for line in lines}:
        return options
    shop_page = getattr(partner, "shop_page", None)
    address = shop_page.address_line if shop_page else ""
    return [extensions.FulfilmentOption(
        code=ON_SITE, label=_("Au commerce, sur rendez-vous"),
        description=_("Le commerce vous appelle pour fixer le rendez-vous."),
        details={"address": address, "opening_hours": shop_page.opening_hours_lines if shop_page else [],
                 "phone": shop_page.phone if shop_page else ""},
    )]


@extensions.register(extensions.PAYMENT_METHODS, order=-100)
def pay_at_pickup(basket, checkout):
    return [
        extensions.PaymentMethod(
            code=PAY_AT_PICKUP,
            label=_("Payer au commerçant"),
            description=_("Vous réglez chaque commerçant quand vous retirez ou recevez vos achats."),
        )
    ]
