"""Every status an order can have, in one place.

- The customer's order (Oscar's `Order`) only says where its payment stands. The
  checkout places it « Nouvelle », or « En attente de paiement » when it is paid online;
  `oscar_apps.checkout.awaiting_payment` then moves it once, to « Nouvelle » (paid) or
  « Paiement abandonné ». Nothing else moves it: the Order and Line models allow Oscar no
  transition (`NO_TRANSITIONS`), so Oscar's dashboard offers none and `set_status`
  refuses every change.
- Each shop's part (`ShopOrder`) goes from « nouvelle » to its end through
  `oscar_apps.order.workflow.change_status`, with its stock, delivery, refund and
  e-mail effects.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ShopOrderStatus(models.TextChoices):
    NEW = "nouvelle", _("Nouvelle")
    PREPARING = "en_preparation", _("En préparation")
    READY = "prete", _("Prête")
    COLLECTED = "retiree", _("Retirée")
    DELIVERED = "livree", _("Livrée")
    CANCELLED = "annulee", _("Annulée")


class OrderStatus(models.TextChoices):
    # Stored as Oscar shows them on the customer's order pages: French words.
    AWAITING_PAYMENT = "En attente de paiement", _("En attente de paiement")
    PLACED = "Nouvelle", _("Nouvelle")
    PAYMENT_ABANDONED = "Paiement abandonné", _("Paiement abandonné")


# Orders the shops do not see: not paid yet, or never.
HIDDEN_FROM_SHOPS = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_ABANDONED)

# Oscar's status pipelines (order and line): every status is known, none leads to another.
NO_TRANSITIONS = {status: () for status in OrderStatus.values}
