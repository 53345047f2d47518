"""The plugin's registrations on the core's extension points."""
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from townmarket import extensions

from . import gateway, payments

CARD = "stripe_card"


@extensions.register(extensions.PAYMENT_METHODS)
def card_online(basket, checkout):
    """Offered only when the Stripe keys are set (and above Stripe's minimum)."""
    if not gateway.is_configured() or basket.total_incl_tax * 100 < gateway.MINIMUM_CENTS:
        return []
    return [
        extensions.PaymentMethod(
            code=CARD,
            label=_("Carte bancaire en ligne"),
            description=_("Paiement sécurisé (Stripe) pour tout le panier, sur la page suivante. "
                          "Vos articles vous sont réservés pendant le paiement."),
            start=payments.start,
            awaits_payment=True,
        )
    ]


@extensions.register(extensions.SHOP_ORDER_PANELS)
def payment_panel(request, shop_order):
    from .panels import payment_panel as panel  # templates and forms, only for the back office

    return [panel(request, shop_order)]


@extensions.register(extensions.PUBLIC_URLS)
def public_urls():
    return [path("paiement/", include("plugins.payments.urls"))]
