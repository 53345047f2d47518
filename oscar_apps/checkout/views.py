"""One-page checkout for a basket spanning several shops.

Data flow: basket lines grouped by shop → each shop offers fulfilment options
(extension point FULFILMENT_OPTIONS) → the customer picks one per shop and a payment
method (PAYMENT_METHODS) → one Oscar order is placed in a single transaction, with a
ShopOrder per shop and stock allocated by conditional updates → e-mails to the
customer and to each shop → the payment method may redirect (online payment) or the
confirmation page is shown.
"""
import logging
from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView
from oscar.apps.checkout.views import ThankYouView as CoreThankYouView
from oscar.apps.checkout.mixins import OrderPlacementMixin
from oscar.core import prices
from oscar.core.loading import get_class, get_model

from oscar_apps.basket.grouping import group_lines_by_shop
from oscar_apps.order.notifications import notify_shops
from oscar_apps.order.parts import shop_parts
from oscar_apps.partner.models import InsufficientStock
from townmarket import extensions

from .forms import CheckoutForm

logger = logging.getLogger(__name__)
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
ShippingBase = get_class("shipping.methods", "Base")
ShopOrder = get_model("order", "ShopOrder")


class MarketplaceFulfilment(ShippingBase):
    """The order's 'shipping method' for Oscar: the sum of each shop's fulfilment fee."""

    code = "marketplace"
    name = "Retrait ou livraison par commerce"

    def __init__(self, fee):
        self.fee = fee

    def calculate(self, basket):
        return prices.Price(currency=basket.currency, excl_tax=self.fee, tax=Decimal("0.00"))


class IndexView(OrderPlacementMixin, FormView):
    template_name = "oscar/checkout/checkout.html"
    form_class = CheckoutForm
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid"]

    # -- building the form -----------------------------------------------------------
    def get_checkout_context(self):
        """One context per request, shared by every hook (plugins may keep state in `extra`)."""
        if not hasattr(self, "_checkout_context"):
            self._checkout_context = extensions.CheckoutContext(request=self.request, basket=self.request.basket)
        return self._checkout_context

    def get_shop_groups(self):
        if not hasattr(self, "_shop_groups"):
            checkout = self.get_checkout_context()
            groups = group_lines_by_shop(self.request.basket.all_lines())
            for group in groups:
                group.options = extensions.fulfilment_options(group.partner, group.lines, checkout)
            self._shop_groups = groups
        return self._shop_groups

    def get_payment_methods(self):
        if not hasattr(self, "_payment_methods"):
            self._payment_methods = extensions.payment_methods(self.request.basket, self.get_checkout_context())
        return self._payment_methods

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(shop_groups=self.get_shop_groups(), payment_methods=self.get_payment_methods())
        return kwargs

    def get_initial(self):
        user = self.request.user
        if user.is_authenticated:
            return {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
        return {}

    def chosen_options(self, form):
        """{partner_id: FulfilmentOption} for the options picked in a valid form."""
        chosen = {}
        for group in self.get_shop_groups():
            code = form.cleaned_data[group.field_name]
            chosen[group.partner.pk] = next(o for o in group.options if o.code == code and o.available)
        return chosen

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        basket = self.request.basket
        groups = self.get_shop_groups()
        form = context["form"]
        for group in groups:
            group.field = form[group.field_name]
        fees = sum((min((o.fee for o in g.options if o.available), default=Decimal("0")) for g in groups),
                   Decimal("0.00"))
        adjustments = extensions.basket_adjustments(basket, self.get_checkout_context())
        total = basket.total_incl_tax + fees
        context.update(
            shop_groups=groups,
            basket=basket,
            fees=fees,
            adjustments=adjustments,
            amount_due=max(total - sum((a.amount for a in adjustments), Decimal("0.00")), Decimal("0.00")),
        )
        return context

    # -- placing the order ------------------------------------------------------------
    def form_valid(self, form):
        basket = self.request.basket
        chosen = self.chosen_options(form)
        payment = next(m for m in self.get_payment_methods() if m.code == form.cleaned_data["payment_method"])
        fee = sum((option.fee for option in chosen.values()), Decimal("0.00"))
        shipping_method = MarketplaceFulfilment(fee)
        shipping_charge = shipping_method.calculate(basket)
        order_total = OrderTotalCalculator(self.request).calculate(basket, shipping_charge)
        user = self.request.user
        data = form.cleaned_data
        extra = {
            "customer_name": f"{data['first_name']} {data['last_name']}".strip(),
            "customer_phone": data["phone"],
        }
        if not user.is_authenticated:
            extra["guest_email"] = data["email"]
        if payment.initial_status:
            extra["status"] = payment.initial_status
        try:
            with transaction.atomic():
                order = self.place_order(
                    order_number=self.generate_order_number(basket),
                    user=user,
                    basket=basket,
                    shipping_address=None,
                    shipping_method=shipping_method,
                    shipping_charge=shipping_charge,
                    order_total=order_total,
                    **extra,
                )
                self.create_shop_orders(order, chosen)
                basket.submit()
        except InsufficientStock as exc:
            product = exc.stockrecord.product
            messages.error(
                self.request,
                _("Il ne reste plus assez de « %(product)s » en stock. Modifiez la quantité dans votre panier.")
                % {"product": product.get_title()},
            )
            return redirect("basket:summary")
        notify_shops(order)
        response = self.handle_successful_order(order)
        if payment.start is not None:
            return payment.start(self.request, order) or response
        return response

    def get_message_context(self, order):
        context = super().get_message_context(order)
        context["shop_parts"] = shop_parts(order)
        return context

    def send_order_placed_email(self, order):
        try:
            super().send_order_placed_email(order)
        except Exception:  # the order is placed and shown; a mail outage is logged, not shown as an error
            logger.exception("Could not send the confirmation e-mail for order %s", order.number)

    def create_shop_orders(self, order, chosen):
        for group in self.get_shop_groups():
            option = chosen[group.partner.pk]
            ShopOrder.objects.create(
                order=order,
                partner=group.partner,
                fulfilment_code=option.code,
                fulfilment_label=str(option.label),
                fulfilment_details=option.details,
                fulfilment_fee=option.fee,
                subtotal=group.subtotal,
            )


class ThankYouView(CoreThankYouView):
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        order = context.get("order")
        if order is not None:
            context["shop_parts"] = shop_parts(order)
        return context
