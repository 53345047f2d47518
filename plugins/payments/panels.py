"""The « Paiement » section of a shop's order in the back office."""
from django.utils.translation import gettext as _

from backoffice import roles
from townmarket import extensions

from .forms import InStorePaymentForm, RefundForm
from .models import InStorePayment, Payment
from .refunds import refundable


@extensions.register(extensions.SHOP_ORDER_PANELS)
def payment_panel(request, shop_order):
    payment = Payment.objects.filter(order_id=shop_order.order_id).first()
    context = {"shop_order": shop_order, "payment": payment, "can_change": request.user.has_perm(roles.CHANGE_ORDERS),
               "part_total": shop_order.amount_due}
    if payment is not None and payment.status == Payment.Status.PAID:
        left = refundable(shop_order)
        context.update(refunds=list(shop_order.refunds.all()), refundable=left,
                       form=RefundForm(initial={"amount": left}, prefix="refund"))
        return [extensions.Panel(_("Paiement"), "payments/panel_online.html", context)]
    context.update(in_store=InStorePayment.objects.filter(shop_order=shop_order).first(),
                   form=InStorePaymentForm(initial={"amount": context["part_total"]}, prefix="paid"))
    return [extensions.Panel(_("Paiement"), "payments/panel_in_store.html", context)]
