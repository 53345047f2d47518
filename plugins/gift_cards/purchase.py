"""Buying a gift card: its product page asks for the amount and the recipient
(PRODUCT_PURCHASE), listings lead there and the ordinary add-to-basket refuses it
(PRODUCT_CHOICES), the basket line is priced at the amount chosen (LINE_PRICES) and
reads « Carte cadeau de 30,00 € pour Paul Ami, envoyée le 1er décembre »
(LINE_DESCRIPTIONS), and a shop part made only of gift cards needs no delivery
(FULFILMENT_FILTERS)."""
import datetime
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from oscar.core.loading import get_model

from townmarket import extensions

from . import lines
from .forms import PurchaseForm, euros
from .models import GiftCardOffer, Kind

Product = get_model("catalogue", "Product")
BY_EMAIL = "carte_cadeau_email"


def offer_of(product):
    try:
        return product.gift_card_offer
    except GiftCardOffer.DoesNotExist:
        return None


def price_of(offer, stockrecord):
    """A voucher's price is its product's (the service's price, set by the shop)."""
    return stockrecord.price if stockrecord else None


@extensions.register(extensions.PRODUCT_PURCHASE)
def purchase_panel(request, product, stockrecord):
    offers = offers_by_product(request)  # read once per request: the page's cards ask too
    offer = offers.get(product.pk) if offers is not None else offer_of(product)
    if offer is None or stockrecord is None:
        return None
    form = PurchaseForm(offer=offer, price=price_of(offer, stockrecord), prefix="carte")
    return extensions.Panel(_("Offrir cette carte"), "gift_cards/purchase_form.html",
                            {"form": form, "offer": offer, "product": product, "price": form.price,
                             "validity_months": offer.validity(request)})


def offers_by_product(request):
    """{product id: offer} of every gift card, read once per request (listings ask for
    each card shown: no query per card)."""
    if request is None:
        return None
    if not hasattr(request, "_gift_card_offers"):
        request._gift_card_offers = {offer.product_id: offer for offer in GiftCardOffer.objects.select_related("service")}
    return request._gift_card_offers


def starting_amount(offer):
    amounts = list(offer.presets) + ([offer.min_amount] if offer.free_amount else [])
    return min(amounts) if amounts else None


@extensions.register(extensions.PRODUCT_CHOICES)
def choose_on_the_card_page(request, product):
    """A gift card is bought with its amount and recipient: listings link to its form and
    the ordinary « Ajouter au panier » refuses it."""
    offers = offers_by_product(request)
    offer = offers.get(product.pk) if offers is not None else offer_of(product)
    if offer is None:
        return None
    title = product.get_title()
    if offer.kind == Kind.SERVICE:
        return extensions.ProductChoice(
            label=_("Choisir le destinataire"), url=product.get_absolute_url(),
            refusal=_("Pour offrir « %(card)s », indiquez le destinataire sur sa page, puis ajoutez-le au panier.")
            % {"card": title})
    start = starting_amount(offer)
    return extensions.ProductChoice(
        label=_("Choisir le montant"), url=product.get_absolute_url(),
        refusal=_("Pour offrir « %(card)s », choisissez le montant et le destinataire sur sa page, "
                  "puis ajoutez-la au panier.") % {"card": title},
        price_label=_("À partir de %(amount)s") % {"amount": euros(start)} if start is not None else "")


