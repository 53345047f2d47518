"""What the plugin records: each order's online payment (and Stripe's fee on it), every
Stripe event once, refunds shop by shop, payments taken in the shop, each shop's
commission rate and bank account, and the association's account (a site setting)."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from townmarket.money import euros
from townmarket.sites import site_setting

from .banking import clean_bic, clean_iban, formatted_iban
from .money import cents


class Payment(models.Model):
    """One order's payment by card, collected by the association's Stripe account."""

    class Status(models.TextChoices):
        PENDING = "en_attente", _("En attente")
        PAID = "payee", _("Payée")
        ABANDONED = "abandonnee", _("Abandonnée")

    order = models.OneToOneField("order.Order", on_delete=models.PROTECT, related_name="online_payment")
    status = models.CharField(_("Statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(_("Montant"), max_digits=12, decimal_places=2)
    session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    session_url = models.URLField(max_length=1000, blank=True)
    payment_intent = models.CharField(max_length=255, blank=True)
    last_error = models.CharField(_("Dernier incident"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(_("Payée le"), null=True, blank=True)
    # What Stripe kept on it (its balance transaction); None until Stripe has told (fees.py).
    stripe_fee = models.DecimalField(_("Frais Stripe"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("paiement en ligne")
        verbose_name_plural = _("paiements en ligne")

    def __str__(self):
        return f"{self.order.number} · {self.get_status_display()}"

    @property
    def amount_cents(self):
        return cents(self.amount)


class StripeEvent(models.Model):
    """Each Stripe event id once: the unique index is what makes a second delivery,
    even a simultaneous one, a no-op."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    outcome = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.event_id} ({self.type})"


class Refund(models.Model):
    """Money given back on one shop's part of an order paid online."""

    class Status(models.TextChoices):
        PENDING = "en_cours", _("En cours")
        DONE = "effectue", _("Effectué")
        FAILED = "echoue", _("Échoué")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    shop_order = models.ForeignKey("order.ShopOrder", on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("Montant"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("Motif"), max_length=255)
    status = models.CharField(_("Statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    error = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("Effectué le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")

    def __str__(self):
        return f"{self.shop_order} · {euros(self.amount)}"

    @property
    def idempotency_key(self):
        return f"townmarket-refund-{self.pk}"


class InStorePayment(models.Model):
    """The customer paid one shop's part at pickup or on delivery; the merchant says so."""

    class Means(models.TextChoices):
        CASH = "especes", _("Espèces")
        CARD = "carte", _("Carte bancaire")
        CHEQUE = "cheque", _("Chèque")
        OTHER = "autre", _("Autre")

    shop_order = models.OneToOneField("order.ShopOrder", on_delete=models.CASCADE, related_name="in_store_payment")
    amount = models.DecimalField(_("Montant reçu"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    means = models.CharField(_("Moyen de paiement"), max_length=20, choices=Means.choices, default=Means.CASH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paiement en magasin")
        verbose_name_plural = _("paiements en magasin")


class ShopCommission(models.Model):
    """The share of online sales the association keeps, shop by shop (0 % when unset)."""

    partner = models.OneToOneField("partner.Partner", on_delete=models.CASCADE, related_name="commission")
    rate = models.DecimalField(_("Taux de commission (%)"), max_digits=5, decimal_places=2, default=Decimal("0.00"),
                               validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])

    class Meta:
        verbose_name = _("commission d'un commerce")
        verbose_name_plural = _("commissions des commerces")
        permissions = [("set_commission", _("Peut fixer la commission des commerces"))]


class ShopPayoutAccount(models.Model):
    """The account the association pays a shop into (a SEPA credit transfer), typed by
    the merchant for their own shop or by the association."""

    partner = models.OneToOneField("partner.Partner", on_delete=models.CASCADE, related_name="payout_account")
    holder = models.CharField(_("Titulaire du compte"), max_length=70,
                              help_text=_("Tel qu'il figure sur le RIB (70 caractères au plus)."))
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True,
                           help_text=_("Facultatif pour un virement SEPA ; 8 ou 11 caractères."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coordonnées bancaires d'un commerce")
        verbose_name_plural = _("coordonnées bancaires des commerces")
        permissions = [("export_transfers", _("Peut télécharger les virements SEPA aux commerces"))]

    def __str__(self):
        return f"{self.partner} · {formatted_iban(self.iban)}"


@register_setting(icon="doc-full")
class PayoutSettings(BaseSiteSetting):
    """The association's own account, which the transfers to the shops are paid from
    (one per town: Paramètres > Virements aux commerces)."""

    holder = models.CharField(_("Titulaire du compte"), max_length=70, blank=True,
                              help_text=_("Vide : le nom de l'association (Identité du marché)."))
    iban = models.CharField(_("IBAN de l'association"), max_length=34, blank=True,
                            help_text=_("Le compte d'où partent les virements aux commerces."))
    bic = models.CharField(_("BIC de l'association"), max_length=11, blank=True)

    panels = [FieldPanel("holder"), FieldPanel("iban"), FieldPanel("bic")]

    class Meta:
        verbose_name = _("virements aux commerces")

    @classmethod
    def for_town(cls, request=None, site=None):
        return site_setting(cls, request=request, site=site)

    def clean(self):
        errors = {}
        for name, check in (("iban", clean_iban), ("bic", clean_bic)):
            value = getattr(self, name)
            if value:
                try:
                    setattr(self, name, check(value))
                except ValidationError as error:
                    errors[name] = error
        if errors:
            raise ValidationError(errors)
