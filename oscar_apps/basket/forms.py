"""Oscar's basket forms (forked through get_class), with one more check when adding:
a product bought only through its own page's form (PRODUCT_CHOICES: a gift card and
its amount and recipient) is refused by the ordinary « Ajouter au panier »."""
from django import forms
from oscar.apps.basket.forms import *  # noqa: F401,F403
from oscar.apps.basket.forms import AddToBasketForm as CoreAddToBasketForm
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
