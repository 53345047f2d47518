"""One-page checkout for a basket spanning several shops.

Data flow: basket lines grouped by shop → each shop offers fulfilment options
(extension point FULFILMENT_OPTIONS) → the customer picks one per shop and a payment
method (PAYMENT_METHODS) → one Oscar order is placed in a single transaction, with a
ShopOrder per shop and stock allocated by conditional updates → e-mails to the
customer and to each shop → the payment method may redirect (online payment) or the
confirmation page is shown.
"""
import dataclasses
import logging
from decimal import Decimal

from django.contrib import messages
from django.db import OperationalError, transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView
from oscar.apps.checkout.views import ThankYouView as CoreThankYouView
from oscar.apps.checkout.mixins import OrderPlacementMixin
from oscar.core import prices
from oscar.core.loading import get_class, get_model

from oscar_apps.basket.grouping import group_lines_by_shop
from oscar_apps.catalogue.alcohol import lines_with_alcohol
from oscar_apps.order import tracking
from oscar_apps.order.parts import shop_parts
from oscar_apps.partner.models import InsufficientStock
from townmarket import extensions, legal
from townmarket.sites import current_site
from townmarket.signals import order_confirmed
from townmarket.text import is_row_id

from . import awaiting_payment, shown_amounts
from .confirmation import queue_order_emails
from .forms import CheckoutForm, normalise_postcode

OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingBase = get_class("shipping.methods", "Base")
ShopOrder = get_model("order", "ShopOrder")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
StockRecord = get_model("partner", "StockRecord")
logger = logging.getLogger(__name__)


class MarketplaceFulfilment(ShippingBase):
    """The order's 'shipping method' for Oscar: the sum of each shop's fulfilment fee."""

    code = "marketplace"
    name = "Retrait ou livraison, par commerce"

    def __init__(self, fee):
        self.fee = fee

    def calculate(self, basket):
        return prices.Price(currency=basket.currency, excl_tax=self.fee, tax=Decimal("0.00"))


PLACING_ATTEMPTS = 3
TRANSIENT_SQLSTATES = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure


