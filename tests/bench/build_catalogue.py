"""Build the benchmark town: 200 shops and 10,000 products, with bulk inserts."""
import time
from decimal import Decimal

from django.core.management import call_command
from oscar.core.loading import get_model

from shops_pages.models import ShopIndexPage, ShopKind
from shops_pages.shops import create_shop

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")


def build(shops=200, products=10_000, log=print):
    started = time.monotonic()
    call_command("load_demo_town", shops=1, no_images=True, verbosity=0)
    shop_index = ShopIndexPage.objects.get()
    kind = ShopKind.objects.first()
    product_class = ProductClass.objects.get(slug="produit")
    categories = list(Category.objects.filter(depth=1))
    existing = Partner.objects.filter(code__startswith="bench-").count()
    for number in range(existing, shops):
        create_shop(
            shop_index, name=f"Commerce {number:03d}", slug=f"bench-{number:03d}", opening_hours=[(1, "09:00", "18:00")],
            kind=kind, street=f"{number} rue du Banc", postcode="21130", city="Val-sur-Ouche",
            phone="03 80 00 00 00", email=f"bench-{number:03d}@example.org",
        )
        if number % 50 == 0:
            log(f"  commerces : {number}/{shops}")
    partners = list(Partner.objects.filter(code__startswith="bench-").order_by("code"))
    have = Product.objects.filter(upc__startswith="bench-").count()
    batch = 1000
    for start in range(have, products, batch):
        chunk = [
            Product(upc=f"bench-{i:05d}", title=f"Article de test {i:05d}", slug=f"article-{i:05d}",
                    product_class=product_class, is_public=True, description=f"<p>Article {i}</p>")
            for i in range(start, min(start + batch, products))
        ]
        Product.objects.bulk_create(chunk)
        saved = list(Product.objects.filter(upc__in=[p.upc for p in chunk]))
        StockRecord.objects.bulk_create([
            StockRecord(product=p, partner=partners[int(p.upc[-5:]) % len(partners)], partner_sku=p.upc,
                        price=Decimal("1.00") + int(p.upc[-5:]) % 90, num_in_stock=50, num_allocated=0)
            for p in saved
        ])
        ProductCategory.objects.bulk_create([
            ProductCategory(product=p, category=categories[int(p.upc[-5:]) % len(categories)]) for p in saved
        ])
        log(f"  produits : {min(start + batch, products)}/{products}")
    # Bulk inserts send no signals: the search index is built once, as after an import.
    call_command("rebuild_search_index", verbosity=0)
    log(f"  catalogue prêt en {time.monotonic() - started:.0f} s")
