# A stop is on its town's round (issue 20: several towns on one install).

import django.db.models.deletion
import townmarket.sites
from django.db import migrations, models


def stops_of_their_orders_town(apps, schema_editor):
    """Existing stops are on the round of their order's town (the default town's before)."""
    DeliveryStop = apps.get_model("local_delivery", "DeliveryStop")
    for town_id in DeliveryStop.objects.exclude(order__town=None).values_list("order__town", flat=True).distinct():
        DeliveryStop.objects.filter(order__town=town_id).exclude(town_id=town_id).update(town_id=town_id)


class Migration(migrations.Migration):

    dependencies = [
        ('local_delivery', '0006_roundday_town_alter_roundday_date_and_more'),
        ('order', '0028_order_town_order_order_town_date_placed'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AddField(
            model_name='deliverystop',
            name='town',
            field=models.ForeignKey(default=townmarket.sites.default_town_id, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.site', verbose_name='Ville'),
        ),
        migrations.AddIndex(
            model_name='deliverystop',
            index=models.Index(fields=['town', 'date'], name='deliverystop_town_date'),
        ),
        migrations.RunPython(stops_of_their_orders_town, migrations.RunPython.noop),
    ]
