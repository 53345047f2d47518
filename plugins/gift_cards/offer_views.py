"""« Cartes cadeaux et bons »: a merchant lists, creates, edits and takes off sale
their own shop's gift cards and service vouchers; the association does it for every
shop and for the town card. Scoped by `roles.managed_partners`: another shop's offer
is a 404, another shop or service in a POST is refused by the form."""
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import roles
from backoffice.views import BackOfficeView

from . import offers
from .forms import OfferForm, plain
from .models import GiftCardOffer, Kind
from .receivers import REPORTS


def can_manage_offers(user):
    return roles.can_manage_products(user)


def sells_town_card(user):
    """The association (who sees the town card's sums) also sells the town card."""
    return user.has_perm(REPORTS) and user.has_perm(roles.ALL_SHOPS)


class OffersMixin:
    def allowed(self, user):
        return can_manage_offers(user)

    @property
    def town_card_allowed(self):
        return sells_town_card(self.request.user)

    def shop_partners(self):
        """The shops whose cards the user may sell (the association's seller row aside)."""
        return self.partners.exclude(code=offers.TOWN_PARTNER_CODE).exclude(
            code__startswith=f"{offers.TOWN_PARTNER_CODE}-")

    def offers(self):
        queryset = GiftCardOffer.objects.filter(product__stockrecords__partner__in=self.partners)
        if not self.town_card_allowed:
            queryset = queryset.exclude(kind=Kind.TOWN)
        return (queryset.select_related("product", "service").prefetch_related("product__stockrecords__partner")
                .distinct().order_by("product__title", "pk"))

    def form(self, data=None, offer=None, initial=None):
        partners = self.shop_partners()
        return OfferForm(data, partners=partners, services=offers.services_of(partners),
                         town_card_allowed=self.town_card_allowed, offer=offer, initial=initial)


class OfferListView(OffersMixin, BackOfficeView):
    template_name = "gift_cards/admin/offers.html"
    page_title = gettext_lazy("Cartes cadeaux et bons")
    header_icon = "tag"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page, page_range = self.paginate(self.offers())
        context.update(page=page, page_range=page_range,
                       rows=[(offer, offer.product.stockrecords.all()[0] if offer.product.stockrecords.all() else None)
                             for offer in page.object_list])
        return context


class OfferFormView(OffersMixin, BackOfficeView):
    template_name = "gift_cards/admin/offer_form.html"
    header_icon = "tag"
    index_url_name = "gift_cards_offers"
    index_label = gettext_lazy("Cartes cadeaux et bons")
    offer = None

    def get_page_title(self):
        return _("Modifier « %(title)s »") % {"title": self.offer.product.title} if self.offer else \
            _("Nouvelle carte cadeau ou nouveau bon")

    def load(self):
        if "pk" in self.kwargs:
            self.offer = get_object_or_404(self.offers(), pk=self.kwargs["pk"])

    def initial(self):
        if self.offer is None:
            return None
        product, record = self.offer.product, self.offer.product.stockrecords.first()
        return {"kind": self.offer.kind, "partner": record.partner_id if record else None, "title": product.title,
                "description": strip_tags(product.description or "").strip(), "service": self.offer.service_id,
                "preset_amounts": ", ".join(plain(amount).replace(".", ",") for amount in self.offer.presets),
                "min_amount": self.offer.min_amount, "max_amount": self.offer.max_amount,
                "validity_months": self.offer.validity_months, "is_active": product.is_public}

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(self.get_context_data(form=self.form(offer=self.offer, initial=self.initial())))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offer"] = self.offer
        return context

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.form(request.POST, offer=self.offer, initial=self.initial())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        description = offers.description_html(data["description"])
        if self.offer is None:
            partner = offers.town_partner(roles.chosen_town(request, wanted="")) if data["kind"] == Kind.TOWN else data["partner"]
            offer = offers.new_offer(partner, data["title"], description, form.starting_price(),
                                     is_public=data["is_active"], kind=data["kind"], **form.offer_fields())
            messages.success(request, _("« %(title)s » est créée.") % {"title": offer.product.title})
        else:
            offer = offers.change_offer(self.offer, data["title"], description, form.starting_price(),
                                        data["is_active"], **form.offer_fields())
            messages.success(request, _("« %(title)s » est enregistrée.") % {"title": offer.product.title})
        return HttpResponseRedirect(reverse("gift_cards_offers"))


class OfferDeactivateView(OffersMixin, BackOfficeView):
    http_method_names = ["post"]

    def post(self, request, pk):
        offer = get_object_or_404(self.offers(), pk=pk)
        offers.take_off_sale(offer)
        messages.success(request, _("« %(title)s » est retirée de la vente. Les cartes déjà achetées restent valables.")
                         % {"title": offer.product.title})
        return HttpResponseRedirect(reverse("gift_cards_offers"))
