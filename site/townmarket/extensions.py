"""The marketplace's extension points.

The core calls these hooks; plugins (Django apps in plugins/) register functions for
them from their AppConfig.ready(). The core never imports a plugin, so removing a
plugin from INSTALLED_APPS simply removes its registrations.

Hook names and signatures (also in README, "Architecture"):

FULFILMENT_OPTIONS
    fn(partner, lines, checkout) -> Iterable[FulfilmentOption]
    How one shop's lines can reach the customer (click & collect, delivery...).
    `lines` are that shop's basket lines; `checkout` is a CheckoutContext.
    An option's `reserve(shop_order, checkout)` runs inside the order's transaction
    and may raise CheckoutRefused to cancel the whole order (a full delivery round).

FULFILMENT_FILTERS
    fn(partner, options, checkout) -> Iterable[FulfilmentOption]
    Narrows the options gathered for one shop (a shop that does not offer click &
    collect). Filters run in order, each on the previous one's result.

PAYMENT_METHODS
    fn(basket, checkout) -> Iterable[PaymentMethod]
    Ways to pay for the whole basket. A method with `awaits_payment=True` (online
    payment) places the order « En attente de paiement »: the basket is frozen, shops
    and customer are told only once the plugin calls
    `oscar_apps.checkout.awaiting_payment.confirm(order)`; `abandon(order, request)`
    cancels it and gives the basket back.

BASKET_ADJUSTMENTS
    fn(basket, checkout) -> Iterable[Adjustment]
    Amounts already paid for when the order is placed (a gift card used as part
    payment), each split by shop in `shares`. Its `apply(order, shop_orders, checkout)`
    runs inside the order's transaction (spend the card; raise CheckoutRefused if it
    can no longer pay); each ShopOrder's `prepaid` then holds its share, and the
    payment methods ask only for the rest (`ShopOrder.amount_due`).

CHECKOUT_PANELS
    fn(request, basket) -> Iterable[Panel]
    Sections shown above the checkout form, each with its own form (« Vous avez une
    carte cadeau ? »).

LINE_PRICES
    fn(line) -> Decimal | None
    The tax-inclusive unit price of a basket line whose price depends on its options
    (a gift card of a chosen amount); None leaves the stock record's price.

PRODUCT_PURCHASE
    fn(request, product, stockrecord) -> Panel | None
    Replaces the « Ajouter au panier » form of a product page (a gift card asks for
    an amount and a recipient). The first hook returning a Panel wins.

SHOP_ORDER_PANELS
    fn(request, shop_order) -> Iterable[Panel]
    Extra sections on the back office's page of one shop's order (its payment,
    refunds). A Panel is rendered with its template, its context and the request.

PUBLIC_URLS
    fn() -> list of URL patterns
    Mounted at the site's root, before Wagtail's pages (a payment provider's
    webhook and return pages).

Order events are Django signals: Oscar's `order.signals.order_placed(order, user)`
and `townmarket.signals.shop_order_status_changed(shop_order, old, new, user)`.
Back-office menu entries use Wagtail's own `register_admin_menu_item` hook.
"""
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Optional

FULFILMENT_OPTIONS = "fulfilment_options"
FULFILMENT_FILTERS = "fulfilment_filters"
PAYMENT_METHODS = "payment_methods"
BASKET_ADJUSTMENTS = "basket_adjustments"
SHOP_ORDER_PANELS = "shop_order_panels"
PUBLIC_URLS = "public_urls"
CHECKOUT_PANELS = "checkout_panels"
LINE_PRICES = "line_prices"
PRODUCT_PURCHASE = "product_purchase"

_hooks = defaultdict(list)


def register(hook_name, fn=None, order=0):
    """Register `fn` for `hook_name`; usable as a decorator: @register(NAME)."""
    if fn is None:
        def decorator(func):
            register(hook_name, func, order)
            return func
        return decorator
    entry = (order, fn)
    if entry not in _hooks[hook_name]:
        _hooks[hook_name].append(entry)
    return fn


def get_hooks(hook_name):
    return [fn for _, fn in sorted(_hooks[hook_name], key=lambda item: item[0])]


@contextmanager
def register_temporarily(hook_name, fn, order=0):
    """For tests: register `fn` for the duration of a with-block."""
    register(hook_name, fn, order)
    try:
        yield
    finally:
        _hooks[hook_name].remove((order, fn))


