import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from oscar_apps.checkout.forms import is_french_postcode
from townmarket.sites import default_town_id, site_setting

from .fields import EurosField, WeekdaysField
from .rules import ServiceCalendar, Zone, split_list

MONEY = {"validators": [MinValueValidator(Decimal("0.00"))]}


@register_setting(icon="calendar-alt")
class DeliverySettings(BaseSiteSetting):
    """A town's delivery rules (one row per Wagtail Site), edited by its association in
    Paramètres > Livraisons. Read them with `DeliverySettings.for_town(request)`."""

    zone_postcodes = models.TextField(
        _("Codes postaux desservis"), blank=True,
        help_text=_("Un par ligne ou séparés par des virgules, par exemple 30700."))
    zone_communes = models.TextField(
        _("Communes desservies"), blank=True,
        help_text=_("Une par ligne. Si vous remplissez aussi les codes postaux, l'adresse doit correspondre aux deux."))
    food_days = WeekdaysField(_("Jours de tournée des commerces alimentaires"), default=[2, 5], blank=True)
    other_days = WeekdaysField(_("Jours de tournée des autres commerces"), default=[4], blank=True)
    cutoff_time = models.TimeField(_("Heure limite de commande"), default=dt.time(18, 0))
    cutoff_days_before = models.PositiveSmallIntegerField(
        _("Nombre de jours avant la livraison"), default=1,
        help_text=_("1 : commander la veille avant l'heure limite ; 0 : le jour même."))
    round_capacity = models.PositiveIntegerField(
        _("Livraisons par tournée"), default=20, validators=[MinValueValidator(1)],
        help_text=_("Nombre d'adresses que les bénévoles peuvent livrer un même jour."))
    local_fee = EurosField(_("Frais de livraison à domicile (€)"), default=Decimal("0.00"), **MONEY)
    local_free_above = EurosField(
        _("Livraison offerte à partir de (€)"), null=True, blank=True, **MONEY,
        help_text=_("Montant des achats dans un commerce au-delà duquel sa livraison est gratuite. Vide : jamais."))
    postal_fee = EurosField(_("Frais d'envoi par La Poste (€)"), default=Decimal("4.00"), **MONEY)
    postal_days = WeekdaysField(_("Jours de distribution par La Poste"), default=[1, 2, 3, 4, 5])

    panels = [
        MultiFieldPanel([FieldPanel("zone_postcodes"), FieldPanel("zone_communes")], heading=_("Zone de livraison")),
        MultiFieldPanel([FieldPanel("food_days"), FieldPanel("other_days"), FieldPanel("cutoff_time"),
                         FieldPanel("cutoff_days_before"), FieldPanel("round_capacity"),
                         FieldPanel("local_fee"), FieldPanel("local_free_above")],
                        heading=_("Tournées des bénévoles")),
        MultiFieldPanel([FieldPanel("postal_fee"), FieldPanel("postal_days")], heading=_("La Poste")),
    ]

    class Meta:
        verbose_name = _("livraisons")

    @classmethod
    def for_town(cls, request=None, site=None):
        """The rules of `site`, else of the request's town, else of the default Site
        (commands, the task worker); read once per request."""
        return site_setting(cls, request=request, site=site)

    def clean(self):
        wrong = [p for p in split_list(self.zone_postcodes) if not is_french_postcode(p.replace(" ", ""))]
        if wrong:
            raise ValidationError({"zone_postcodes": _("Codes postaux invalides : %(list)s (5 chiffres attendus).")
                                   % {"list": ", ".join(wrong)}})

    @property
    def zone(self):
        return Zone.from_text(self.zone_postcodes, self.zone_communes)

    def round_calendar(self, is_food, preparation_days=0):
        return ServiceCalendar(frozenset(self.food_days if is_food else self.other_days), self.cutoff_time,
                               self.cutoff_days_before, preparation_days)

    def postal_calendar(self, preparation_days=0):
        return ServiceCalendar(frozenset(self.postal_days), self.cutoff_time, self.cutoff_days_before,
                               preparation_days)

    def local_fee_for(self, subtotal):
        if self.local_free_above is not None and subtotal >= self.local_free_above:
            return Decimal("0.00")
        return self.local_fee


