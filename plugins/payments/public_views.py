"""Where Stripe sends the customer back, and Stripe's webhook."""
import logging

import stripe
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, View

from . import gateway, payments, webhooks
from .models import Payment

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if not gateway.is_configured():
        raise Http404
    try:
        event = gateway.verified_event(request.body, request.headers.get("Stripe-Signature"))
    except (ValueError, stripe.SignatureVerificationError):
        logger.warning("Stripe webhook refused: bad signature or payload")
        return HttpResponseBadRequest("Signature invalide", content_type="text/plain; charset=utf-8")
    return JsonResponse({"outcome": webhooks.process(event)})


class CustomerPaymentMixin:
    """Only the browser that placed the order (or its signed-in customer) may see it."""

    def dispatch(self, request, number, *args, **kwargs):
        payment = Payment.objects.select_related("order").filter(order__number=number).first()
        if payment is None or not self.owns(request, payment.order):
            raise Http404
        self.payment = payment
        return super().dispatch(request, number, *args, **kwargs)

    @staticmethod
    def owns(request, order):
        if request.session.get("checkout_order_id") == order.pk:
            return True
        return request.user.is_authenticated and order.user_id == request.user.pk


class PaymentReturnView(CustomerPaymentMixin, TemplateView):
    """Stripe's success_url. The webhook usually came first; if not, the page waits
    for it, refreshing itself."""

    template_name = "payments/waiting.html"

    def get(self, request, *args, **kwargs):
        if self.payment.status == Payment.Status.PAID:
            request.session["checkout_order_id"] = self.payment.order_id
            return redirect("checkout:thank-you")
        if self.payment.status == Payment.Status.ABANDONED:
            payments.give_basket_back(self.payment, request)
            messages.info(request, _("Ce paiement a été abandonné ; rien n'a été débité. Vos articles sont dans votre panier."))
            return redirect("basket:summary")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(payment=self.payment, order=self.payment.order, **kwargs)


class PaymentCancelView(CustomerPaymentMixin, View):
    """Stripe's cancel_url (« Retour » on the payment page). The session is expired at
    Stripe first, so it cannot be paid once the basket is given back."""

    def get(self, request, *args, **kwargs):
        payment = self.payment
        back_to_payment = reverse("payments_return", args=[payment.order.number])
        if payment.status != Payment.Status.PENDING:
            return redirect(back_to_payment)
        if payment.session_id:
            try:
                gateway.expire_session(payment.session_id)
            except stripe.InvalidRequestError:  # already paid (or expired): the webhook tells which
                return redirect(back_to_payment)
            except stripe.StripeError as error:
                logger.warning("Stripe session %s not expired: %s", payment.session_id, gateway.describe(error))
                messages.error(request, _("Le service de paiement ne répond pas. Si vous ne payez pas, la commande "
                                          "sera annulée d'elle-même dans 30 minutes."))
                return redirect(back_to_payment)
        payments.abandon(payment, request)
        messages.info(request, _("Paiement annulé : rien n'a été débité. Vos articles sont dans votre panier."))
        return redirect("basket:summary")
