"""The gift-card rules move from settings/environment (GIFT_CARD_VALIDITY_MONTHS,
GIFT_CARD_THROTTLE_ATTEMPTS, GIFT_CARD_THROTTLE_MINUTES) to a per-town setting; an
install that had set those variables keeps their values on every Site."""
import os

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


FROM_ENVIRONMENT = {  # field: (variable, lowest, highest): the setting's validators
    "validity_months": ("GIFT_CARD_VALIDITY_MONTHS", 1, 60),
    "throttle_attempts": ("GIFT_CARD_THROTTLE_ATTEMPTS", 3, 20),
    "throttle_minutes": ("GIFT_CARD_THROTTLE_MINUTES", 5, 1440),
}


def values_from_environment():
    values = {}
    for field, (variable, lowest, highest) in FROM_ENVIRONMENT.items():
        text = os.environ.get(variable, "").strip()
        if text.isascii() and text.isdigit():
            values[field] = min(max(int(text), lowest), highest)
    return values


def keep_environment_values(apps, schema_editor):
    values = values_from_environment()
    if not values:
        return  # every town starts from the defaults (12 months, 5 codes, 15 minutes)
    GiftCardSettings = apps.get_model("gift_cards", "GiftCardSettings")
    for site in apps.get_model("wagtailcore", "Site").objects.all():
        GiftCardSettings.objects.update_or_create(site=site, defaults=values)


class Migration(migrations.Migration):

    dependencies = [
        ('gift_cards', '0002_delete_codeattempt'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='GiftCardSettings',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('validity_months', models.PositiveSmallIntegerField(default=12, help_text="Comptée à partir du jour d'envoi de la carte ; une offre peut fixer la sienne. De 1 à 60 mois.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name="Durée de validité d'une carte (mois)")),
                ('throttle_attempts', models.PositiveSmallIntegerField(default=5, help_text="Nombre de codes erronés qu'un visiteur (ou une caisse) peut saisir avant de devoir attendre. De 3 à 20.", validators=[django.core.validators.MinValueValidator(3), django.core.validators.MaxValueValidator(20)], verbose_name='Codes erronés tolérés')),
                ('throttle_minutes', models.PositiveSmallIntegerField(default=15, help_text='De 5 minutes à 1440 minutes (24 heures).', validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(1440)], verbose_name='Attente après trop de codes erronés (minutes)')),
                ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
            ],
            options={
                'verbose_name': 'cartes cadeaux',
            },
        ),
        migrations.RunPython(keep_environment_values, migrations.RunPython.noop),
    ]
