"""The demo town's gift cards: the massage institute's card and its « Massage
relaxant 1 h » voucher (the seeds' Auxonne institute), and the town card, sold by the
association (an Oscar Partner without a vitrine)."""
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import receiver
from django.utils.text import slugify
from oscar.core.loading import get_model

from shops_pages.demo.images import picture_bytes
from townmarket.signals import demo_town_loaded
from townmarket.town import town as town_identity

from .models import GiftCardOffer, Kind

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")
TOWN_PARTNER_CODE = "carte-ville"


def gift_card_class():
    product_class, _created = ProductClass.objects.get_or_create(
        slug="carte-cadeau", defaults={"name": "Carte cadeau", "requires_shipping": False, "track_stock": False})
    return product_class


def gift_card_category():
    category = Category.objects.filter(name="Cartes cadeaux", depth=1).first()
    return category or Category.add_root(name="Cartes cadeaux", slug="cartes-cadeaux", is_public=True)


def create_offer(partner, title, description, price, **offer):
    """A gift-card product sold by `partner`, with its offer (idempotent by UPC)."""
    upc = f"carte-{slugify(title)}"[:64]
    existing = Product.objects.filter(upc=upc).first()
    if existing:
        return existing
    product = Product.objects.create(upc=upc, title=title, slug=slugify(title)[:255], product_class=gift_card_class(),
                                     is_public=True, description=description)
    ProductCategory.objects.create(product=product, category=gift_card_category())
    StockRecord.objects.create(product=product, partner=partner, partner_sku=upc, price=price, price_currency="EUR")
    GiftCardOffer.objects.create(product=product, **offer)
    ProductImage.objects.create(product=product, original=ContentFile(picture_bytes(title, "Carte cadeau", size=(360, 360)),
                                                                        name=f"{upc}.jpg"), caption=title, display_order=0)
    return product


@receiver(demo_town_loaded)
@transaction.atomic
def demo_gift_cards(sender, town, **kwargs):
    institute = Partner.objects.filter(code="des-pieds-et-des-mains").first() or \
        Partner.objects.filter(shop_page__slug="des-pieds-et-des-mains").first()
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
    association, _created = Partner.objects.get_or_create(
        code=TOWN_PARTNER_CODE, defaults={"name": town_identity().association_name})
    create_offer(association, f"Carte cadeau de {town['city']}",
                 f"<p>Valable dans tous les commerces participants de {town['city']}, en boutique comme en ligne.</p>",
                 Decimal("50.00"), kind=Kind.TOWN, preset_amounts="20 50 100", min_amount=Decimal("10"),
                 max_amount=Decimal("300"))
