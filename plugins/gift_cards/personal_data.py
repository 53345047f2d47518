"""A customer's gift cards in their data export (PERSONAL_DATA) and their erasure
(ERASE_PERSONAL_DATA). A card is a bearer voucher: once its buyer or recipient is erased
it stays usable by whoever holds the code; only the names, e-mail and message go."""
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from townmarket import extensions
from townmarket.money import euros

from . import lines
from .lines import french_day
from .models import GiftCard, LedgerEntry

LineAttribute = get_model("order", "LineAttribute")
# The options that name someone (the amount and the sending day do not).
PERSONAL_OPTIONS = (lines.RECIPIENT_NAME, lines.RECIPIENT_EMAIL, lines.MESSAGE)


BEARER = gettext_lazy("Une carte cadeau est un bon au porteur : après l'effacement, elle reste utilisable, avec "
                      "son solde, par qui en détient le code. Seuls les noms, l'e-mail et le message sont effacés.")


def bought(subject):
    return GiftCard.objects.filter(order_line__order__in=subject.orders)


def received(subject):
    to_them = Q(pk__in=[])
    for email in subject.emails:
        to_them |= Q(recipient_email__iexact=email)
    return GiftCard.objects.filter(to_them)


def day(value):
    return french_day(value) if value else ""


@extensions.register(extensions.PERSONAL_DATA)
def gift_card_sections(subject):
    cards_bought = bought(subject).select_related("partner", "order_line__order").order_by("created_at")
    cards_received = received(subject).with_balance().select_related("partner").order_by("created_at")
    spent = (LedgerEntry.objects.filter(shop_order__order__in=subject.orders)
             .exclude(kind=LedgerEntry.Kind.ISSUED)
             .select_related("card", "partner", "shop_order__order").order_by("created_at"))
    return [
        extensions.DataSection("cartes-cadeaux-achetees", _("Cartes cadeaux achetées"), [{
            _("Commande"): card.order_line.order.number,
            _("Carte"): card.masked_code,
            _("Montant"): euros(card.initial_amount),
            _("Où"): str(card.where),
            _("Destinataire"): card.recipient_name,
            _("E-mail du destinataire"): card.recipient_email,
            _("Message"): card.message,
            _("Envoi le"): day(card.send_on),
            _("Valable jusqu'au"): day(card.expires_on),
        } for card in cards_bought], erasure_note=BEARER),
        extensions.DataSection("cartes-cadeaux-recues", _("Cartes cadeaux reçues"), [{
            _("Carte"): card.masked_code,
            _("Offerte par"): card.buyer_name,
            _("Montant"): euros(card.initial_amount),
            _("Solde"): euros(card.balance_sum),
            _("Où"): str(card.where),
            _("Valable jusqu'au"): day(card.expires_on),
        } for card in cards_received], erasure_note=BEARER),
        extensions.DataSection("cartes-cadeaux-utilisees", _("Cartes cadeaux utilisées pour vos commandes"), [{
            _("Commande"): entry.shop_order.order.number,
            _("Carte"): entry.card.masked_code,
            _("Mouvement"): entry.get_kind_display(),
            _("Montant"): euros(-entry.amount),
            _("Commerce"): entry.partner.name if entry.partner else "",
            _("Date"): day(entry.created_at.date()),
        } for entry in spent]),
    ]


@extensions.register(extensions.ERASE_PERSONAL_DATA)
def erase_gift_cards(subject):
    waiting = (bought(subject) | received(subject)).filter(sent_at=None).order_by("send_on").first()
    if waiting is not None:
        raise extensions.ErasureRefused(
            _("Une carte cadeau doit encore être envoyée le %(day)s : l'effacement sera possible après cet envoi.")
            % {"day": day(waiting.send_on)})
    bought(subject).update(buyer_name="", recipient_name="", recipient_email="", message="")
    received(subject).update(recipient_name="", recipient_email="", message="")
    LineAttribute.objects.filter(line__order__in=subject.orders, option__code__in=PERSONAL_OPTIONS).update(value="")