class ShopDelivery(models.Model):
    """How one shop hands over its orders. A shop without a row uses the defaults."""

    partner = models.OneToOneField("partner.Partner", on_delete=models.CASCADE, related_name="delivery")
    click_and_collect = models.BooleanField(_("Retrait en magasin (click & collect)"), default=True)
    local_delivery = models.BooleanField(_("Livraison à domicile par les bénévoles"), default=True)
    postal = models.BooleanField(_("Envoi par La Poste"), default=False)
    payment_before_sending = models.BooleanField(
        _("Envoi par La Poste : accepte le paiement avant envoi (chèque, virement)"), default=False,
        help_text=_("Sinon, un colis envoyé par La Poste se paie en ligne. Le colis part une fois le paiement "
                    "reçu et noté sur la commande."))
    preparation_days = models.PositiveSmallIntegerField(
        _("Délai de préparation (jours)"), default=0,
        help_text=_("Nombre de jours au minimum entre la commande et la livraison. 0 : l'heure limite suffit."))

    class Meta:
        verbose_name = _("modes de retrait et de livraison d'un commerce")
        verbose_name_plural = _("modes de retrait et de livraison des commerces")

    def __str__(self):
        return str(self.partner)

    def offers(self, code):
        return {"click_collect": self.click_and_collect, "local_delivery": self.local_delivery,
                "postal": self.postal}.get(code, True)


class RoundDay(models.Model):
    """A day's volunteer round: how many stops are booked (conditional updates keep it
    at or under the capacity, however many checkouts run at once)."""

    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.CASCADE,
                             related_name="+", default=default_town_id)
    date = models.DateField(_("Date"))
    booked = models.PositiveIntegerField(_("Adresses réservées"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["town", "date"], name="one_round_per_town_and_day")]
        verbose_name = _("tournée")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} ({self.booked})"


class DeliveryStop(models.Model):
    """One address on one round: an order's parcels from one or several shops."""

    class Status(models.TextChoices):
        PENDING = "a_livrer", _("À livrer")
        DELIVERED = "livre", _("Livré")
        ABSENT = "absent", _("Absent")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="delivery_stops")
    # The town whose round it is on (its RoundDay's): the order's town, set when booked.
    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.CASCADE,
                             related_name="+", default=default_town_id)
    date = models.DateField(_("Date"), db_index=True)
    parcels = models.ManyToManyField("order.ShopOrder", related_name="delivery_stops", verbose_name=_("Colis"))
    status = models.CharField(_("Statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = _("arrêt de tournée")
        verbose_name_plural = _("arrêts de tournée")
        constraints = [models.UniqueConstraint(fields=["order", "date"], name="one_stop_per_order_and_day")]
        indexes = [models.Index(fields=["town", "date"], name="deliverystop_town_date")]
        permissions = [("run_rounds", _("Peut consulter et pointer les tournées de livraison"))]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.order.number}"


class DoorPayment(models.Model):
    """What the volunteer recorded at the door for one shop's part of an order paid on
    delivery (or the shop, for a parcel paid before sending): « Payé » (how much, by
    what means) or « Pas payé ». One row per shop part
    (the unique index is what makes a double tap record once); « Pas payé » may later
    become « Payé »."""

    class Outcome(models.TextChoices):
        PAID = "paye", _("Payé")
        UNPAID = "pas_paye", _("Pas payé")

    class Means(models.TextChoices):  # the codes of the payments plugin's in-store means
        CASH = "especes", _("Espèces")
        CHEQUE = "cheque", _("Chèque")
        CARD = "carte", _("Carte bancaire")
        TRANSFER = "virement", _("Virement")  # before sending a parcel only

    # None: a parcel sent by post, paid to the shop before sending (ShopDelivery.payment_before_sending).
    stop = models.ForeignKey(DeliveryStop, on_delete=models.CASCADE, related_name="door_payments", null=True,
                             blank=True)
    shop_order = models.OneToOneField("order.ShopOrder", on_delete=models.CASCADE, related_name="door_payment")
    outcome = models.CharField(_("Résultat"), max_length=10, choices=Outcome.choices)
    amount = models.DecimalField(_("Montant reçu"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    means = models.CharField(_("Moyen de paiement"), max_length=10, choices=Means.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("Enregistré le"), auto_now=True)

    class Meta:
        verbose_name = _("paiement à la livraison")
        verbose_name_plural = _("paiements à la livraison")

    def __str__(self):
        return f"{self.shop_order} · {self.get_outcome_display()}"
