"""Product querysets for listings and their filters.

Every listing goes through `products_for_listing`, which fetches a page of products
with their stock record, shop, shop page and images in a fixed number of queries,
whatever the number of products shown (asserted in tests/integration/test_query_counts.py).

`listed(queryset)` is what a paginated list hands to Django's Paginator: the filters,
the COUNT and the choice of the page's rows run on the bare products (indexes only),
and only the page's own rows get their price, alcohol flag and prefetches. Annotating
every product of the catalogue before sorting and cutting out 24 of them was most of a
list page's SQL (issue 19).
"""
from django.db.models import F, OuterRef, Prefetch, Subquery
from oscar.core.loading import get_model

from .alcohol import with_alcohol_flag

SORT_ORDERINGS = {
    "prix-croissant": [F("listing_price").asc(nulls_last=True), "title"],
    "prix-decroissant": [F("listing_price").desc(nulls_last=True), "title"],
    "nouveautes": ["-date_created", "-id"],
    "nom": ["title", "id"],
    "pertinence": ["title", "id"],  # without a query; with one, the search engine's order
}


def in_town(queryset, site):
    """The products sold in `site`'s town (a Wagtail Site): its shops' (Partner.town).
    Every list, search, product page and sitemap of the storefront starts from
    town_products(); `site` None (no Site yet) keeps them all."""
    if site is None:
        return queryset
    return queryset.filter(stockrecords__partner__town=site)


def town_products(request=None, site=None):
    """The browsable products of the request's town (or of `site`)."""
    from townmarket.sites import current_site

    Product = get_model("catalogue", "Product")
    return in_town(Product.objects.browsable(), site or current_site(request))


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
    """Products in `category` or any of its descendants: the category's products found
    through their index, rather than each product of the catalogue looking for its own."""
    ProductCategory = get_model("catalogue", "ProductCategory")
    Category = get_model("catalogue", "Category")
    subtree = Category.objects.filter(path__startswith=category.path).values("pk")
    return queryset.filter(pk__in=ProductCategory.objects.filter(category__in=subtree).values("product_id"))


def priced_between(queryset, low=None, high=None):
    """Products whose shop's price lies in [low, high] (one stock record per product),
    through the stock records' price index (partner.StockRecord.Meta.indexes)."""
    StockRecord = get_model("partner", "StockRecord")
    prices = StockRecord.objects.all()
    if low is not None:
        prices = prices.filter(price__gte=low)
    if high is not None:
        prices = prices.filter(price__lte=high)
    return queryset.filter(pk__in=prices.values("product_id"))


class ListedProducts:
    """`queryset` (filtered and ordered, not annotated) for Django's Paginator: its COUNT
    and its page's ids on the bare rows, then that page's products for the cards, in the
    same order, in one query (the page's ids are a subquery) plus the prefetches."""

    ordered = True

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return self.queryset.order_by().count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key:key + 1][0]
        Product = get_model("catalogue", "Product")
        page = self.queryset.values("pk")[key]
        products = products_for_listing(with_listing_price(Product.objects.filter(pk__in=page)))
        return list(products.order_by(*self.queryset.query.order_by))


def listed(queryset):
    return ListedProducts(queryset)


class RankedProducts:
    """Products in the search engine's order (« Pertinence »), for Django's Paginator:
    the ids that pass the listing's filters are read once, then each page is fetched."""

    ordered = True

    def __init__(self, queryset, ranked_ids):
        self.queryset = queryset
        self.ranked_ids = ranked_ids
        self._ids = None

    def ids(self):
        if self._ids is None:
            present = set(self.queryset.order_by().values_list("pk", flat=True))
            self._ids = [pk for pk in self.ranked_ids if pk in present]
        return self._ids

    def count(self):
        return len(self.ids())

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key:key + 1][0]
        page = self.ids()[key]
        # ids() checked them against the filters: the page's query names its own ids only
        # (with the search's 1,000 as well, PostgreSQL scanned the products table).
        Product = get_model("catalogue", "Product")
        products = {product.pk: product for product in
                    products_for_listing(with_listing_price(Product.objects.filter(pk__in=page)))}
        return [products[pk] for pk in page if pk in products]


def filter_products(queryset, form, category=None, found=None):
    """`queryset`: the bare products to list (not annotated, not prefetched).
    `found`: the search engine's answer (storefront_search.engine.search) to the
    form's « q », if any: only its products, best first unless sorted otherwise."""
    if category is not None:
        queryset = in_category(queryset, category)
    if found is not None:
        queryset = queryset.filter(pk__in=found.product_ids)
    shop = form.value_or_none("boutique")
    if shop:
        queryset = queryset.filter(stockrecords__partner__code=shop)
    low, high = form.value_or_none("prix_min"), form.value_or_none("prix_max")
    if low is not None or high is not None:
        queryset = priced_between(queryset, low, high)
    sort = form.value_or_none("tri") or "pertinence"
    if found is not None and sort == "pertinence":
        return RankedProducts(queryset, found.product_ids)
    if sort.startswith("prix-"):
        queryset = with_listing_price(queryset)
    return listed(queryset.order_by(*SORT_ORDERINGS[sort]))
