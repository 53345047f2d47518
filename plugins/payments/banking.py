"""Bank details typed by people: IBAN and BIC checked with python-stdnum (the country's
length and format, the check digits), kept compact, shown in groups of four."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$")


def clean_iban(value):
    """The IBAN without spaces, in capitals; ValidationError with a French message."""
    compact = stdnum_iban.compact(value or "")
    if not IBAN_SHAPE.match(compact):
        raise ValidationError(_("Ce n'est pas un IBAN : deux lettres (le pays), deux chiffres, puis jusqu'à 30 "
                                "lettres ou chiffres."), code="invalid")
    if stdnum_iban.is_valid(compact):
        return compact
    # With the right check digits, would it be one? Then only the check digits (a mistyped
    # character) are wrong; otherwise its length or format does not fit its country.
    corrected = compact[:2] + stdnum_iban.calc_check_digits(compact) + compact[4:]
    if stdnum_iban.is_valid(corrected):
        raise ValidationError(_("Cet IBAN est erroné : sa clé de contrôle ne correspond pas. Recopiez-le depuis "
                                "votre RIB."), code="checksum")
    raise ValidationError(_("Cet IBAN n'a pas la longueur ou la forme prévue pour son pays. Recopiez-le depuis "
                            "votre RIB."), code="invalid")


def clean_bic(value):
    """The BIC in capitals without spaces, or "" when none was typed."""
    compact = stdnum_bic.compact(value or "")
    if not compact:
        return ""
    if not stdnum_bic.is_valid(compact):
        raise ValidationError(_("Ce n'est pas un BIC : 8 ou 11 lettres et chiffres, par exemple AGRIFRPP."),
                              code="invalid")
    return compact


def formatted_iban(iban):
    """« FR76 3000 6000 0112 3456 7890 189 »."""
    return stdnum_iban.format(iban) if iban else ""
