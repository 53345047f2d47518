"""What this plugin adds to the checkout, through the core's extension points:
home delivery by the volunteers' rounds, postal delivery, and each shop's choice of
methods (a shop may turn click & collect off)."""
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.utils.translation import gettext as _

from wagtail.models import Site

from oscar_apps.checkout.forms import is_french_postcode
from townmarket import extensions
from townmarket.sites import current_site

from . import clock
from .booking import book_stop, full_days
from .dates import date_label
from .models import DeliverySettings, ShopDelivery
from .rules import HORIZON_DAYS, delivery_dates, split_list

LOCAL = "local_delivery"
POSTAL = "postal"
CLICK_AND_COLLECT = "click_collect"  # the core's option code
DATES_OFFERED = 3
HELD_UNTIL_PAID = "payment_before_sending"  # in a postal ShopOrder's fulfilment_details


def method_of(code):
    """« local_delivery-2026-11-26 » → « local_delivery »."""
    return LOCAL if code.startswith(LOCAL) else code


@dataclass
class DeliveryState:
    """What every shop's options need, loaded once per checkout request."""

    settings: DeliverySettings
    now: object
    town_id: int = None
    shops: dict = field(default_factory=dict)
    _full_days: set = None

    def shop(self, partner):
        if partner.pk not in self.shops:
            self.shops[partner.pk] = (ShopDelivery.objects.filter(partner=partner).first()
                                      or ShopDelivery(partner=partner))
        return self.shops[partner.pk]

    def is_full(self, day):
        if self._full_days is None:
            self._full_days = full_days(self.town_id, self.settings.round_capacity, self.now.date(), HORIZON_DAYS)
        return day in self._full_days


def rules_of(request, town_id):
    """The delivery rules of the town `town_id`: read once per request when it is the
    request's own town (the storefront's checkout), else that town's (a phone order taken
    in the back office, whatever host it is served on)."""
    here = current_site(request)
    if here is not None and here.pk == town_id:
        return DeliverySettings.for_town(request)
    town = Site.objects.filter(pk=town_id).first()
    return DeliverySettings.for_town(request=request if town is None else None, site=town)


def state_of(checkout, partner):
    """What the options need, per town of the shops (the basket's shops are one town's)."""
    states = checkout.extra.setdefault("local_delivery", {})
    if partner.town_id not in states:
        states[partner.town_id] = DeliveryState(rules_of(checkout.request, partner.town_id), clock.now(),
                                                town_id=partner.town_id)
    return states[partner.town_id]


def subtotal_of(lines):
    return sum((line.line_price_incl_tax_incl_discounts for line in lines), Decimal("0.00"))


def is_food_shop(partner):
    shop_page = getattr(partner, "shop_page", None)
    return bool(shop_page and shop_page.kind_id and shop_page.kind.is_food)


@extensions.register(extensions.FULFILMENT_OPTIONS, order=10)
def delivery_options(partner, lines, checkout):
    state = state_of(checkout, partner)
    shop = state.shop(partner)
    options = []
    if shop.local_delivery and state.settings.zone.configured:
        options.extend(local_delivery_options(partner, lines, checkout, state, shop))
    if shop.postal:
        options.append(postal_option(checkout, state, shop))
    return options


def zone_label(settings):
    return ", ".join(split_list(settings.zone_communes) or split_list(settings.zone_postcodes))


def local_delivery_options(partner, lines, checkout, state, shop):
    settings = state.settings
    title = _("Livraison à domicile par les bénévoles")
    postcode, city = checkout.delivery_postcode, checkout.delivery_city
    # A malformed postcode is the address form's to report; only a real one is out of zone.
    out_of_zone = is_french_postcode(postcode) and not settings.zone.covers(postcode, city)
    zone_reason = _("Votre adresse (%(where)s) est hors de la zone de livraison à domicile (%(zone)s). "
                    "Choisissez le retrait en magasin ou un autre mode.") % {
        "where": f"{postcode} {city}".strip(), "zone": zone_label(settings)}
    calendar = settings.round_calendar(is_food_shop(partner), shop.preparation_days)
    # Full rounds before the last date offered stay listed, greyed out, so a customer
    # who had picked one sees why it is gone.
    days = delivery_dates(state.now, calendar, count=DATES_OFFERED * 4)
    free = [day for day in days if not state.is_full(day)][:DATES_OFFERED]
    if not free:
        return [extensions.FulfilmentOption(
            code=LOCAL, label=title, needs_delivery_address=True, available=False,
            unavailable_reason=zone_reason if out_of_zone else _(
                "Aucune tournée n'a de place dans les prochaines semaines."))]

    def unavailable_reason(day):
        if out_of_zone:
            return zone_reason
        return "" if day in free else _("La tournée du %(date)s est complète.") % {"date": date_label(day)}

    fee = settings.local_fee_for(subtotal_of(lines))
    description = _("Par les bénévoles du marché, dans la zone : %(zone)s.") % {"zone": zone_label(settings)}
    return [
        extensions.FulfilmentOption(
            code=f"{LOCAL}-{day.isoformat()}",
            label=_("Livraison à domicile %(date)s") % {"date": date_label(day)},
            fee=fee,
            description=description,
            details={"date": day.isoformat()},
            needs_delivery_address=True,
            available=not unavailable_reason(day),
            unavailable_reason=unavailable_reason(day),
            reserve=partial(book_stop, day=day, capacity=settings.round_capacity),
            lock_key=f"round-day:{state.town_id}:{day.isoformat()}",
        )
        for day in days if day <= free[-1]
    ]


def postal_option(checkout, state, shop):
    settings = state.settings
    title = _("Envoi par La Poste")
    postcode = checkout.delivery_postcode
    if postcode and not is_french_postcode(postcode):
        return extensions.FulfilmentOption(
            code=POSTAL, label=title, needs_delivery_address=True, available=False,
            unavailable_reason=_("La Poste livre ici les adresses en France seulement."))
    days = delivery_dates(state.now, settings.postal_calendar(shop.preparation_days))
    if not days:
        return extensions.FulfilmentOption(code=POSTAL, label=title, needs_delivery_address=True, available=False,
                                           unavailable_reason=_("Aucun jour de distribution n'est prévu."))
    when = date_label(days[0])
    # Nobody collects at the door of a parcel: paid online, unless the shop takes a
    # cheque or a transfer first (the parcel then waits for it: HELD_UNTIL_PAID).
    details = {"date": days[0].isoformat()}
    description = _("Partout en France. Le commerçant prépare le colis, le facteur le livre.")
    if shop.payment_before_sending:
        details[HELD_UNTIL_PAID] = True
        description += " " + _("Payable en ligne, ou au commerçant par chèque ou virement : le colis part une fois "
                               "le paiement reçu.")
    else:
        description += " " + _("Paiement en ligne uniquement.")
    return extensions.FulfilmentOption(
        code=POSTAL,
        label=_("Envoi par La Poste, livraison prévue %(date)s") % {"date": when},
        fee=settings.postal_fee,
        description=description,
        details=details,
        needs_delivery_address=True,
        online_payment_only=not shop.payment_before_sending,
    )


@extensions.register(extensions.FULFILMENT_FILTERS)
def offered_by_shop(partner, options, checkout):
    """Drop what the shop does not offer; a shop left with nothing keeps click & collect."""
    shop = state_of(checkout, partner).shop(partner)
    kept = [option for option in options if shop.offers(method_of(option.code))]
    return kept or [option for option in options if option.code == CLICK_AND_COLLECT]
