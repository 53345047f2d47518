"""A shop's legal identity: who the seller is on its vitrine and its invoices.

SIRET and VAT numbers are checked with python-stdnum (`stdnum.fr.siret`,
`stdnum.fr.tva`): a SIRET's check digits (Luhn), a VAT number's key, and that the
VAT number belongs to the same company (its SIREN is the SIRET's first nine digits).
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as NumberError
from stdnum.fr import siret as siret_numbers
from stdnum.fr import tva as vat_numbers


def clean_siret(value):
    """The SIRET as 14 digits, or a French ValidationError; '' stays ''."""
    if not (value or "").strip():
        return ""
    digits = siret_numbers.compact(value)
    if not digits.isdigit() or len(digits) != 14:
        raise ValidationError(
            _("Le SIRET compte 14 chiffres (il figure sur l'extrait Kbis ou l'avis de situation Insee)."),
            code="siret_length")
    try:
        return siret_numbers.validate(digits)
    except NumberError:
        raise ValidationError(_("Ce numéro SIRET n'est pas valide : un chiffre est faux (la clé de contrôle ne "
                                "correspond pas)."), code="siret_checksum") from None


def clean_vat_number(value, siret=""):
    """The VAT number as « FR » + 11 characters, or a French ValidationError; it must
    belong to the company of `siret` when one is given. '' stays ''."""
    if not (value or "").strip():
        return ""
    number = vat_numbers.compact(value)
    if not number.startswith("FR"):
        number = "FR" + number
    try:
        number = "FR" + vat_numbers.validate(number[2:])
    except NumberError:
        raise ValidationError(_("Ce numéro de TVA intracommunautaire n'est pas valide (FR, deux caractères de "
                                "clé, puis les 9 chiffres du SIREN)."), code="vat_invalid") from None
    if siret and number[-9:] != siret[:9]:
        raise ValidationError(_("Ce numéro de TVA ne correspond pas au SIRET : ses 9 derniers chiffres doivent "
                                "être le SIREN (les 9 premiers chiffres du SIRET, %(siren)s).") % {"siren": siret[:9]},
                              code="vat_mismatch")
    return number


def vat_number_for(siret):
    """The French VAT number of the company of a valid `siret` (its key computed)."""
    return "FR" + siret_numbers.to_tva(siret)


def format_siret(siret):
    """« 732 829 320 00074 »"""
    return siret_numbers.format(siret) if siret else ""
