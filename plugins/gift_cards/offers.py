"""Making a catalogue product a gift card, or changing one: the one code path of the
demo town (demo.py) and of the back office's « Cartes cadeaux et bons ».

A card is a product of class « Carte cadeau » in the « Cartes cadeaux » category, with
one stock record at its seller (the shop, or the association for the town card) and a
GiftCardOffer. A voucher's stock record has its service's price and VAT rate."""
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import linebreaks
from django.utils.text import slugify
from oscar.core.loading import get_model

from oscar_apps.partner.models import VatRate
from shops_pages.demo.images import picture_bytes
from townmarket.sites import current_site
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
SERVICE_CLASS_SLUG = "prestation"  # services (haircut, massage): load_demo_town's « Prestation » class
OFFER_FIELDS = ("kind", "preset_amounts", "min_amount", "max_amount", "service", "validity_months")


def gift_card_class():
    product_class, _created = ProductClass.objects.get_or_create(
        slug="carte-cadeau", defaults={"name": "Carte cadeau", "requires_shipping": False, "track_stock": False})
    return product_class


def gift_card_category():
    category = Category.objects.filter(name="Cartes cadeaux", depth=1).first()
    return category or Category.add_root(name="Cartes cadeaux", slug="cartes-cadeaux", is_public=True)


def town_partner(site=None):
    """A town's association as a seller (an Oscar Partner without a vitrine, of that town):
    it sells the town's card. `site`: the town (Wagtail Site), else the default one. The
    first town's seller has the code « carte-ville », another's « carte-ville-<site id> »."""
    site = site or current_site()
    if site is None:  # an empty install, before any Site
        partner, _created = Partner.objects.get_or_create(
            code=TOWN_PARTNER_CODE, defaults={"name": town_identity().association_name})
        return partner
    partner = (Partner.objects.filter(town=site, code__in=[TOWN_PARTNER_CODE, f"{TOWN_PARTNER_CODE}-{site.pk}"])
               .order_by("pk").first())
    if partner is None:
        taken = Partner.objects.filter(code=TOWN_PARTNER_CODE).exists()
        partner = Partner.objects.create(code=f"{TOWN_PARTNER_CODE}-{site.pk}" if taken else TOWN_PARTNER_CODE,
                                         town=site, name=town_identity(site=site).association_name)
    return partner


def services_of(partners):
    """The services (products of class « Prestation ») the shops `partners` sell."""
    return (Product.objects.filter(product_class__slug=SERVICE_CLASS_SLUG, stockrecords__partner__in=partners)
            .distinct().order_by("title"))


def description_html(text):
    """Plain text typed in the back office as the product's HTML description."""
    return linebreaks(text.strip(), autoescape=True) if text.strip() else ""


def free_upc(partner, title):
    base = f"carte-{partner.pk}-{slugify(title)}"[:58]
    upc, number = base, 1
    while Product.objects.filter(upc=upc).exists():
        number += 1
        upc = f"{base}-{number}"
    return upc


def selling_terms(offer, price):
    """Price and VAT rate of the card's stock record: a voucher for one service is sold at
    its service's (single-purpose); a card for an amount is outside VAT when sold
    (multi-purpose, CGI art. 256 ter): the VAT is due on what it buys."""
    if offer.kind == Kind.SERVICE:
        service_record = offer.service.stockrecords.first() if offer.service is not None else None
        if service_record is not None:
            return service_record.price, service_record.vat_rate
        return price, None
    return price, VatRate.OUT_OF_SCOPE


@transaction.atomic
def new_offer(partner, title, description, price, upc=None, is_public=True, **fields):
    """A gift-card product sold by `partner`, with its offer and a drawn picture."""
    upc = upc or free_upc(partner, title)
    product = Product.objects.create(upc=upc, title=title, slug=slugify(title)[:255] or "carte-cadeau",
                                     product_class=gift_card_class(), is_public=is_public, description=description)
    ProductCategory.objects.create(product=product, category=gift_card_category())
    offer = GiftCardOffer(product=product, **fields)
    price, vat_rate = selling_terms(offer, price)
    StockRecord.objects.create(product=product, partner=partner, partner_sku=upc[:128], price=price,
                               price_currency="EUR", **({"vat_rate": vat_rate} if vat_rate else {}))
    offer.save()
    ProductImage.objects.create(product=product, original=ContentFile(picture_bytes(title, "Carte cadeau", size=(360, 360)),
                                                                        name=f"{upc}.jpg"), caption=title, display_order=0)
    return offer


@transaction.atomic
def change_offer(offer, title, description, price, is_public, **fields):
    """Saves the back office's changes to `offer` and its product (seller and kind stay)."""
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.save()
    product = offer.product
    product.title, product.description, product.is_public = title, description, is_public
    product.save()
    price, vat_rate = selling_terms(offer, price)
    record = product.stockrecords.first()
    if record is not None:
        record.price = price
        if vat_rate:
            record.vat_rate = vat_rate
        record.save()
    return offer


def take_off_sale(offer):
    """The card is no longer sold (cards already bought stay valid)."""
    Product.objects.filter(pk=offer.product_id).update(is_public=False)
