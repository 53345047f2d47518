"""{% product_cards products as cards %}: what each product card of a grid shows, worked
out once per grid (includes/product_grid.html, partials/product_card.html).

Rendering the cards was most of a list page's time (issue 19's profile: per 24 cards,
126 `reverse()`, 74 `{% trans %}`, 24 Wagtail `get_url`, 24 currency filters): here
the addresses are built from one `reverse()` per kind of link, the shop's address is
asked once per shop, the labels are translated once, and each price is formatted once.
The products come from listing.products_for_listing (prefetched: no query per card)."""
import re
from types import SimpleNamespace

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from oscar_apps.catalogue import thumbnails
from oscar_apps.catalogue.alcohol import HEALTH_WARNING, is_alcohol
from townmarket import extensions

from .storefront_tags import stock_label

register = template.Library()

SLUG_MARK, PK_MARK = "zzslugzz", 987654321
PLAIN_SLUG = re.compile(r"^[A-Za-z0-9_-]*$")  # what reverse() writes as it is


class Addresses:
    """Product and add-to-basket addresses by substitution into one reversed address:
    the same text as `product.get_absolute_url()` and `{% url 'basket:add' pk=… %}`."""

    def __init__(self):
        detail = reverse("catalogue:detail", kwargs={"product_slug": SLUG_MARK, "pk": PK_MARK})
        self.detail_head, rest = detail.split(SLUG_MARK)
        self.detail_middle, self.detail_tail = rest.split(str(PK_MARK))
        self.add_head, self.add_tail = reverse("basket:add", kwargs={"pk": PK_MARK}).split(str(PK_MARK))

    def product(self, product):
        if not PLAIN_SLUG.match(product.slug or ""):  # reverse() would quote it
            return product.get_absolute_url()
        return f"{self.detail_head}{product.slug}{self.detail_middle}{product.pk}{self.detail_tail}"

    def add_to_basket(self, product):
        return f"{self.add_head}{product.pk}{self.add_tail}"


@register.simple_tag(takes_context=True)
def product_cards(context, products):
    request = context.get("request")
    addresses = Addresses()
    shop_urls, prices = {}, {}
    labels = SimpleNamespace(no_photo=_("Pas de photo"), add_to_basket=_("Ajouter au panier"),
                             health_warning=HEALTH_WARNING)
    cards = []
    for product in products:
        stockrecords = product.stockrecords.all()
        stockrecord = stockrecords[0] if stockrecords else None
        images = product.images.all()
        image = images[0] if images else None
        session = request.strategy.fetch_for_parent(product) if product.is_parent \
            else request.strategy.fetch_for_product(product)
        choice = extensions.product_choice(request, product)
        shop_page = getattr(stockrecord.partner, "shop_page", None) if stockrecord else None
        shop_url = ""
        if shop_page is not None and shop_page.live:
            if shop_page.pk not in shop_urls:
                shop_urls[shop_page.pk] = shop_page.get_url(request)
            shop_url = shop_urls[shop_page.pk]
        price = ""
        if not (choice and choice.price_label) and session.price.exists:
            key = (session.price.incl_tax, session.price.currency)
            if key not in prices:
                prices[key] = currency(*key)
            price = prices[key]
        cards.append(SimpleNamespace(
            product=product, url=addresses.product(product), image=image,
            image_url=thumbnails.url(image.original, thumbnails.CARD) if image and image.original else "",
            stockrecord=stockrecord, shop_url=shop_url, choice=choice, price=price,
            availability_code=session.availability.code, stock_label=stock_label(session.availability),
            alcohol=is_alcohol(product),
            can_add=not choice and session.availability.is_available_to_buy and not product.is_parent,
            add_url=addresses.add_to_basket(product),
        ))
    return SimpleNamespace(cards=cards, labels=labels)
