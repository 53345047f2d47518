from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord

from townmarket.sites import default_town_id

from .legal_identity import clean_siret, clean_vat_number, format_siret


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
    # A card for an amount to spend on anything (a multi-purpose voucher, CGI art. 256 ter):
    # no VAT when sold, the VAT is due on what it buys. Gift cards only (PRODUCT_RATES).
    OUT_OF_SCOPE = "0.0", _("hors champ de la TVA (bon d'achat à usages multiples)")


PRODUCT_RATES = [(value, label) for value, label in VatRate.choices if value != VatRate.OUT_OF_SCOPE]


class Partner(AbstractPartner):
    """A shop (or the association, for its own cards): Oscar's seller, with the legal
    identity its vitrine shows and its invoices carry (oscar_apps/partner/legal_identity.py)."""

    # The town (Wagtail Site) whose marketplace the shop sells on: exactly one.
    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.PROTECT,
                             related_name="partners", default=default_town_id)
    legal_name = models.CharField(_("Raison sociale ou nom de l'entrepreneur"), max_length=255, blank=True)
    legal_form = models.CharField(_("Forme juridique"), max_length=120, blank=True,
                                  help_text=_("Par exemple « SARL au capital de 8 000 € », « EI », « SAS »."))
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    vat_number = models.CharField(_("N° de TVA intracommunautaire"), max_length=13, blank=True)
    # A small business under the « franchise en base » charges no VAT: its invoices say so.
    vat_exempt = models.BooleanField(_("Franchise en base de TVA (art. 293 B du CGI)"), default=False)
    legal_street = models.CharField(_("Adresse (siège)"), max_length=255, blank=True)
    legal_postcode = models.CharField(_("Code postal (siège)"), max_length=10, blank=True)
    legal_city = models.CharField(_("Commune (siège)"), max_length=100, blank=True)

    def clean(self):
        super().clean()
        errors = {}
        try:
            self.siret = clean_siret(self.siret)
        except ValidationError as error:
            errors["siret"] = error
        try:
            self.vat_number = clean_vat_number(self.vat_number, self.siret if "siret" not in errors else "")
        except ValidationError as error:
            errors["vat_number"] = error
        if errors:
            raise ValidationError(errors)

    @property
    def legal_address(self):
        return ", ".join(part for part in [self.legal_street, f"{self.legal_postcode} {self.legal_city}".strip()]
                         if part)

    @property
    def siret_display(self):
        return format_siret(self.siret)

    @property
    def seller_identity(self):
        """« SARL Morey et fils, SARL au capital de 8 000 €, SIRET 732 829 320 00074, TVA FR44732829320 »,
        what a platform shows of the seller (its shop name until the identity is given)."""
        parts = [self.legal_name or self.name, self.legal_form]
        if self.siret:
            parts.append(_("SIRET %(siret)s") % {"siret": self.siret_display})
        if self.vat_number:
            parts.append(_("TVA %(number)s") % {"number": self.vat_number})
        elif self.vat_exempt and self.siret:
            parts.append(_("TVA non applicable, art. 293 B du CGI"))
        return ", ".join(str(part) for part in parts if part)


class StockRecord(AbstractStockRecord):
    vat_rate = models.CharField(
        _("Taux de TVA"), max_length=5, choices=VatRate.choices, default=VatRate.STANDARD
    )

    class Meta(AbstractStockRecord.Meta):
        # The storefront's price filter finds its products through their price
        # (catalogue.listing.priced_between), not by reading every product's stock record.
        indexes = [models.Index(fields=["price", "product"], name="partner_stockrecord_price")]

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
