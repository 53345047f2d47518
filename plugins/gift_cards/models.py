"""Gift cards and their ledger.

An offer (GiftCardOffer) makes a catalogue product a gift card: a shop's card, a
voucher for one service, or the town card valid in every shop. Each card bought
is a GiftCard with a code; every movement of money on it is a LedgerEntry, and its
balance is the sum of its entries, nothing else."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from townmarket.sites import default_town_id, site_setting

from . import codes

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class Kind(models.TextChoices):
    SHOP = "commerce", _("Carte cadeau du commerce")
    SERVICE = "prestation", _("Bon pour une prestation")
    TOWN = "ville", _("Carte cadeau de la ville")


def parse_amounts(text):
    """« 20 30,50 ; 100 » → [Decimal("20.00"), Decimal("30.50"), Decimal("100.00")];
    raises ArithmeticError (decimal.InvalidOperation) for anything else."""
    amounts = [Decimal(piece.replace(",", ".")).quantize(CENT) for piece in text.replace(";", " ").split()]
    if any(not amount.is_finite() or amount <= 0 for amount in amounts):
        raise ArithmeticError(text)
    return sorted(set(amounts))


@register_setting(icon="tag")
class GiftCardSettings(BaseSiteSetting):
    """A town's gift-card rules (one row per Wagtail Site), edited by its association in
    Paramètres > Cartes cadeaux. Read them with `GiftCardSettings.for_town(request)`."""

    validity_months = models.PositiveSmallIntegerField(
        _("Durée de validité d'une carte (mois)"), default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Comptée à partir du jour d'envoi de la carte ; une offre peut fixer la sienne. De 1 à 60 mois."))
    throttle_attempts = models.PositiveSmallIntegerField(
        _("Codes erronés tolérés"), default=5, validators=[MinValueValidator(3), MaxValueValidator(20)],
        help_text=_("Nombre de codes erronés qu'un visiteur (ou une caisse) peut saisir avant de devoir attendre. "
                    "De 3 à 20."))
    throttle_minutes = models.PositiveSmallIntegerField(
        _("Attente après trop de codes erronés (minutes)"), default=15,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
        help_text=_("De 5 minutes à 1440 minutes (24 heures)."))

    panels = [
        FieldPanel("validity_months"),
        MultiFieldPanel([FieldPanel("throttle_attempts"), FieldPanel("throttle_minutes")],
                        heading=_("Protection contre les codes devinés")),
    ]

    class Meta:
        verbose_name = _("cartes cadeaux")

    @classmethod
    def for_town(cls, request=None, site=None):
        """The rules of `site`, else of the request's town, else of the default Site
        (commands, the task worker); read once per request."""
        return site_setting(cls, request=request, site=site)


class GiftCardOffer(models.Model):
    """What a gift-card product sells: which kind, which amounts, how long it lasts."""

    product = models.OneToOneField("catalogue.Product", on_delete=models.CASCADE, related_name="gift_card_offer")
    kind = models.CharField(_("Type"), max_length=20, choices=Kind.choices, default=Kind.SHOP)
    preset_amounts = models.CharField(
        _("Montants proposés"), max_length=200, blank=True,
        help_text=_("Séparés par des espaces, par exemple : 20 30 50 100"))
    min_amount = models.DecimalField(_("Montant libre minimum"), max_digits=8, decimal_places=2, null=True,
                                     blank=True, validators=[MinValueValidator(Decimal("1.00"))])
    max_amount = models.DecimalField(_("Montant libre maximum"), max_digits=8, decimal_places=2, null=True,
                                     blank=True, validators=[MinValueValidator(Decimal("1.00"))])
    service = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="vouchers", verbose_name=_("Prestation"),
                                help_text=_("Pour un bon : la prestation offerte (son prix est celui du bon)."))
    validity_months = models.PositiveSmallIntegerField(
        _("Validité (mois)"), null=True, blank=True,
        help_text=_("Vide : la durée par défaut de la place de marché."))

    class Meta:
        verbose_name = _("offre de carte cadeau")
        verbose_name_plural = _("offres de cartes cadeaux")

    def __str__(self):
        return self.product.get_title()

    @property
    def presets(self):
        try:
            return parse_amounts(self.preset_amounts)
        except ArithmeticError:
            return []

    @property
    def free_amount(self):
        return self.min_amount is not None and self.max_amount is not None

    def clean(self):
        try:
            parse_amounts(self.preset_amounts)
        except ArithmeticError:
            raise ValidationError({"preset_amounts": _("Écrivez des montants en euros séparés par des espaces, "
                                                        "par exemple : 20 30 50.")})
        if (self.min_amount is None) != (self.max_amount is None):
            raise ValidationError(_("Indiquez le minimum et le maximum du montant libre, ou aucun des deux."))
        if self.free_amount and self.min_amount > self.max_amount:
            raise ValidationError({"max_amount": _("Le maximum doit être supérieur au minimum.")})
        if self.kind == Kind.SERVICE and self.service_id is None:
            raise ValidationError({"service": _("Choisissez la prestation offerte par ce bon.")})

    def validity(self, request=None, site=None):
        """Months a card bought from this offer lasts: the offer's own, else the town's
        (`site`: the card's town; else the request's)."""
        return self.validity_months or GiftCardSettings.for_town(request, site=site).validity_months


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue


class GiftCardQuerySet(models.QuerySet):
    def live(self, today=None):
        return self.filter(expires_on__gte=today or timezone.localdate())

    def with_balance(self):
        return self.annotate(balance_sum=Sum("entries__amount"))


class GiftCard(models.Model):
    code = models.CharField(_("Code"), max_length=codes.LENGTH, unique=True, editable=False)
    kind = models.CharField(_("Type"), max_length=20, choices=Kind.choices)
    # The town whose shops take the card (a shop card: its shop's town).
    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.PROTECT,
                             related_name="+", default=default_town_id)
    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="gift_cards", verbose_name=_("Commerce"),
                                help_text=_("Vide pour la carte de la ville, valable partout."))
    service = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("Prestation"))
    service_name = models.CharField(_("Prestation"), max_length=255, blank=True)
    initial_amount = models.DecimalField(_("Montant"), max_digits=8, decimal_places=2)
    expires_on = models.DateField(_("Valable jusqu'au"))
    order_line = models.ForeignKey("order.Line", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="gift_cards")
    sequence = models.PositiveSmallIntegerField(default=1)  # the n-th card of a line of quantity > 1
    recipient_name = models.CharField(_("Destinataire"), max_length=100, blank=True)
    recipient_email = models.EmailField(_("E-mail du destinataire"), blank=True)
    message = models.TextField(_("Message"), blank=True)
    buyer_name = models.CharField(_("Offert par"), max_length=255, blank=True)
    send_on = models.DateField(_("Envoi le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Envoyée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GiftCardQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["order_line", "sequence"], name="one_card_per_line_unit")]
        verbose_name = _("carte cadeau")
        verbose_name_plural = _("cartes cadeaux")

    def __str__(self):
        return codes.masked(self.code)

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = codes.generate()
        super().save(*args, **kwargs)

    @property
    def display_code(self):
        return codes.display(self.code)

    @property
    def masked_code(self):
        return codes.masked(self.code)

    @property
    def balance(self):
        total = self.entries.aggregate(total=Sum("amount"))["total"]
        return (total or ZERO).quantize(CENT)  # SQLite's SUM may bring stray decimals

    def is_expired(self, today=None):
        return self.expires_on < (today or timezone.localdate())

    @property
    def where(self):
        """« Valable chez Des pieds et des mains » / « dans tous les commerces »."""
        if self.kind == Kind.TOWN:
            return _("Valable dans tous les commerces participants")
        return _("Valable chez %(shop)s") % {"shop": self.partner.name}


class LedgerEntry(models.Model):
    """One movement of money on a card: positive adds to its balance."""

    class Kind(models.TextChoices):
        ISSUED = "emission", _("Émission")
        SPENT_ONLINE = "achat_en_ligne", _("Achat en ligne")
        SPENT_IN_STORE = "achat_en_magasin", _("Achat en magasin")
        REFUNDED = "remboursement", _("Remboursement (commande annulée)")
        EXPIRED = "expiration", _("Expiration")
        ADJUSTED = "ajustement", _("Correction par l'association")

    card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("Mouvement"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("Montant"), max_digits=8, decimal_places=2)
    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="gift_card_entries", verbose_name=_("Commerce"))
    shop_order = models.ForeignKey("order.ShopOrder", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="gift_card_entries")
    reason = models.CharField(_("Motif"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("Date"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("mouvement de carte cadeau")
        verbose_name_plural = _("mouvements de cartes cadeaux")
        permissions = [("adjust_giftcard", _("Corriger le solde d'une carte cadeau")),
                       ("view_giftcard_reports", _("Voir l'encours et les sommes dues par la carte de la ville"))]

    def __str__(self):
        return f"{self.card} {self.get_kind_display()} {self.amount}"

    @property
    def spent(self):
        return -self.amount
