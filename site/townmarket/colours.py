"""The town's colour: white text (header, buttons) must stay readable on it."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # WCAG 2.x, level AA, normal text


def relative_luminance(colour):
    """WCAG's relative luminance of "#rrggbb"."""
    def linear(channel):
        value = int(channel, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour):
    return 1.05 / (relative_luminance(colour) + 0.05)


def validate_colour(value):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Indiquez une couleur au format #rrvvbb, par exemple #1f5f3a."), code="format")
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _("Cette couleur est trop claire : le texte blanc de l'en-tête et des boutons n'y serait pas lisible "
              "(contraste de %(ratio)s:1, il faut au moins 4,5:1). Choisissez une couleur plus foncée."),
            code="contrast", params={"ratio": f"{ratio:.1f}".replace(".", ",")})
