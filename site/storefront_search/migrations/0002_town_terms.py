"""Several towns (issue 20): every document now holds its town's term (text.town_term)
and every search in a town asks for it. The documents made before are dropped here, so
that `migrate`'s post_migrate handler (receivers.index_an_existing_catalogue) indexes the
catalogue again, town terms included."""
from django.db import migrations


def drop_documents(apps, schema_editor):
    for name in ("ProductDocument", "ShopDocument"):
        apps.get_model("storefront_search", name).objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("storefront_search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_documents, migrations.RunPython.noop),
    ]
