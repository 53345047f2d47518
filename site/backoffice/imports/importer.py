"""Writing checked rows: all of them or none (one transaction), in batches.

Rows whose reference (SKU) already exists in the shop update that product;
the others create one. Stock is the free stock, as in the product form."""
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oscar.core.loading import get_model

from oscar_apps.catalogue.editing import default_product_class, text_to_html
from storefront_search.tasks import index_products

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

BATCH = 500


def import_rows(partner, rows, progress=None):
    """Generator: yields the number of rows written so far after each batch, inside
    one transaction; returns (created, updated) through StopIteration.value."""
    created = updated = 0
    with transaction.atomic():
        existing = {record.partner_sku: record for record in
                    StockRecord.objects.select_for_update().filter(partner=partner).select_related("product")}
        product_class = default_product_class()
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            new = [row for row in batch if row.sku not in existing]
            old = [row for row in batch if row.sku in existing]
            _create(partner, new, product_class, existing)
            _update(old, existing)
            created += len(new)
            updated += len(old)
            yield start + len(batch)
        # Bulk writes send no signals: the search index hears of these products through one task.
        index_products.enqueue(sorted({existing[row.sku].product_id for row in rows}))
    return created, updated



def _create(partner, rows, product_class, existing):
    products = Product.objects.bulk_create([
        Product(title=row.title, slug=slugify(row.title)[:128] or "produit", description=text_to_html(row.description),
                is_public=row.is_public, product_class=product_class, structure=Product.STANDALONE)
        for row in rows
    ])
    if products and products[0].pk is None:  # backends that do not return ids from bulk_create
        raise RuntimeError("bulk_create did not set primary keys")
    ProductCategory.objects.bulk_create(
        [ProductCategory(product=product, category=row.category) for product, row in zip(products, rows)])
    records = StockRecord.objects.bulk_create([
        StockRecord(product=product, partner=partner, partner_sku=row.sku, price=row.price, price_currency="EUR",
                    vat_rate=row.vat_rate, num_in_stock=row.stock, num_allocated=0)
        for product, row in zip(products, rows)
    ])
    for record in records:
        existing[record.partner_sku] = record


def _update(rows, existing):
    products, records = [], []
    for row in rows:
        record = existing[row.sku]
        product = record.product
        product.title = row.title
        if row.description:
            product.description = text_to_html(row.description)
        product.is_public = row.is_public
        products.append(product)
        record.price = row.price
        record.vat_rate = row.vat_rate
        record.num_in_stock = (record.num_allocated or 0) + row.stock  # rows are locked: no allocation meanwhile
        records.append(record)
    now = timezone.now()
    for product in products:
        product.date_updated = now
    Product.objects.bulk_update(products, ["title", "description", "is_public", "date_updated"])
    StockRecord.objects.bulk_update(records, ["price", "vat_rate", "num_in_stock"])
    wanted = {existing[row.sku].product_id: row.category.pk for row in rows}
    links = list(ProductCategory.objects.filter(product_id__in=wanted).values_list("pk", "product_id", "category_id"))
    ProductCategory.objects.filter(pk__in=[pk for pk, product, category in links if wanted[product] != category]).delete()
    present = {product for _, product, category in links if wanted[product] == category}
    ProductCategory.objects.bulk_create([
        ProductCategory(product_id=product, category_id=category)
        for product, category in wanted.items() if product not in present
    ])
