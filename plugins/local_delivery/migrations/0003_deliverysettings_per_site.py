"""Every town's delivery rules belong to its Site (see 0002)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('local_delivery', '0002_deliverysettings_site'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deliverysettings',
            name='site',
            field=models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE,
                                       to='wagtailcore.site'),
        ),
    ]
