# Each row belongs to a town (a Wagtail Site); existing rows to the default one.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def orders_of_the_default_town(apps, schema_editor):
    """Orders placed before there were several towns were the default town's."""
    Site = apps.get_model("wagtailcore", "Site")
    Order = apps.get_model("order", "Order")
    town = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    if town is not None:
        Order.objects.filter(town__isnull=True).update(town=town)


class Migration(migrations.Migration):

    dependencies = [
        ('basket', '0013_basket_town'),
        ('order', '0027_shoporder_back_office_indexes'),
        ('sites', '0002_alter_domain_unique'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='order',
            name='town',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.site', verbose_name='Ville'),
        ),
        migrations.RunPython(orders_of_the_default_town, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='order',
            index=models.Index(fields=['town', 'date_placed'], name='order_town_date_placed'),
        ),
    ]
