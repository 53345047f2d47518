"""Writing products: shared by the back-office forms and the bulk import."""
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.html import escape, linebreaks
from oscar.core.loading import get_model

ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")


def default_product_class():
    product_class, _ = ProductClass.objects.get_or_create(
        slug="produit", defaults={"name": "Produit", "requires_shipping": True, "track_stock": True}
    )
    return product_class


def text_to_html(text):
    """Plain text typed by a merchant (or read from a spreadsheet) as safe HTML paragraphs."""
    return linebreaks(escape(text.strip())) if text and text.strip() else ""


def available_stock(stockrecord):
    """What a merchant calls "stock": units still free to sell."""
    return max((stockrecord.num_in_stock or 0) - (stockrecord.num_allocated or 0), 0)


def set_available_stock(stockrecord, available):
    """Set the free stock to `available` without losing units allocated to orders
    placed meanwhile (computed by the database, not from a value read earlier)."""
    StockRecord.objects.filter(pk=stockrecord.pk).update(
        num_in_stock=Coalesce(F("num_allocated"), 0) + available
    )
    stockrecord.refresh_from_db(fields=["num_in_stock", "num_allocated"])
