from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory


class Category(AbstractCategory):
    """Oscar's category plus whether it holds alcoholic drinks (alcohol.py): its products, and
    its sub-categories', carry the health message and ask for the buyer's age at checkout."""

    contains_alcohol = models.BooleanField(
        _("boissons alcoolisées"), default=False,
        help_text=_("Ses produits (et ceux de ses sous-catégories) portent le message sanitaire et le client "
                    "confirme avoir 18 ans ou plus à la commande."))


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403  every other model stays Oscar's
