"""Erasing a person: their account row, addresses, baskets and login records deleted;
their orders' name, e-mail, phone and addresses blanked; copies of the e-mails sent
about them deleted; each ERASE_PERSONAL_DATA hook's part (gift cards…). Orders, their
lines and totals, the shops' parts, payments, refunds and settlements stay (accounting
records), and so do invoices, which keep their own frozen copy of the buyer's name."""
import json

import phonenumbers
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.core.loading import get_model

from backoffice import roles
from oscar_apps.order.statuses import OrderStatus, ShopOrderStatus
from townmarket import extensions
from townmarket.models import OutboxMessage

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
OrderNote = get_model("order", "OrderNote")
ShopOrder = get_model("order", "ShopOrder")

DELIVERY_ADDRESS = "delivery_address"  # the key oscar_apps.checkout writes
OPEN_PARTS = (ShopOrderStatus.NEW, ShopOrderStatus.PREPARING, ShopOrderStatus.READY)


def orders_in_progress(orders):
    """Orders not yet paid, or with a shop's part not yet collected, delivered or cancelled."""
    open_parts = ShopOrder.objects.filter(status__in=OPEN_PARTS).exclude(order__status=OrderStatus.PAYMENT_ABANDONED)
    return orders.filter(Q(status=OrderStatus.AWAITING_PAYMENT) | Q(pk__in=open_parts.values("order_id"))).distinct()


def works_in_back_office(user):
    return user.is_staff or user.is_superuser or user.groups.exists() or roles.manages_a_shop(user)


def refusal(subject):
    """Why `subject` cannot be erased now (French, saying when it can), or None."""
    user = subject.user
    if user is not None and works_in_back_office(user):
        return _("Votre compte sert aussi au back office du marché : demandez à l'association de le fermer.")
    numbers = list(orders_in_progress(subject.orders).order_by("number").values_list("number", flat=True))
    if numbers:
        return ngettext(
            "Votre commande n° %(numbers)s est en cours : l'effacement sera possible dès qu'elle sera retirée, "
            "livrée ou annulée.",
            "Vos commandes n° %(numbers)s sont en cours : l'effacement sera possible dès qu'elles seront "
            "retirées, livrées ou annulées.", len(numbers)) % {"numbers": ", ".join(numbers)}
    return None


def names_of(subject):
    """Full names the person is known by (to find e-mails that name them)."""
    names = set(subject.orders.exclude(customer_name="").values_list("customer_name", flat=True))
    if subject.user is not None:
        names.add(subject.user.get_full_name())
    return {name.strip() for name in names if len(name.strip()) >= 5 and " " in name.strip()}


def national(phone):
    """'+33612345678' → '06 12 34 56 78', as e-mails write it."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return phone


def erase_sent_emails(subject):
    """Copies of e-mails sent to them, or naming them or their orders (the shops' e-mails)."""
    clues = set(subject.emails) | set(subject.phones) | {national(phone) for phone in subject.phones}
    clues |= set(subject.orders.values_list("number", flat=True))
    for name in names_of(subject):
        clues |= {name, json.dumps(name)[1:-1]}  # a JSON payload may keep « é » as \u00e9
    if not clues:
        return 0
    text = Cast("payload", TextField())
    about_them = Q()
    for clue in clues:
        about_them |= Q(recipients__icontains=clue) | Q(payload_text__icontains=clue) | Q(subject__icontains=clue)
    found = (OutboxMessage.objects.exclude(status=OutboxMessage.SENDING).annotate(payload_text=text)
             .filter(about_them).values_list("pk", flat=True))
    return OutboxMessage.objects.filter(pk__in=list(found)).delete()[0]


def erase_orders(subject):
    orders = subject.orders
    address_ids = list(orders.exclude(shipping_address=None).values_list("shipping_address_id", flat=True))
    billing_ids = list(orders.exclude(billing_address=None).values_list("billing_address_id", flat=True))
    basket_ids = list(orders.exclude(basket=None).values_list("basket_id", flat=True))
    orders.update(customer_name="", customer_phone="", guest_email="", shipping_address=None,
                  billing_address=None, basket=None)
    ShippingAddress.objects.filter(pk__in=address_ids).delete()
    BillingAddress.objects.filter(pk__in=billing_ids).delete()
    Basket.objects.filter(pk__in=basket_ids).delete()  # the submitted baskets: their lines' options too
    OrderNote.objects.filter(order__in=orders).delete()
    forget_delivery_addresses(ShopOrder.objects.filter(order__in=orders))


def forget_delivery_addresses(shop_orders):
    """The delivery address the checkout copied into each shop's part (fulfilment_details)."""
    for part in shop_orders.filter(fulfilment_details__has_key=DELIVERY_ADDRESS).only("pk", "fulfilment_details"):
        details = {key: value for key, value in part.fulfilment_details.items() if key != DELIVERY_ADDRESS}
        ShopOrder.objects.filter(pk=part.pk).update(fulfilment_details=details)


def erase_account(user):
    """The account row and everything Oscar keeps with it (addresses, baskets, alerts,
    e-mails, wish lists…: deleted with it); its orders stay, without it."""
    logins = {user.get_username(), user.email} - {""}
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=logins).delete()
    user.delete()


@transaction.atomic
def erase(subject):
    """Erase `subject` in one transaction; raise extensions.ErasureRefused (nothing
    changed) when it cannot be done yet."""
    message = refusal(subject)
    if message:
        raise extensions.ErasureRefused(message)
    extensions.erase_personal_data(subject)  # the plugins first: the orders still name the person
    erase_sent_emails(subject)
    erase_orders(subject)
    if subject.user is not None:
        erase_account(subject.user)
