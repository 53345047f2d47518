"""An order paid online exists before its payment: placed « En attente de paiement »,
its stock and delivery places held, its basket frozen, and unseen by the shops.
The payment plugin then either confirms it (paid) or abandons it (payment given up,
expired or impossible), each exactly once: both start with a conditional UPDATE on
the order's status, so a duplicate or late event changes nothing."""
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_apps.order import workflow
from oscar_apps.order.notifications import notify_shops
from oscar_apps.order.statuses import OrderStatus
from townmarket.signals import order_confirmed, order_paid

from .confirmation import send_order_confirmation

# The two statuses this module moves from and to, under the names the checkout and the
# payment plugin use.
AWAITING_PAYMENT = OrderStatus.AWAITING_PAYMENT
ABANDONED = OrderStatus.PAYMENT_ABANDONED

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
ShopOrder = get_model("order", "ShopOrder")


def _move(order, to_status):
    moved = Order.objects.filter(pk=order.pk, status=AWAITING_PAYMENT).update(status=to_status)
    if moved:
        order.status = to_status
    return bool(moved)


@transaction.atomic
def confirm(order):
    """The payment is in: the order becomes « Nouvelle », its basket submitted, and the
    shops' and the customer's e-mails go into the outbox in the same transaction. False
    if the order was no longer waiting (already confirmed or abandoned)."""
    if not _move(order, OrderStatus.PLACED):
        return False
    Basket.objects.filter(pk=order.basket_id, status=Basket.FROZEN).update(
        status=Basket.SUBMITTED, date_submitted=timezone.now())
    order_paid.send(sender=Order, order=order)
    order_confirmed.send(sender=Order, order=order, paid_online=True)
    notify_shops(order)
    send_order_confirmation(order)
    return True


@transaction.atomic
def abandon(order, request=None):
    """No payment will come: each shop's part is cancelled (stock and delivery places
    released, no e-mail), and the basket's articles go back to the customer. False if
    the order was not waiting."""
    if not _move(order, ABANDONED):
        return False
    for shop_order in ShopOrder.objects.filter(order=order).select_related("order", "partner"):
        workflow.change_status(shop_order, ShopOrder.Status.CANCELLED, notify_customer=False)
    frozen = Basket.objects.filter(pk=order.basket_id, status=Basket.FROZEN).first()
    if frozen is not None:
        give_back(frozen, request)
    return True


def give_back(frozen, request):
    """Move the frozen basket's lines to an open basket of the same customer: the one
    of this request, else their open one, else a new one. Not the frozen basket
    itself, since the order number comes from the basket's id and the next attempt
    needs a new one. A guest reached without their request (Stripe expiring the
    session, the sweep) gets them when coming back to the payment page
    (plugins.payments: give_basket_back)."""
    if request is None and not frozen.owner_id:
        return
    current = getattr(request, "basket", None)
    if current is not None and current.id and current.status == Basket.OPEN:
        target = current
    elif frozen.owner_id:
        target = (Basket.open.filter(owner=frozen.owner, town_id=frozen.town_id).first()  # that town's basket
                  or Basket.objects.create(owner=frozen.owner, town_id=frozen.town_id))
    else:
        target = Basket.objects.create(town_id=frozen.town_id)
    target.merge(frozen, add_quantities=False)
    if request is not None:
        if hasattr(request, "strategy"):
            target.strategy = request.strategy
        request.basket = target
        cookie = settings.OSCAR_BASKET_COOKIE_OPEN
        if hasattr(request, "cookies_to_delete") and cookie in request.COOKIES:
            request.cookies_to_delete.append(cookie)  # so the middleware writes the new one
