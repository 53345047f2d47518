"""Oscar's basket forms (forked through get_class), with one more check when adding:
a product bought only through its own page's form (PRODUCT_CHOICES: a gift card and
its amount and recipient) is refused by the ordinary « Ajouter au panier »."""
from django import forms
from oscar.apps.basket.forms import *  # noqa: F401,F403
from django.utils.translation import gettext as _
from oscar.apps.basket.forms import AddToBasketForm as CoreAddToBasketForm
from oscar.apps.basket.forms import BasketLineForm as CoreBasketLineForm
from oscar.apps.basket.forms import SimpleAddToBasketMixin

from townmarket import extensions


class AddToBasketForm(CoreAddToBasketForm):
    def clean(self):
        choice = extensions.product_choice(None, self.product)
        if choice is not None:
            raise forms.ValidationError(choice.refusal, code="choose_on_page")
        return super().clean()


class SimpleAddToBasketForm(SimpleAddToBasketMixin, AddToBasketForm):
    pass


class BasketLineForm(CoreBasketLineForm):
    """A basket line's quantity: more than the stock is refused in French, with the
    number left (Oscar's message for it is English and speaks of « multiple lines »)."""

    def check_max_allowed_quantity(self, qty):
        try:
            super().check_max_allowed_quantity(qty)
        except forms.ValidationError:
            left = getattr(self.instance.purchase_info.availability, "num_available", None)
            if left is None:
                raise
            raise forms.ValidationError(
                _("Il n'en reste que %(left)d en stock : choisissez-en %(left)d au plus.") % {"left": left},
                code="not_enough_stock") from None