def is_transient(error):
    """A conflict that the same transaction, run again, will probably not meet."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in TRANSIENT_SQLSTATES:
        return True
    text = str(error).lower()
    return "deadlock" in text or "could not serialize" in text or "database is locked" in text


class AlreadyPlaced(Exception):
    """The basket was submitted meanwhile: a second click on « Valider la commande »."""


class IndexView(OrderPlacementMixin, FormView):
    template_name = "oscar/checkout/checkout.html"
    form_class = CheckoutForm
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid"]

    # -- building the form -----------------------------------------------------------
    @property
    def basket(self):
        """The basket being ordered: the visitor's own (an order taken by phone has its own)."""
        return self.request.basket

    def get_checkout_context(self):
        """One context per request, shared by every hook (plugins may keep state in `extra`)."""
        if not hasattr(self, "_checkout_context"):
            data = self.request.POST
            self._checkout_context = extensions.CheckoutContext(
                request=self.request, basket=self.basket,
                delivery_postcode=normalise_postcode(data.get("delivery_postcode", ""))[:10],
                delivery_city=data.get("delivery_city", "").strip()[:100],
            )
            self._checkout_context.adjustments = self.get_adjustments(self._checkout_context)
        return self._checkout_context

    def get_adjustments(self, checkout):
        return extensions.basket_adjustments(self.basket, checkout)

    def get_shop_groups(self):
        if not hasattr(self, "_shop_groups"):
            checkout = self.get_checkout_context()
            groups = group_lines_by_shop(self.basket.all_lines())
            paid_online = any(method.awaits_payment for method in self.get_payment_methods())
            for group in groups:
                options = extensions.fulfilment_options(group.partner, group.lines, checkout)
                group.options = options if paid_online else [self.without_online_payment(o, group) for o in options]
            self._shop_groups = groups
        return self._shop_groups

    @staticmethod
    def without_online_payment(option, group):
        """No way to pay online here: an option paid online only is shown, greyed out, with why."""
        if not option.online_payment_only or not option.available:
            return option
        return dataclasses.replace(option, available=False, unavailable_reason=_(
            "Se paie en ligne uniquement, et le paiement en ligne n'est pas proposé : choisissez un autre mode "
            "pour %(shop)s.") % {"shop": group.partner.name})

    def get_payment_methods(self):
        if not hasattr(self, "_payment_methods"):
            self._payment_methods = extensions.payment_methods(self.basket, self.get_checkout_context())
        return self._payment_methods

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(shop_groups=self.get_shop_groups(), payment_methods=self.get_payment_methods(),
                      ask_adult=self.basket_has_alcohol())
        return kwargs

    def basket_has_alcohol(self):
        if not hasattr(self, "_has_alcohol"):
            self._has_alcohol = bool(lines_with_alcohol(self.basket.all_lines()))
        return self._has_alcohol

    def get_initial(self):
        """A signed-in customer finds their name, e-mail, phone and address filled in:
        from the account, its default (else last used) address, else its last order."""
        user = self.request.user
        if not user.is_authenticated:
            return {}
        initial = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
        address = (user.addresses.filter(country__iso_3166_1_a2="FR")
                   .order_by("-is_default_for_shipping", "-num_orders_as_shipping_address", "-pk").first())
        last_order = Order.objects.filter(user=user).order_by("-date_placed").first()
        if address is not None:
            initial.update(delivery_line1=address.line1, delivery_line2=address.line2,
                           delivery_postcode=address.postcode, delivery_city=address.line4)
            initial["first_name"] = initial["first_name"] or address.first_name
            initial["last_name"] = initial["last_name"] or address.last_name
        phone = (address.phone_number if address is not None else None) or (
            last_order.customer_phone if last_order is not None else None)
        if phone:
            initial["phone"] = phone.as_national if hasattr(phone, "as_national") else phone
        if last_order is not None and last_order.customer_name and not (initial["first_name"] or initial["last_name"]):
            first, _space, last = last_order.customer_name.partition(" ")
            initial.update(first_name=first, last_name=last)
        return initial

    def forget_options(self):
        """After a refused order (a round filled up meanwhile): ask the hooks afresh."""
        for name in ("_shop_groups", "_payment_methods", "_checkout_context"):
            self.__dict__.pop(name, None)

    @staticmethod
    def fee_of(group, form):
        """The fee of the option picked for this shop, or of its cheapest available one."""
        code = form[group.field_name].value()
        picked = next((o for o in group.options if o.code == code and o.available), None)
        if picked is not None:
            return picked.fee
        return min((o.fee for o in group.options if o.available), default=Decimal("0.00"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        basket = self.basket
        groups = self.get_shop_groups()
        form = context["form"]
        for group in groups:
            group.field = form[group.field_name]
            group.fee = self.fee_of(group, form)
        fees = sum((group.fee for group in groups), Decimal("0.00"))
        checkout = self.get_checkout_context()
        total = basket.total_incl_tax + fees
        context.update(
            shop_groups=groups,
            # The address fieldset shows only when some option brings the order to an address.
            offers_delivery=any(option.needs_delivery_address for group in groups for option in group.options),
            payment_choices=list(zip(form["payment_method"], self.get_payment_methods())),
            basket=basket,
            fees=fees,
            adjustments=checkout.adjustments,
            prepaid=checkout.prepaid,
            amount_due=max(total - checkout.prepaid, Decimal("0.00")),
            checkout_panels=[render_to_string(panel.template_name, panel.context, request=self.request)
                             for panel in extensions.checkout_panels(self.request, basket)],
            shown_amounts=shown_amounts.encode(self.amounts_now()),
            terms_url=legal.terms_url(self.request),
        )
        return context

    def amounts_now(self):
        """What the page shows the customer will pay: each shop's articles, each
        option's fee, each part payment (shown_amounts.py)."""
        return shown_amounts.amounts(self.get_shop_groups(), self.get_checkout_context().adjustments)

    def dispatch(self, request, *args, **kwargs):
        # A second « Valider la commande » of a basket already ordered: its confirmation.
        placed = self.order_of_basket(request.POST.get("basket")) if request.method == "POST" else None
        if placed is not None:
            return self.show_placed(placed)
        return super().dispatch(request, *args, **kwargs)

    def order_of_basket(self, basket_id):
        """The order placed from this basket, if this visitor placed it."""
        if not is_row_id(basket_id):
            return None
        order = Order.objects.filter(basket_id=int(basket_id)).first()
        user = self.request.user
        if order is None or not (self.request.session.get("checkout_order_id") == order.pk
                                 or (user.is_authenticated and order.user_id == user.pk)):
            return None
        return order

    def show_placed(self, order):
        self.request.session["checkout_order_id"] = order.pk
        return redirect("checkout:thank-you")

    def post(self, request, *args, **kwargs):
        if "refresh" in request.POST:
            return self.refresh_options()
        return super().post(request, *args, **kwargs)

    def refresh_options(self):
        """« Voir les livraisons possibles à cette adresse »: the options computed again
        for the address typed, the form shown as typed but not judged yet."""
        kwargs = {k: v for k, v in self.get_form_kwargs().items() if k not in ("data", "files")}
        kwargs["initial"] = {key: self.request.POST.get(key) for key in self.request.POST if key != "csrfmiddlewaretoken"}
        return self.render_to_response(self.get_context_data(form=self.get_form_class()(**kwargs)))

    # -- placing the order ------------------------------------------------------------
    def form_valid(self, form):
        changes = shown_amounts.changes(self.request.POST.get("shown_amounts"), self.amounts_now(),
                                        self.get_shop_groups(), self.get_checkout_context().adjustments)
        if changes is not None:
            return self.refused(extensions.CheckoutRefused(changes))
        basket = self.basket
        chosen = form.chosen_options()
        payment = next(m for m in self.get_payment_methods() if m.code == form.cleaned_data["payment_method"])
        fee = sum((option.fee for option in chosen.values()), Decimal("0.00"))
        shipping_method = MarketplaceFulfilment(fee)
        shipping_charge = shipping_method.calculate(basket)
        order_total = OrderTotalCalculator(self.request).calculate(basket, shipping_charge)
        extra = self.order_fields(form)
        if payment.awaits_payment:
            extra["status"] = awaiting_payment.AWAITING_PAYMENT
        elif payment.initial_status:
            extra["status"] = payment.initial_status
        try:
            order = self.place_retrying(basket, form, chosen, payment, shipping_method, shipping_charge,
                                        order_total, extra)
        except AlreadyPlaced:  # the visitor's own basket: its order is theirs
            placed = Order.objects.filter(basket_id=basket.pk).first()
            return self.show_placed(placed) if placed else redirect(self.basket_url)
        except extensions.CheckoutRefused as refusal:
            return self.refused(refusal)
        except OperationalError:  # still conflicting after the retries: nothing was saved
            return self.refused(extensions.CheckoutRefused(_(
                "Beaucoup de commandes arrivent en même temps : la vôtre n'a pas pu être enregistrée, "
                "votre panier est intact. Réessayez dans un instant.")))
        except InsufficientStock as exc:
            product = exc.stockrecord.product
            messages.error(
                self.request,
                _("Il ne reste plus assez de « %(product)s » en stock. Modifiez la quantité dans votre panier.")
                % {"product": product.get_title()},
            )
            return redirect(self.basket_url)
        return self.order_placed(order, payment)

    basket_url = "basket:summary"

    def order_fields(self, form):
        """The order's own fields beyond Oscar's: who ordered and how to call them back."""
        data = form.cleaned_data
        fields = {
            "customer_name": f"{data['first_name']} {data['last_name']}".strip(),
            "customer_phone": data["phone"],
            # The town whose site took the order (its e-mails, links and reports are that town's).
            "town_id": self.basket.town_id or current_site(self.request).pk,
        }
        if not self.request.user.is_authenticated:
            fields["guest_email"] = data["email"]
        now = timezone.now()
        if data.get("accept_terms"):  # the version the customer read (legal pages)
            fields.update(terms_version=legal.current_terms_version(current_site(self.request)),
                          terms_accepted_at=now)
        if data.get("adult_confirmed"):
            fields["adult_confirmed_at"] = now
        return fields

    def order_user(self):
        """Whose account the order joins (an anonymous visitor: none)."""
        return self.request.user

    def order_placed(self, order, payment):
        """The response once the order is committed: the payment page, or the confirmation."""
        response = self.handle_successful_order(order)
        if payment.start is not None:
            return payment.start(self.request, order) or response
        return response

    def place_retrying(self, basket, form, *args):
        """place_in_one_transaction(), tried again when the database gives up on a
        conflict between simultaneous checkouts (a deadlock, a serialization failure)."""
        for attempt in range(1, PLACING_ATTEMPTS + 1):
            try:
                return self.place_in_one_transaction(basket, form, *args)
            except OperationalError as error:
                if attempt == PLACING_ATTEMPTS or not is_transient(error):
                    raise
                logger.warning("Checkout of basket %s: %s; trying again", basket.pk, error)

    def place_in_one_transaction(self, basket, form, chosen, payment, shipping_method, shipping_charge,
                                 order_total, extra):
        """The order, its shop orders, reservations, part payments and e-mails, or nothing.
        Rows shared between checkouts are taken in one order everywhere: the basket, its
        stock records by id, reservations by lock_key, gift cards by id."""
        with transaction.atomic():
            # The basket's row, locked: two clicks at once place one order; the second
            # waits here, then finds the basket ordered.
            if not list(Basket.objects.select_for_update().filter(pk=basket.pk, status=Basket.OPEN)
                        .values_list("pk", flat=True)):
                raise AlreadyPlaced
            self.lock_stock(basket)
            order = self.place_order(
                order_number=self.generate_order_number(basket),
                user=self.order_user(),
                basket=basket,
                shipping_address=self.delivery_address(form),
                shipping_method=shipping_method,
                shipping_charge=shipping_charge,
                order_total=order_total,
                **extra,
            )
            shop_orders = self.create_shop_orders(order, chosen)
            self.apply_adjustments(order, shop_orders)
            if payment.awaits_payment:
                basket.freeze()  # given back if the payment is abandoned
            else:
                basket.submit()
            self.tell_about_order(order, payment)
            if not payment.awaits_payment:  # its invoices (townmarket.signals)
                order_confirmed.send(sender=Order, order=order, paid_online=False)
        return order

    def tell_about_order(self, order, payment):
        """The shops' and the customer's e-mails, recorded in the outbox with the order
        and rendered by the task worker (confirmation.queue_order_emails); when the
        payment is awaited, they are told once it is confirmed."""
        if not payment.awaits_payment:
            queue_order_emails(order)

    @staticmethod
    def lock_stock(basket):
        """Oscar allocates stock line by line, in the order products were added: lock the
        basket's stock records first, by id, so crossed baskets cannot deadlock."""
        ids = sorted({line.stockrecord_id for line in basket.all_lines() if line.stockrecord_id})
        list(StockRecord.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))

    def send_order_placed_email(self, order):
        """Oscar's handle_successful_order() sends nothing: form_valid() above, or the
        payment's confirmation, sends the e-mail when the order is really placed."""

    def refused(self, refusal):
        """Show the checkout again, as typed, with the options computed afresh."""
        self.forget_options()
        form = self.get_form()
        form.is_valid()
        form.add_error(None, refusal.message)
        return self.render_to_response(self.get_context_data(form=form))

    @staticmethod
    def delivery_address(form):
        """An unsaved Oscar ShippingAddress when a chosen option delivers, else None."""
        if not form.needs_delivery_address:
            return None
        data = form.cleaned_data
        france, _created = Country.objects.get_or_create(
            iso_3166_1_a2="FR",
            defaults={"iso_3166_1_a3": "FRA", "iso_3166_1_numeric": "250", "name": "France",
                      "printable_name": "France", "is_shipping_country": True},
        )
        return ShippingAddress(
            first_name=data["first_name"], last_name=data["last_name"], phone_number=data["phone"],
            line1=data["delivery_line1"], line2=data["delivery_line2"], line4=data["delivery_city"],
            postcode=data["delivery_postcode"], country=france, notes=data["delivery_notes"],
        )

    def create_shop_orders(self, order, chosen):
        """{partner_id: ShopOrder}, each shop's option reserved."""
        checkout = self.get_checkout_context()
        address = order.shipping_address
        shop_orders, reservations = {}, []
        for group in self.get_shop_groups():
            option = chosen[group.partner.pk]
            details = dict(option.details)
            if option.needs_delivery_address and address is not None:
                details["delivery_address"] = delivery_address_line(address)
            shop_order = ShopOrder.objects.create(
                order=order,
                partner=group.partner,
                fulfilment_code=option.code,
                fulfilment_label=str(option.label),
                fulfilment_details=details,
                fulfilment_fee=option.fee,
                subtotal=group.subtotal,
            )
            if option.reserve is not None:
                reservations.append((option.lock_key, group.partner.pk, option.reserve, shop_order))
            shop_orders[group.partner.pk] = shop_order
        # In one order for every checkout (see FulfilmentOption.lock_key): no deadlock.
        for _key, _partner, reserve, shop_order in sorted(reservations, key=lambda r: r[:2]):
            reserve(shop_order, checkout)
        return shop_orders

    def apply_adjustments(self, order, shop_orders):
        """Part payments made with the order (gift cards): each one spent by its hook,
        recorded as a payment Source, and its shares noted on the shops' parts."""
        checkout = self.get_checkout_context()
        for adjustment in checkout.adjustments:
            if adjustment.apply is not None:
                adjustment.apply(order, shop_orders, checkout)
            source_type, _created = SourceType.objects.get_or_create(name=adjustment.means or adjustment.label)
            Source.objects.create(order=order, source_type=source_type, currency=order.currency,
                                  amount_allocated=adjustment.amount, amount_debited=adjustment.amount,
                                  reference=adjustment.code)
            for partner_id, share in adjustment.shares.items():
                shop_order = shop_orders[partner_id]
                shop_order.prepaid += share
                ShopOrder.objects.filter(pk=shop_order.pk).update(prepaid=shop_order.prepaid)


def delivery_address_line(address):
    """« 12 rue des Tanneurs, Bât. B, 21130 Val-sur-Ouche »"""
    town = f"{address.postcode} {address.line4}".strip()
    return ", ".join(part for part in [address.line1, address.line2, town] if part)


class ThankYouView(CoreThankYouView):
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        order = context.get("order")
        if order is not None:
            context["shop_parts"] = shop_parts(order)
            context["tracking_path"] = tracking.path_for(order)  # the e-mail's link: no login needed
            context["sources"] = sources = list(order.sources.select_related("source_type"))
            paid = sum((source.amount_debited for source in sources), Decimal("0.00"))
            context["left_to_pay"] = max(order.total_incl_tax - paid, Decimal("0.00"))
        return context