@dataclass(frozen=True)
class FulfilmentOption:
    code: str
    label: str
    fee: Decimal = Decimal("0.00")
    description: str = ""
    # Stored on the ShopOrder and shown to merchant and customer (address, date...).
    details: dict = field(default_factory=dict)
    needs_delivery_address: bool = False
    available: bool = True
    unavailable_reason: str = ""
    # Called as reserve(shop_order, checkout) inside the order's transaction, to book
    # a limited resource (a place in a delivery round). Raise CheckoutRefused to refuse.
    reserve: Optional[Callable[[Any, "CheckoutContext"], None]] = None
    # What reserve() locks (e.g. "round-day:2026-11-24"): every checkout books its
    # reservations sorted by this key, so two checkouts never wait on each other crosswise.
    lock_key: str = ""


class CheckoutRefused(Exception):
    """Raised by a hook while the order is being placed: the order is rolled back and
    the customer sees `message` on the checkout page, with the options computed afresh."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: str
    description: str = ""
    # Called once the order is placed (inside no transaction). Return an
    # HttpResponse to send the customer elsewhere (a payment page), or None to show
    # the confirmation page straight away.
    start: Optional[Callable[[Any, Any], Any]] = None
    # Oscar order status to place the order with (None: the initial status).
    initial_status: Optional[str] = None
    # True for a payment made after placing the order (online): see PAYMENT_METHODS.
    awaits_payment: bool = False


@dataclass(frozen=True)
class Adjustment:
    code: str
    label: str
    amount: Decimal  # positive amount taken off the total to pay
    # The means of payment, recorded as the order's Oscar payment Source (« Carte cadeau »).
    means: str = ""
    # {partner_id: part of `amount`} : which shops' parts it pays for.
    shares: dict = field(default_factory=dict)
    # Called as apply(order, shop_orders_by_partner_id, checkout) inside the order's
    # transaction; raise CheckoutRefused to refuse the order.
    apply: Optional[Callable[[Any, dict, "CheckoutContext"], None]] = None


@dataclass(frozen=True)
class Panel:
    title: str
    template_name: str
    context: dict = field(default_factory=dict)


@dataclass
class CheckoutContext:
    request: Any
    basket: Any
    # The delivery address typed so far (on a submitted form), so options can depend on it.
    delivery_postcode: str = ""
    delivery_city: str = ""
    extra: dict = field(default_factory=dict)
    # BASKET_ADJUSTMENTS' answers, gathered once per request by the checkout.
    adjustments: list = field(default_factory=list)

    @property
    def prepaid(self):
        return sum((adjustment.amount for adjustment in self.adjustments), Decimal("0.00"))


def fulfilment_options(partner, lines, checkout):
    options = []
    for fn in get_hooks(FULFILMENT_OPTIONS):
        options.extend(fn(partner, lines, checkout) or [])
    for fn in get_hooks(FULFILMENT_FILTERS):
        options = list(fn(partner, options, checkout))
    return options


def payment_methods(basket, checkout):
    methods = []
    for fn in get_hooks(PAYMENT_METHODS):
        methods.extend(fn(basket, checkout) or [])
    return methods


def basket_adjustments(basket, checkout):
    adjustments = []
    for fn in get_hooks(BASKET_ADJUSTMENTS):
        adjustments.extend(fn(basket, checkout) or [])
    return adjustments


def shop_order_panels(request, shop_order):
    panels = []
    for fn in get_hooks(SHOP_ORDER_PANELS):
        panels.extend(fn(request, shop_order) or [])
    return panels


def checkout_panels(request, basket):
    panels = []
    for fn in get_hooks(CHECKOUT_PANELS):
        panels.extend(fn(request, basket) or [])
    return panels


def line_price(line):
    for fn in get_hooks(LINE_PRICES):
        price = fn(line)
        if price is not None:
            return price
    return None


def product_purchase(request, product, stockrecord):
    for fn in get_hooks(PRODUCT_PURCHASE):
        panel = fn(request, product, stockrecord)
        if panel is not None:
            return panel
    return None


def public_urls():
    patterns = []
    for fn in get_hooks(PUBLIC_URLS):
        patterns.extend(fn() or [])
    return patterns