@extensions.register(extensions.LINE_DESCRIPTIONS)
def gift_card_line_description(line):
    """« Carte cadeau de 30,00 € pour Paul Ami, envoyée le 1er décembre » (basket and
    order lines), « Bon pour « Massage relaxant 1 h » pour Paul Ami, envoyé le … »."""
    details = lines.details(line)
    if not details or not details.get(lines.RECIPIENT_NAME):
        return None
    offer = offer_of(line.product) if line.product_id else None
    try:
        day = datetime.date.fromisoformat(details.get(lines.SEND_ON, ""))
        amount = Decimal(details[lines.AMOUNT]).quantize(Decimal("0.01"))
    except (ValueError, ArithmeticError):
        return None
    values = {"name": details[lines.RECIPIENT_NAME], "day": lines.french_day(day)}
    if offer is not None and offer.kind == Kind.SERVICE:
        service = offer.service.get_title() if offer.service_id else line.product.get_title()
        return _("Bon pour « %(service)s » pour %(name)s, envoyé le %(day)s") % {**values, "service": service}
    if getattr(line, "basket_id", None) and gift_card_line_price(line) is None:
        return None  # an amount the offer does not allow: the stock record's price applies
    return _("Carte cadeau de %(amount)s pour %(name)s, envoyée le %(day)s") % {**values, "amount": euros(amount)}


def allowed_amount(offer, amount):
    if offer.kind == Kind.SERVICE:
        return False
    return amount in offer.presets or (offer.free_amount and offer.min_amount <= amount <= offer.max_amount)


@extensions.register(extensions.LINE_PRICES)
def gift_card_line_price(line):
    """The amount chosen, if the card's offer allows it (a line added by hand with
    another amount keeps the stock record's price)."""
    details = lines.details(line)
    if not details:
        return None
    offer = offer_of(line.product)
    try:
        amount = Decimal(details[lines.AMOUNT]).quantize(Decimal("0.01"))
    except ArithmeticError:
        return None
    if offer is None or not allowed_amount(offer, amount):
        return None
    return amount


@extensions.register(extensions.FULFILMENT_FILTERS, order=100)
def gift_cards_need_no_delivery(partner, options, checkout):
    """Only gift cards from this shop: they go by e-mail, nothing to collect."""
    group_lines = [line for line in checkout.basket.all_lines() if line.stockrecord and line.stockrecord.partner_id == partner.pk]
    if not group_lines or not all(lines.is_gift_card(line) for line in group_lines):
        return options
    return [extensions.FulfilmentOption(
        code=BY_EMAIL, label=gettext_lazy("Carte cadeau envoyée par e-mail"),
        description=gettext_lazy("Envoyée au destinataire à la date choisie, une fois payée."),
    )]


class AddGiftCardView(View):
    """POST from the product page: the card goes into the basket, or the form comes
    back with what to correct."""

    http_method_names = ["post"]
    template_name = "gift_cards/purchase_page.html"

    def post(self, request, pk):
        product = get_object_or_404(Product.objects.filter(is_public=True).select_related("gift_card_offer"), pk=pk)
        offer = offer_of(product)
        stockrecord = product.stockrecords.select_related("partner").first()
        if offer is None or stockrecord is None:
            raise Http404
        form = PurchaseForm(request.POST, offer=offer, price=price_of(offer, stockrecord), prefix="carte")
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "offer": offer, "product": product,
                                                        "price": form.price, "stockrecord": stockrecord,
                                                        "validity_months": offer.validity(request)}, status=400)
        data = form.cleaned_data
        options = lines.ensure_options()
        values = {lines.AMOUNT: str(data["amount"]), lines.RECIPIENT_NAME: data["recipient_name"],
                  lines.RECIPIENT_EMAIL: data["recipient_email"], lines.MESSAGE: data["message"],
                  lines.SEND_ON: data["send_on"].isoformat()}
        line, _created = request.basket.add_product(
            product, 1, options=[{"option": options[code], "value": value} for code, value in values.items() if value])
        # Stored for Oscar's « the price has changed » warning, which compares with it.
        line.price_incl_tax = line.unit_price_incl_tax
        line.price_excl_tax = line.unit_price_excl_tax
        line.save(update_fields=["price_incl_tax", "price_excl_tax"])
        messages.success(request, _("« %(card)s » pour %(name)s est dans votre panier.")
                         % {"card": product.get_title(), "name": data["recipient_name"]})
        return redirect(reverse("basket:summary"))


@extensions.register(extensions.PUBLIC_URLS)
def public_urls():
    return [path("cartes-cadeaux/", include("plugins.gift_cards.urls"))]
