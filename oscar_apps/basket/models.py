from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.abstract_models import AbstractBasket, AbstractLine
from oscar.core.loading import get_model

from townmarket import extensions


class Basket(AbstractBasket):
    """Oscar's basket, whose lines come with what the basket page and the offers read of
    each line (its product's class and stock records): no query per line. A basket
    belongs to one town: a customer keeps one per town."""

    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.CASCADE,
                             related_name="+", null=True, blank=True)

    def all_lines(self):
        if self.id is not None and self._lines is None:
            StockRecord = get_model("partner", "StockRecord")
            self._lines = (
                self.lines.select_related("product__product_class", "stockrecord__partner")
                # each stock record's shop: the strategy sells the town's shops' only
                .prefetch_related("attributes", "product__images",
                                  Prefetch("product__stockrecords",
                                           queryset=StockRecord.objects.select_related("partner")))
                .order_by(self._meta.pk.name)
            )
        return super().all_lines()


class Line(AbstractLine):
    """Oscar's basket line; its description may come from a plugin (LINE_DESCRIPTIONS:
    « Carte cadeau de 30,00 € pour Paul Ami, envoyée le 1er décembre »)."""

    @property
    def description(self):
        return extensions.line_description(self) or super().description


from oscar.apps.basket.models import *  # noqa: E402,F401,F403
