"""Cards come to life once their order is paid:

- paid online: when the payment is confirmed (signal `order_paid`);
- paid at pickup: when the shop marks its part « Retirée » or « Livrée » — the
  buyer came to the shop (or the association's office, for the town card) and paid.

Each unit of a gift-card line becomes one card, once: (order line, n) is unique.
The recipient gets it by e-mail on the chosen day (`send_due()`, run at issue time
and daily by `manage.py send_gift_cards`)."""
import datetime
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from townmarket.absolute_urls import absolute_url
from townmarket.mail import send_templated
from townmarket.town import town as town_identity

from . import ledger, lines
from .models import GiftCard, Kind, add_months
from .pdf import render_card

logger = logging.getLogger(__name__)
Line = get_model("order", "Line")


def gift_card_lines(order, partner=None):
    """The order's lines that are gift cards, with their offers."""
    order_lines = order.lines.select_related("product__gift_card_offer__service", "partner").prefetch_related("attributes__option")
    if partner is not None:
        order_lines = order_lines.filter(partner=partner)
    found = []
    for line in order_lines:
        offer = getattr(line.product, "gift_card_offer", None) if line.product_id else None
        if offer is None:
            continue
        details = {a.option.code: a.value for a in line.attributes.all() if a.option and a.option.code in lines.OPTIONS}
        found.append((line, offer, details))
    return found


def issue_for(order, partner=None):
    """Issue the cards of the order's lines (of one shop's part); returns the new cards."""
    issued = []
    for line, offer, details in gift_card_lines(order, partner):
        for sequence in range(1, line.quantity + 1):
            card = _issue_one(order, line, offer, details, sequence)
            if card is not None:
                issued.append(card)
    if issued:
        transaction.on_commit(send_due)
    return issued


def _issue_one(order, line, offer, details, sequence):
    today = timezone.localdate()
    try:
        send_on = datetime.date.fromisoformat(details.get(lines.SEND_ON, ""))
    except ValueError:
        send_on = today
    # The card is its seller's town's (a shop card: its shop's; the town card: the town's
    # association's), and lasts as long as that town's rules say.
    town = line.partner.town
    card = GiftCard(
        kind=offer.kind, town=town, partner=None if offer.kind == Kind.TOWN else line.partner,
        service=offer.service, service_name=offer.service.get_title() if offer.service_id else "",
        initial_amount=line.unit_price_incl_tax, expires_on=add_months(max(today, send_on), offer.validity(site=town)),
        order_line=line, sequence=sequence, recipient_name=details.get(lines.RECIPIENT_NAME, ""),
        recipient_email=details.get(lines.RECIPIENT_EMAIL, "") or order.email,
        message=details.get(lines.MESSAGE, ""), buyer_name=order.customer_name, send_on=send_on,
    )
    try:
        with transaction.atomic():
            card.save()
            ledger.issue(card)
    except IntegrityError:  # already issued (a second confirmation, a status set twice)
        return None
    return card


def balance_url(site=None):
    """The balance page of the card's town (its own domain)."""
    return absolute_url(reverse("gift_cards_balance"), site=site)


def send_due(today=None):
    """E-mail the cards whose sending day has come; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for card in GiftCard.objects.filter(sent_at__isnull=True, send_on__lte=today).select_related("partner", "town"):
        with transaction.atomic():  # the card is marked sent with its e-mail in the outbox
            claimed = GiftCard.objects.filter(pk=card.pk, sent_at__isnull=True).update(sent_at=timezone.now())
            if not claimed:  # another run is sending it
                continue
            url = balance_url(card.town)
            send_templated("gift_cards/emails/card",
                           {"card": card, "balance_url": url, "marketplace": town_identity(site=card.town)},
                           [card.recipient_email],
                           attachments=[(f"carte-cadeau-{card.code[-4:]}.pdf", render_card(card, url, site=card.town),
                                         "application/pdf")])
        sent += 1
    return sent
