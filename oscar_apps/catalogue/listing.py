"""Product querysets for listings and their filters.

Every listing goes through `products_for_listing`, which fetches a page of products
with their stock record, shop, shop page and images in a fixed number of queries,
whatever the number of products shown (asserted in tests/integration/test_query_counts.py).
"""
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from oscar.core.loading import get_model

from .alcohol import with_alcohol_flag

from townmarket.db import Unaccent, strip_accents

SORT_ORDERINGS = {
    "prix-croissant": [F("listing_price").asc(nulls_last=True), "title"],
    "prix-decroissant": [F("listing_price").desc(nulls_last=True), "title"],
    "nouveautes": ["-date_created", "-id"],
    "nom": ["title", "id"],
    "pertinence": ["title", "id"],
}


def products_for_listing(queryset):
    StockRecord = get_model("partner", "StockRecord")
    ProductImage = get_model("catalogue", "ProductImage")
    # With each product's alcohol flag (alcohol.py): its card shows the health message, no extra query.
    return with_alcohol_flag(queryset).select_related("product_class").prefetch_related(
        Prefetch(
            "stockrecords",
            queryset=StockRecord.objects.select_related("partner", "partner__shop_page"),
        ),
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "id")),
    )


def with_listing_price(queryset):
    """Annotate each product with its shop's price (one stock record per product)."""
    StockRecord = get_model("partner", "StockRecord")

    price = StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1]
    return queryset.annotate(listing_price=Subquery(price))


def in_category(queryset, category):
    """Products in `category` or any of its descendants."""
    ProductCategory = get_model("catalogue", "ProductCategory")
    return queryset.filter(
        Exists(ProductCategory.objects.filter(product=OuterRef("pk"), category__path__startswith=category.path))
    )


def matching(queryset, text):
    """Keyword search over title, description, shop name and category name; every
    word must match somewhere, accents and case ignored."""
    ProductCategory = get_model("catalogue", "ProductCategory")
    StockRecord = get_model("partner", "StockRecord")
    queryset = queryset.alias(title_plain=Unaccent("title"), description_plain=Unaccent("description"))
    shops = StockRecord.objects.alias(name_plain=Unaccent("partner__name"))
    categories = ProductCategory.objects.alias(name_plain=Unaccent("category__name"))
    condition = Q()
    for word in strip_accents(text).split()[:8]:
        condition &= (
            Q(title_plain__icontains=word)
            | Q(description_plain__icontains=word)
            | Exists(shops.filter(product=OuterRef("pk"), name_plain__icontains=word))
            | Exists(categories.filter(product=OuterRef("pk"), name_plain__icontains=word))
        )
    return queryset.filter(condition)


def filter_products(queryset, form, category=None):
    queryset = with_listing_price(queryset)
    if category is not None:
        queryset = in_category(queryset, category)
    text = (form.value_or_none("q") or "").strip()
    if text:
        queryset = matching(queryset, text)
    shop = form.value_or_none("boutique")
    if shop:
        queryset = queryset.filter(stockrecords__partner__code=shop)
    low, high = form.value_or_none("prix_min"), form.value_or_none("prix_max")
    if low is not None:
        queryset = queryset.filter(listing_price__gte=low)
    if high is not None:
        queryset = queryset.filter(listing_price__lte=high)
    return queryset.order_by(*SORT_ORDERINGS[form.value_or_none("tri") or "pertinence"])
