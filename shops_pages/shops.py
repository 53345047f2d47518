"""Creating a shop: its Oscar Partner (who sells) and its vitrine (ShopPage), together."""
from django.db import transaction
from oscar.core.loading import get_model

from .models import ShopOpeningHours, ShopPage


@transaction.atomic
def create_shop(shop_index, *, name, slug, opening_hours=(), live=True, **page_fields):
    """Create the Partner and a ShopPage under `shop_index` tied to it.

    `opening_hours` is an iterable of (weekday, opens, closes); `page_fields` are
    ShopPage fields (kind, street, postcode, city, phone, email, body...). The shop sells
    in the town (Wagtail Site) whose home page holds `shop_index`."""
    Partner = get_model("partner", "Partner")
    town = shop_index.get_site()
    partner = Partner.objects.create(name=name, code=slug, **({"town": town} if town else {}))
    page = shop_index.add_child(instance=ShopPage(title=name, slug=slug, partner=partner, live=live, **page_fields))
    ShopOpeningHours.objects.bulk_create(
        ShopOpeningHours(page=page, weekday=weekday, opens=opens, closes=closes, sort_order=order)
        for order, (weekday, opens, closes) in enumerate(opening_hours)
    )
    return page
