"""The delivery rules become a per-town setting (wagtail BaseSiteSetting): the one row
saved before goes to the default Site, and every other Site (which shared that row until
now) gets a copy, so no town's rules change. Back: the default Site's row is kept."""
import django.db.models.deletion
from django.db import migrations, models


def sites_in_order(Site):
    """The default Site first, then the others."""
    return list(Site.objects.order_by("-is_default_site", "pk"))


def attach_to_sites(apps, schema_editor):
    DeliverySettings = apps.get_model("local_delivery", "DeliverySettings")
    Site = apps.get_model("wagtailcore", "Site")
    rows = list(DeliverySettings.objects.order_by("pk"))
    if not rows:
        return  # nothing saved yet: every town starts from the defaults
    sites = sites_in_order(Site)
    kept, extra = rows[0], rows[1:]  # a generic setting has one row; load() read the first
    DeliverySettings.objects.filter(pk__in=[row.pk for row in extra]).delete()
    if not sites:
        kept.delete()  # no town to keep rules for
        return
    kept.site = sites[0]
    kept.save()
    for site in sites[1:]:
        kept.pk = None
        kept.site = site
        kept.save()


def keep_default_site_row(apps, schema_editor):
    DeliverySettings = apps.get_model("local_delivery", "DeliverySettings")
    Site = apps.get_model("wagtailcore", "Site")
    sites = sites_in_order(Site)
    keep = DeliverySettings.objects.filter(site__in=sites[:1]).first() or DeliverySettings.objects.order_by("pk").first()
    DeliverySettings.objects.exclude(pk=getattr(keep, "pk", None)).delete()


class Migration(migrations.Migration):
    """Split from 0003 (the column made required): on PostgreSQL, rows updated with a
    foreign key and an ALTER TABLE cannot share one transaction."""

    dependencies = [
        ('local_delivery', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AddField(
            model_name='deliverysettings',
            name='site',
            field=models.OneToOneField(null=True, editable=False, on_delete=django.db.models.deletion.CASCADE,
                                       to='wagtailcore.site'),
        ),
        migrations.RunPython(attach_to_sites, keep_default_site_row),
    ]
