"""Back-office pages: « Encaisser une carte cadeau » and its receipt (merchants),
looking a card up by its code and correcting it, the outstanding amount and what
town cards owe each shop, with its CSV (association)."""
from django.contrib import messages
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import roles
from backoffice.csv_export import csv_download
from backoffice.periods import chosen_period
from backoffice.views import BackOfficeView
from townmarket import money

from . import ledger, throttle
from .forms import AdjustForm, CodeForm, RedeemForm
from .models import CENT, ZERO, Kind, LedgerEntry
from .receivers import ADJUST, REPORTS
from .reports import outstanding, town_card_dues

Entry = LedgerEntry.Kind


def can_redeem(user):
    return roles.can_see_orders(user) and user.has_perm(roles.CHANGE_ORDERS)


class RedeemView(BackOfficeView):
    """Takes a purchase off a card in the shop, then shows the receipt."""

    template_name = "gift_cards/admin/redeem.html"
    page_title = gettext_lazy("Encaisser une carte cadeau")
    header_icon = "tag"

    def allowed(self, user):
        return can_redeem(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RedeemForm(partners=self.partners))
        context["recent"] = (LedgerEntry.objects.filter(kind=Entry.SPENT_IN_STORE, partner__in=self.partners)
                             .select_related("card", "partner").order_by("-created_at")[:10])
        context["can_look_up"] = self.request.user.has_perm(ADJUST)
        return context

    def post(self, request):
        form = RedeemForm(request.POST, partners=self.partners)
        if throttle.is_blocked(request):
            form.is_valid()
            form.add_error(None, _("Trop de codes erronés : réessayez dans quelques minutes."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            entry = self.redeem(request, form.cleaned_data)
        except ledger.CardRefused as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return HttpResponseRedirect(reverse("gift_cards_receipt", args=[entry.pk]))

    def redeem(self, request, data):
        try:
            card = ledger.find(data["code"])
        except ledger.CardRefused:
            throttle.record(request, succeeded=False)
            raise
        throttle.record(request, succeeded=True)
        shop = data["boutique"]
        if card.kind == Kind.SERVICE:  # used whole, for its service
            return ledger.spend(card, None, shop, user=request.user, reason=card.service_name)
        if not (data.get("amount") or "").strip():
            raise ledger.CardRefused(_("Indiquez le montant de l'achat."))
        return ledger.spend(card, data["amount"], shop, user=request.user)


class ReceiptView(BackOfficeView):
    """The receipt of a card used in the shop: printable, or shown to the customer."""

    template_name = "gift_cards/admin/receipt.html"
    page_title = gettext_lazy("Reçu de carte cadeau")
    header_icon = "tag"
    index_url_name = "gift_cards_redeem"
    index_label = gettext_lazy("Encaisser une carte cadeau")

    def allowed(self, user):
        return can_redeem(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = get_object_or_404(LedgerEntry.objects.select_related("card__partner", "partner", "created_by"),
                                  pk=self.kwargs["pk"], kind=Entry.SPENT_IN_STORE, partner__in=self.partners)
        after = entry.card.entries.filter(pk__lte=entry.pk).aggregate(total=Sum("amount"))["total"]
        context.update(entry=entry, card=entry.card, spent=-entry.amount, balance_after=after.quantize(CENT))
        return context


def find_in_towns(user, typed):
    """The card of the typed code among the user's towns' cards; another town's is told
    as not found (its staff see its ledger, no one else)."""
    card = ledger.find(typed)
    if not roles.staffed_towns(user).filter(pk=card.town_id).exists():
        raise ledger.CardRefused(_("Aucune carte cadeau de votre marché ne correspond à ce code."))
    return card


class CardView(BackOfficeView):
    """The association finds a card of its town by its code (there is no list of
    cards), sees its ledger and may correct it, with a reason."""

    template_name = "gift_cards/admin/card.html"
    page_title = gettext_lazy("Retrouver une carte cadeau")
    header_icon = "search"

    def allowed(self, user):
        return user.has_perm(ADJUST)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CodeForm(self.request.GET or None))
        form = context["form"]
        if "card" not in context and form.is_bound and form.is_valid():
            try:
                context["card"] = find_in_towns(self.request.user, form.cleaned_data["code"])
            except ledger.CardRefused as refusal:
                context["error"] = refusal.message
        card = context.get("card")
        if card is not None:
            context.update(entries=card.entries.select_related("partner", "created_by"), balance=card.balance,
                           adjust_form=context.get("adjust_form") or AdjustForm(), expired=card.is_expired())
        return context

    def post(self, request):
        code = CodeForm(request.POST)
        card = None
        if code.is_valid():
            try:
                card = find_in_towns(request.user, code.cleaned_data["code"])
            except ledger.CardRefused:
                card = None
        if card is None:
            raise Http404
        form = AdjustForm(request.POST)
        if form.is_valid():
            try:
                ledger.adjust(card, form.cleaned_data["amount"], form.cleaned_data["reason"], request.user)
            except ledger.CardRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Solde corrigé : %(balance)s.") % {"balance": ledger.euros(card.balance)})
                return HttpResponseRedirect(f"{reverse('gift_cards_card')}?code={card.code}")
        return self.render_to_response(self.get_context_data(form=code, card=card, adjust_form=form), status=400)


class ReportMixin:
    def allowed(self, user):
        return user.has_perm(REPORTS)

    def period(self):
        return chosen_period(self.request.GET)


class ReportView(ReportMixin, BackOfficeView):
    template_name = "gift_cards/admin/report.html"
    page_title = gettext_lazy("Cartes cadeaux : encours et sommes dues")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, start, end = self.period()
        towns = roles.staffed_towns(self.request.user)
        rows = town_card_dues(start, end, towns)
        kinds = outstanding(towns=towns)
        context.update(form=form, start=start, end=end, rows=rows, total_due=sum((r.due for r in rows), ZERO),
                       outstanding=kinds, outstanding_total=sum((total for _l, _c, total in kinds), ZERO),
                       query_string=self.request.GET.urlencode())
        return context


class ReportExportView(ReportMixin, BackOfficeView):
    def get(self, request):
        _form, start, end = self.period()
        header = [_("Commerce"), _("Du"), _("Au"), _("Utilisations"), _("En ligne"), _("En magasin"),
                  _("Rendu (commandes annulées)"), _("Montant dû")]
        rows = ([row.partner.name, start.strftime("%d/%m/%Y"), end.strftime("%d/%m/%Y"), row.uses,
                 money.csv_number(row.online), money.csv_number(row.in_store), money.csv_number(row.given_back), money.csv_number(row.due)]
                for row in town_card_dues(start, end, roles.staffed_towns(request.user)))
        return csv_download(f"carte-ville-{start:%Y%m%d}-{end:%Y%m%d}.csv", header, rows)
