"""Existing shops get the legal identity typed on their accepted application: the
name, the SIRET (when its check digits are right) and the address."""
from django.db import migrations
from stdnum.fr import siret as siret_numbers


def copy_from_applications(apps, schema_editor):
    Partner = apps.get_model("partner", "Partner")
    ShopApplication = apps.get_model("backoffice", "ShopApplication")
    accepted = (ShopApplication.objects.filter(status="acceptee", shop_page__partner__isnull=False)
                .select_related("shop_page").order_by("decided_at", "pk"))
    for application in accepted:
        partner = Partner.objects.get(pk=application.shop_page.partner_id)
        if partner.siret:
            continue  # already given (by hand, or a later application)
        partner.legal_name = partner.legal_name or application.shop_name
        partner.siret = application.siret if siret_numbers.is_valid(application.siret) else ""
        if not partner.legal_street:
            partner.legal_street, partner.legal_postcode, partner.legal_city = (
                application.street, application.postcode, application.city)
        partner.save(update_fields=["legal_name", "siret", "legal_street", "legal_postcode", "legal_city"])


class Migration(migrations.Migration):

    dependencies = [
        ("partner", "0009_partner_legal_identity"),
        ("backoffice", "0002_alter_backoffice_options"),
        ("shops_pages", "0004_shoppage_coordinates"),
    ]

    operations = [migrations.RunPython(copy_from_applications, migrations.RunPython.noop)]
