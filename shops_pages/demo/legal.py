"""The demo shops' legal identity: fictitious SIRETs with valid check digits (Luhn, as
`stdnum.fr.siret` checks them), the VAT numbers that go with them, a legal form each.
One shop, the hairdresser, is a micro-entreprise under the « franchise en base »: its
invoices say « TVA non applicable, art. 293 B du CGI »."""
from stdnum import luhn

from oscar_apps.partner.legal_identity import vat_number_for

EXEMPT = {"salon-nathalie"}
FORMS = ["SARL au capital de 8 000 €", "EI", "SAS au capital de 5 000 €", "EURL au capital de 3 000 €"]


def demo_siret(number):
    """A SIRET whose SIREN and whole number both pass the Luhn check, unique per `number`."""
    base = f"{90010000 + number * 1013:08d}"
    siren = base + luhn.calc_check_digit(base)
    establishment = siren + "0001"
    return establishment + luhn.calc_check_digit(establishment)


def identity(shop, number, town):
    """Partner fields for the `number`-th demo shop."""
    siret = demo_siret(number)
    exempt = shop["slug"] in EXEMPT
    legal_form = "EI" if exempt else FORMS[number % len(FORMS)]
    legal_name = f"{shop['owner']} ({shop['name']})" if legal_form == "EI" else shop["name"]
    return {
        "legal_name": legal_name, "legal_form": legal_form, "siret": siret,
        "vat_number": "" if exempt else vat_number_for(siret), "vat_exempt": exempt,
        "legal_street": shop["street"], "legal_postcode": town["postcode"], "legal_city": town["city"],
    }
