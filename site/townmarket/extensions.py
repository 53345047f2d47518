"""The marketplace's extension points.

The core calls these hooks; plugins (Django apps in plugins/) register functions for
them from their AppConfig.ready(), with `@register(NAME, order=0)`. The core never
imports a plugin, so removing a plugin from INSTALLED_APPS simply removes its
registrations.

Every hook's signature and meaning, the signals a plugin may receive (Oscar's
order_placed and post_checkout, townmarket.signals' shop_order_status_changed,
order_paid and demo_town_loaded) and what a plugin may import from the core are in ONE
place: plugins/README.md, "Hooks reference" (tests/unit/test_plugin_guide.py fails when
a hook defined here is missing there). Hooks: FULFILMENT_OPTIONS, FULFILMENT_FILTERS,
PAYMENT_METHODS, BASKET_ADJUSTMENTS, CHECKOUT_PANELS, LINE_PRICES, LINE_DESCRIPTIONS,
PRODUCT_PURCHASE, PRODUCT_CHOICES, SHOP_ORDER_PANELS, PUBLIC_URLS, FLYER_SECTIONS,
REPORT_FIGURES, PERSONAL_DATA, ERASE_PERSONAL_DATA, PURGE_PERSONAL_DATA.
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
PRODUCT_CHOICES = "product_choices"
LINE_DESCRIPTIONS = "line_descriptions"
FLYER_SECTIONS = "flyer_sections"
REPORT_FIGURES = "report_figures"
PERSONAL_DATA = "personal_data"
ERASE_PERSONAL_DATA = "erase_personal_data"
PURGE_PERSONAL_DATA = "purge_personal_data"

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
    # Paid online only (a parcel sent by post: nobody collects at the door): the
    # checkout refuses it with a payment method that does not `awaits_payment`.
    online_payment_only: bool = False


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
    # For an order placed by someone other than the payer (taken by phone): called as
    # payment_link(order, request) once it is placed « en attente de paiement », it
    # returns the absolute URL where the customer pays it, e-mailed to them. Without
    # it, such an order cannot be paid this way.
    payment_link: Optional[Callable[[Any, Any], str]] = None


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


@dataclass(frozen=True)
class FlyerSection:
    """A line of the paper flyer (FLYER_SECTIONS), printed « title : text »."""

    title: str
    text: str


@dataclass(frozen=True)
class ProductChoice:
    """A product bought only through its page's own form (PRODUCT_PURCHASE: a gift card's
    amount and recipient). Product cards show a link `label` to `url` instead of
    « Ajouter au panier » (and `price_label`, if any, instead of the stock record's
    price); the ordinary add-to-basket form refuses it with `refusal`."""

    label: str
    url: str
    refusal: str
    price_label: str = ""


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


def flyer_sections(request):
    sections = []
    for fn in get_hooks(FLYER_SECTIONS):
        sections.extend(fn(request) or [])
    return sections


@dataclass(frozen=True)
class ReportFigure:
    """A line of the partners' report (REPORT_FIGURES): a count (int) or an amount
    (Decimal, in euros), never anything about a person."""

    label: str
    value: Any


def report_figures(start, end, partners):
    """REPORT_FIGURES' lines for the days [start, end] and the shops `partners`."""
    figures = []
    for fn in get_hooks(REPORT_FIGURES):
        figures.extend(fn(start, end, partners) or [])
    return figures


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


def product_choice(request, product):
    """The first PRODUCT_CHOICES answer for `product`, or None (an ordinary product).
    `request` is None when asked by the add-to-basket form."""
    for fn in get_hooks(PRODUCT_CHOICES):
        choice = fn(request, product)
        if choice is not None:
            return choice
    return None


def line_description(line):
    """How a basket or order line reads, from the first LINE_DESCRIPTIONS hook that
    knows it; None: Oscar's own (the title and the options)."""
    for fn in get_hooks(LINE_DESCRIPTIONS):
        text = fn(line)
        if text:
            return text
    return None


def public_urls():
    patterns = []
    for fn in get_hooks(PUBLIC_URLS):
        patterns.extend(fn() or [])
    return patterns


@dataclass(frozen=True)
class DataSubject:
    """Whose personal data is exported or erased (townmarket.personal_data): a customer's
    account (`user`), or a guest the association found by e-mail or phone (`user` None).
    `orders` is a queryset of their Oscar orders; `emails` (lower case) and `phones`
    (E.164) are every address and number known for them."""

    user: Any
    orders: Any
    emails: frozenset = frozenset()
    phones: frozenset = frozenset()


@dataclass(frozen=True)
class DataSection:
    """A part of a person's data export (PERSONAL_DATA): `items` is a list of dicts whose
    keys are French labels and whose values are text, numbers, lists or dicts of the same."""

    key: str
    title: str
    items: list
    # What an erasure leaves of it, shown before the customer confirms (« the card stays usable »).
    erasure_note: str = ""


class ErasureRefused(Exception):
    """Raised by an ERASE_PERSONAL_DATA hook that cannot erase yet: nothing is erased and
    the person reads `message` (say when it will be possible)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def personal_data(subject):
    """PERSONAL_DATA's sections for `subject`, in the hooks' order."""
    sections = []
    for fn in get_hooks(PERSONAL_DATA):
        sections.extend(fn(subject) or [])
    return sections


def erase_personal_data(subject):
    for fn in get_hooks(ERASE_PERSONAL_DATA):
        fn(subject)


def purge_personal_data(now):
    """PURGE_PERSONAL_DATA's report lines (what each plugin deleted) for a purge run at `now`."""
    lines = []
    for fn in get_hooks(PURGE_PERSONAL_DATA):
        lines.extend(fn(now) or [])
    return lines
