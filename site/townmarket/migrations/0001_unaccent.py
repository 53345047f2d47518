from django.db import migrations


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    """Accent-insensitive search ("comte" finds "Comté"): PostgreSQL's unaccent
    extension; on SQLite the same function is registered per connection (db.py)."""

    dependencies = []
    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop)]
