from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder
from phonenumber_field.modelfields import PhoneNumberField

from townmarket import extensions

from .statuses import NO_TRANSITIONS, ShopOrderStatus


class Order(AbstractOrder):
    """Oscar's order plus who to call back: merchants phone customers after an order.
    Its status only moves through the checkout and awaiting_payment (statuses.py)."""

    pipeline = NO_TRANSITIONS

    # The town (Wagtail Site) whose marketplace took the order. Oscar's own `site` is
    # django.contrib.sites' and stays the install's.
    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.PROTECT,
                             related_name="+", null=True, blank=True)
    customer_name = models.CharField(_("Nom du client"), max_length=255, blank=True)
    customer_phone = PhoneNumberField(_("Téléphone du client"), blank=True)

    class Channel(models.TextChoices):
        WEB = "web", _("sur le site")
        PHONE = "phone", _("par téléphone")

    channel = models.CharField(_("Commande passée"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    # Staff who typed in an order taken by phone (« commande téléphonique, prise par … »).
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Prise par"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="orders_taken")
    # The version of the CGV the customer accepted (legal pages), and when.
    terms_version = models.CharField(_("Version des CGV acceptée"), max_length=50, blank=True)
    terms_accepted_at = models.DateTimeField(_("CGV acceptées le"), null=True, blank=True)
    # An order with alcohol: the customer said they are 18 or over (recorded when).
    adult_confirmed_at = models.DateTimeField(_("Majorité confirmée le"), null=True, blank=True)

    class Meta(AbstractOrder.Meta):
        indexes = [models.Index(fields=["town", "date_placed"], name="order_town_date_placed")]

    @property
    def phone_order_note(self):
        """« Commande téléphonique, prise par Marie Dupont », shown to staff and shops
        wherever they see the order; empty for an order placed on the site."""
        if self.channel != self.Channel.PHONE:
            return ""
        taken_by = self.taken_by
        who = (taken_by.get_full_name() or taken_by.get_username()) if taken_by else _("l'association")
        return _("Commande téléphonique, prise par %(who)s") % {"who": who}


class Line(AbstractLine):
    """Oscar's order line. Its status never moves: each shop's part has its own (ShopOrder)."""

    pipeline = {}

    @property
    def description(self):
        """A plugin's wording of the line (LINE_DESCRIPTIONS), else Oscar's."""
        return extensions.line_description(self) or super().description


class ShopOrder(models.Model):
    """One shop's part of a marketplace order: its lines, how they reach the customer
    and where that part stands. One Oscar order spans several shops (one basket);
    each shop works on its own part."""

    Status = ShopOrderStatus  # moved by workflow.change_status only

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="shop_orders")
    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="shop_orders")
    status = models.CharField(_("Statut"), max_length=20, choices=Status.choices, default=Status.NEW)
    fulfilment_code = models.CharField(_("Retrait ou livraison (code)"), max_length=50)
    fulfilment_label = models.CharField(_("Retrait ou livraison"), max_length=255)
    fulfilment_details = models.JSONField(_("Détails du retrait ou de la livraison"), default=dict, blank=True)
    fulfilment_fee = models.DecimalField(_("Frais"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    subtotal = models.DecimalField(_("Sous-total TTC"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    # Paid when the order was placed, by a BASKET_ADJUSTMENTS hook (a plugin: a gift card…).
    prepaid = models.DecimalField(_("Déjà réglé à la commande"), max_digits=12, decimal_places=2,
                                  default=Decimal("0.00"))
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "order"
        ordering = ["order", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["order", "partner"], name="one_shop_order_per_partner")
        ]
        indexes = [  # the back office's lists: a shop's orders, and every shop's new ones, newest first
            models.Index(fields=["partner", "status", "date_created"], name="shoporder_shop_status_date"),
            models.Index(fields=["status", "date_created"], name="shoporder_status_date"),
        ]
        verbose_name = _("commande d'un commerce")
        verbose_name_plural = _("commandes des commerces")

    def __str__(self):
        return f"{self.order.number} · {self.partner.name}"

    @property
    def total(self):
        return self.subtotal + self.fulfilment_fee

    @property
    def amount_due(self):
        """What the customer still pays for this part (online or at pickup)."""
        return max(self.total - self.prepaid, Decimal("0.00"))


from oscar.apps.order.models import *  # noqa: E402,F401,F403
