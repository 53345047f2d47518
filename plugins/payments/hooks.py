"""The plugin's registrations on the core's extension points."""
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from townmarket import extensions

from . import gateway, payment_links, payments
from .money import cents

CARD = "stripe_card"


@extensions.register(extensions.PAYMENT_METHODS)
def card_online(basket, checkout):
    """Offered only when the Stripe keys are set (and above Stripe's minimum, once gift
    cards are taken off)."""
    if not gateway.is_configured() or cents(basket.total_incl_tax - checkout.prepaid) < gateway.MINIMUM_CENTS:
        return []
    return [
        extensions.PaymentMethod(
            code=CARD,
            label=_("Carte bancaire en ligne"),
            description=_("Paiement sécurisé (Stripe) pour tout le panier, sur la page suivante. "
                          "Vos articles vous sont réservés pendant le paiement."),
            start=payments.start,
            awaits_payment=True,
            payment_link=payment_links.link_for,  # an order taken by phone
        )
    ]


@extensions.register(extensions.PUBLIC_URLS)
def public_urls():
    return [path("paiement/", include("plugins.payments.urls"))]
