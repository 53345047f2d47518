"""Cards for an amount (shop and town cards) already on sale: outside VAT when sold
(multi-purpose vouchers, CGI art. 256 ter); service vouchers keep their service's rate."""
from django.db import migrations


def cards_outside_vat(apps, schema_editor):
    GiftCardOffer = apps.get_model("gift_cards", "GiftCardOffer")
    StockRecord = apps.get_model("partner", "StockRecord")
    products = GiftCardOffer.objects.exclude(kind="prestation").values("product_id")
    StockRecord.objects.filter(product_id__in=products).update(vat_rate="0.0")


class Migration(migrations.Migration):

    dependencies = [
        ("gift_cards", "0003_giftcardsettings"),
        ("partner", "0012_vat_rate_out_of_scope"),
    ]

    operations = [migrations.RunPython(cards_outside_vat, migrations.RunPython.noop)]
