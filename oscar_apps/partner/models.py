from decimal import Decimal

from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord


class InsufficientStock(Exception):
    """Raised when an allocation would take a stock record below zero."""

    def __init__(self, stockrecord, quantity):
        self.stockrecord = stockrecord
        self.quantity = quantity
        super().__init__(f"Not enough stock for stockrecord {stockrecord.pk} (wanted {quantity})")


class VatRate(models.TextChoices):
    """French VAT rates; prices are entered and stored tax-inclusive (TTC)."""

    STANDARD = "20.0", _("20 % (taux normal)")
    INTERMEDIATE = "10.0", _("10 % (taux intermédiaire)")
    REDUCED = "5.5", _("5,5 % (taux réduit : alimentation, livres)")
    SUPER_REDUCED = "2.1", _("2,1 % (taux particulier)")


class StockRecord(AbstractStockRecord):
    vat_rate = models.CharField(
        _("Taux de TVA"), max_length=5, choices=VatRate.choices, default=VatRate.STANDARD
    )

    @property
    def vat_ratio(self):
        return Decimal(self.vat_rate) / Decimal(100)

    def allocate(self, quantity):
        """Allocate stock with one conditional UPDATE.

        Oscar 4.2 adds to num_allocated without checking (Oscar #4524). Here the
        row only changes while enough free stock remains; the database evaluates the
        condition under the row lock, so two buyers of the last unit cannot both win.
        """
        if not self.can_track_allocations:
            return
        self.pre_save_signal()
        updated = (
            type(self)
            .objects.filter(
                pk=self.pk,
                num_in_stock__gte=Coalesce(F("num_allocated"), 0) + quantity,
            )
            .update(num_allocated=Coalesce(F("num_allocated"), 0) + quantity)
        )
        if not updated:
            raise InsufficientStock(self, quantity)
        self.refresh_from_db(fields=["num_allocated"])
        self.post_save_signal()


from oscar.apps.partner.models import *  # noqa: E402,F401,F403
