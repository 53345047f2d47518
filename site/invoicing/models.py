"""Invoices (« factures ») and credit notes (« avoirs »), one series of each per shop.

A document is written once, with a frozen copy of everything it says (`content`):
the seller's identity, the buyer, the lines, VAT per rate, the payment. Nothing edits
it afterwards: save() refuses an existing row and delete() refuses always; a mistake
or a refund is corrected by a credit note referring to the invoice."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableDocument(Exception):
    """An issued invoice or credit note cannot change nor disappear."""


class Kind(models.TextChoices):
    INVOICE = "facture", _("Facture")
    CREDIT_NOTE = "avoir", _("Avoir")


PREFIXES = {Kind.INVOICE: "F", Kind.CREDIT_NOTE: "A"}


class Sequence(models.Model):
    """The last number given in one shop's series (its invoices, or its credit notes).
    Locked with SELECT … FOR UPDATE inside the order's transaction: numbers follow
    each other without gaps, even when orders arrive together; a rolled-back order
    gives its number back with everything else."""

    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "kind"], name="one_sequence_per_shop_and_kind")]


class Document(models.Model):
    kind = models.CharField(_("Type"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("Numéro"), max_length=80, unique=True)
    sequence_number = models.PositiveIntegerField(_("Rang dans la série"))
    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="invoicing_documents",
                                verbose_name=_("Vendeur"))
    shop_order = models.ForeignKey("order.ShopOrder", on_delete=models.PROTECT, related_name="invoicing_documents",
                                   verbose_name=_("Commande du commerce"))
    # A credit note's invoice.
    invoice = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes",
                                verbose_name=_("Facture corrigée"))
    issued_at = models.DateTimeField(_("Émise le"))
    total_incl_tax = models.DecimalField(_("Total TTC"), max_digits=12, decimal_places=2)
    content = models.JSONField(_("Contenu figé"))

    class Meta:
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "kind", "sequence_number"], name="one_number_per_series"),
            models.UniqueConstraint(fields=["shop_order"], condition=models.Q(kind="facture"),
                                    name="one_invoice_per_shop_order"),
        ]
        verbose_name = _("facture ou avoir")
        verbose_name_plural = _("factures et avoirs")

    def __str__(self):
        return self.number

    @property
    def is_credit_note(self):
        return self.kind == Kind.CREDIT_NOTE

    @property
    def filename(self):
        return f"{self.get_kind_display().lower()}-{self.number}.pdf"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise ImmutableDocument(f"{self.number} is issued: it cannot change (issue a credit note)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocument(f"{self.number} is issued: it cannot be deleted")
