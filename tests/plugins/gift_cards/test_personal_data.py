"""Gift cards in a customer's data: the export lists the cards they bought (and nothing of
another buyer's); erasing the buyer blanks the names, e-mail and message, and the card
stays usable by its code with its balance (a bearer voucher); a card still to be sent
postpones the erasure."""
import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from plugins.gift_cards.models import GiftCard
from tests.integration.helpers import checkout_data
from tests.integration.test_personal_data import traces_of

from .conftest import buy_card, page_text
from .test_buying import hand_over

ShopOrder = get_model("order", "ShopOrder")
BALANCE = "/cartes-cadeaux/solde/"
PASSWORD = "pw-client-2026"


def buyer(username, first_name, last_name):
    return get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD,
                                                first_name=first_name, last_name=last_name)


def card_bought_by(client, user, offers, capture, recipient, **fields):
    client.force_login(user)
    buy_card(client, offers["town_card"], recipient_name=recipient,
             recipient_email=f"{recipient.split()[1].lower()}@example.org", message=f"Bon anniversaire {recipient}",
             **fields)
    with capture(execute=True):
        client.post(reverse("checkout:index"), checkout_data(
            client, first_name=user.first_name, last_name=user.last_name, email=user.email))
    shop_order = ShopOrder.objects.filter(order__user=user).latest("pk")
    hand_over(shop_order, capture)
    client.logout()
    return GiftCard.objects.get(order_line__order=shop_order.order)


@pytest.fixture
def buyers(client, offers, django_capture_on_commit_callbacks):
    helene, marc = buyer("helene", "Hélène", "Carteronne"), buyer("marc", "Marc", "Offrandier")
    return {
        "helene": helene, "marc": marc,
        "helene_card": card_bought_by(client, helene, offers, django_capture_on_commit_callbacks, "Zoé Destinataire"),
        "marc_card": card_bought_by(client, marc, offers, django_capture_on_commit_callbacks, "Yves Autrepersonne"),
    }


@pytest.mark.django_db
class TestGiftCardsInMyData:
    def test_the_export_lists_the_cards_i_bought_and_not_anothers(self, client, buyers):
        client.force_login(buyers["helene"])
        data = json.loads(client.get(reverse("customer:personal-data-download")).content)
        (card,) = data["cartes-cadeaux-achetees"]["éléments"]
        assert card["Destinataire"] == "Zoé Destinataire" and card["Montant"].startswith("50,00")
        assert card["Carte"] == buyers["helene_card"].masked_code
        text = json.dumps(data, ensure_ascii=False)
        assert "Autrepersonne" not in text and "Offrandier" not in text
        assert buyers["marc_card"].masked_code not in text

    def test_erasing_the_buyer_leaves_the_card_usable_without_any_name(self, client, buyers):
        client.force_login(buyers["helene"])
        page = client.get(reverse("customer:profile-delete")).content.decode().replace("&#x27;", "'")
        assert "bon au porteur" in page and "par qui en détient le code" in page
        assert client.post(reverse("customer:profile-delete"), {"password": PASSWORD}).status_code == 302

        assert traces_of(["Carteronne", "Zoé Destinataire", "destinataire@example.org", "Bon anniversaire Zoé"]) == []
        card = GiftCard.objects.get(pk=buyers["helene_card"].pk)
        assert card.balance == Decimal("50.00")
        balance = page_text(client.post(BALANCE, {"code": card.display_code}))
        assert "Solde : 50,00 €" in balance
        # Marc's card keeps its recipient.
        assert GiftCard.objects.get(pk=buyers["marc_card"].pk).recipient_name == "Yves Autrepersonne"

    def test_a_card_still_to_be_sent_postpones_the_erasure(self, client, offers, django_capture_on_commit_callbacks):
        later = timezone.localdate() + datetime.timedelta(days=10)
        helene = buyer("helene", "Hélène", "Carteronne")
        card_bought_by(client, helene, offers, django_capture_on_commit_callbacks, "Zoé Destinataire",
                       send_on=later.isoformat())
        client.force_login(helene)
        response = client.post(reverse("customer:profile-delete"), {"password": PASSWORD})
        assert response.status_code == 409
        assert "doit encore être envoyée le" in response.content.decode()
        assert traces_of(["Carteronne", "Zoé Destinataire"]) == ["Carteronne", "Zoé Destinataire"]
