"""Plain-text e-mails read as typed: no HTML entities in subjects or bodies."""
from django.core import mail

from tests import factories
from tests.integration.helpers import place_order


def test_subjects_and_bodies_are_plain_text(client, town):
    shop = factories.shop("L'Épicerie <du> Marché & Fils", kind="Épicerie")
    pate = factories.product(shop, title="Pâté d'Amélie", price="6.50", stock=3)
    order = place_order(client, [(pate, 1)], first_name="Zoé", last_name="O'Neil")
    by_subject = {message.subject: message for message in mail.outbox}
    shop_mail = by_subject[f"Nouvelle commande {order.number} pour L'Épicerie <du> Marché & Fils"]
    assert "Pâté d'Amélie" in shop_mail.body and "Zoé O'Neil" in shop_mail.body
    for message in mail.outbox:
        assert "&#x27;" not in message.subject + message.body and "&amp;" not in message.subject + message.body
