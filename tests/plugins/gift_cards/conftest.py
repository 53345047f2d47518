import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from plugins.gift_cards import ledger
from plugins.gift_cards.demo import create_offer
from plugins.gift_cards.models import GiftCard, Kind
from tests import factories

Partner = get_model("partner", "Partner")


@pytest.fixture
def offers(town):
    """The cheese shop's card (20/50 or 10–150 €), a voucher for its « Plateau
    dégustation » service, and the town card sold by the association."""
    tasting = factories.product(town["cheese"], title="Plateau dégustation", price="35.00", vat_rate="20.0")
    association = Partner.objects.create(name="Association des commerçants", code="carte-ville")
    return {
        "tasting": tasting,
        "association": association,
        "shop_card": create_offer(town["cheese"].partner, "Carte cadeau Fromagerie Test", "<p>Carte</p>",
                                  Decimal("20.00"), kind=Kind.SHOP, preset_amounts="20 50",
                                  min_amount=Decimal("10"), max_amount=Decimal("150")),
        "voucher": create_offer(town["cheese"].partner, "Bon pour un plateau dégustation", "<p>Bon</p>",
                                Decimal("35.00"), kind=Kind.SERVICE, service=tasting),
        "town_card": create_offer(association, "Carte cadeau de la ville", "<p>Carte ville</p>", Decimal("50.00"),
                                  kind=Kind.TOWN, preset_amounts="20 50 100", min_amount=Decimal("10"),
                                  max_amount=Decimal("300")),
    }


def make_card(kind=Kind.TOWN, amount="50.00", partner=None, service=None, expires_in_days=365):
    """A card as if bought and issued, with its « émission » entry."""
    card = GiftCard.objects.create(
        kind=kind, partner=partner, service=service, service_name=service.get_title() if service else "",
        initial_amount=Decimal(amount), expires_on=timezone.localdate() + datetime.timedelta(days=expires_in_days),
        recipient_name="Marie Dupont", recipient_email="marie@example.org")
    ledger.issue(card)
    return card


def card_form(**overrides):
    data = {"carte-amount_choice": "50", "carte-recipient_name": "Marie Dupont",
            "carte-recipient_email": "marie@example.org", "carte-message": "Joyeux anniversaire !",
            "carte-send_on": timezone.localdate().isoformat()}
    data.update({f"carte-{key}": value for key, value in overrides.items()})
    return data


def buy_card(client, product, **overrides):
    return client.post(reverse("gift_cards_add", args=[product.pk]), card_form(**overrides))


def apply_code(client, code, **extra):
    client.get(reverse("basket:summary"))  # shows (and so clears) the basket's own messages
    return client.post(reverse("gift_cards_apply"), {"code": code}, follow=True, **extra)


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def page_text(response):
    """The page's HTML with Oscar's non-breaking spaces (« 12,40\xa0€ ») made plain."""
    return response.content.decode().replace("\xa0", " ")


from tests.plugins.payments.conftest import fake_stripe  # noqa: E402,F401  the same fake Stripe
