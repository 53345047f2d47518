"""The demo town's gift cards: the massage institute's card and its « Massage
relaxant 1 h » voucher (the seeds' Auxonne institute), and the town card, sold by the
association (an Oscar Partner without a vitrine)."""
from decimal import Decimal

from django.db import transaction
from django.dispatch import receiver
from django.utils.text import slugify
from oscar.core.loading import get_model

from townmarket.signals import demo_town_loaded

from .models import Kind
from .offers import TOWN_PARTNER_CODE, gift_card_category, gift_card_class, new_offer, town_partner  # noqa: F401

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")


def create_offer(partner, title, description, price, **offer):
    """A gift-card product sold by `partner`, with its offer (idempotent by UPC)."""
    upc = f"carte-{slugify(title)}"[:64]
    existing = Product.objects.filter(upc=upc).first()
    if existing:
        return existing
    return new_offer(partner, title, description, price, upc=upc, **offer).product


@receiver(demo_town_loaded)
@transaction.atomic
def demo_gift_cards(sender, town, site=None, **kwargs):
    shops = Partner.objects.filter(town=site) if site is not None else Partner.objects.all()
    institute = shops.filter(code="des-pieds-et-des-mains").first() or \
        shops.filter(shop_page__slug="des-pieds-et-des-mains").first()
    if institute is not None:
        create_offer(institute, "Carte cadeau Des pieds et des mains",
                     "<p>Offrez un moment de détente : la carte se dépense à l'institut, en une ou plusieurs fois.</p>",
                     Decimal("50.00"), kind=Kind.SHOP, preset_amounts="30 50 80", min_amount=Decimal("20"),
                     max_amount=Decimal("200"))
        massage = Product.objects.filter(stockrecords__partner=institute, title="Massage relaxant 1 h").first()
        if massage is not None:
            create_offer(institute, "Bon pour un massage relaxant 1 h",
                         "<p>Un massage relaxant d'une heure, sur rendez-vous à l'institut.</p>",
                         massage.stockrecords.first().price, kind=Kind.SERVICE, service=massage)
    create_offer(town_partner(site), f"Carte cadeau de {town['city']}",
                 f"<p>Valable dans tous les commerces participants de {town['city']}, en boutique comme en ligne.</p>",
                 Decimal("50.00"), kind=Kind.TOWN, preset_amounts="20 50 100", min_amount=Decimal("10"),
                 max_amount=Decimal("300"))
