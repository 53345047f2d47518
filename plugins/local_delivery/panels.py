"""The « Envoi après paiement » section of a shop's order in the back office: a parcel
by post the shop accepted to be paid before sending waits, visibly, until the shop
records the cheque or the transfer."""
from django.utils.translation import gettext as _

from backoffice import roles
from townmarket import extensions

from .checkout import HELD_UNTIL_PAID, POSTAL
from .collection import paid_online, to_collect
from .forms import PaidBeforeSendingForm
from .models import DoorPayment


def held_until_paid(shop_order):
    return shop_order.fulfilment_code == POSTAL and bool((shop_order.fulfilment_details or {}).get(HELD_UNTIL_PAID))


@extensions.register(extensions.SHOP_ORDER_PANELS)
def paid_before_sending_panel(request, shop_order):
    if not held_until_paid(shop_order) or paid_online(shop_order.order):
        return []
    payment = DoorPayment.objects.filter(shop_order=shop_order, outcome=DoorPayment.Outcome.PAID).first()
    due = to_collect(shop_order)
    context = {"shop_order": shop_order, "payment": payment, "due": due,
               "can_change": request.user.has_perm(roles.CHANGE_ORDERS),
               "form": PaidBeforeSendingForm(initial={"amount": due}, due=due, prefix=None)}
    return [extensions.Panel(_("Envoi par La Poste après paiement"), "local_delivery/panel_held.html", context)]
