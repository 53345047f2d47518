"""Back-office pages: refunds and in-store payments on a shop's order, the settlement
report (what the association owes each shop) with its CSV export and its SEPA
transfer file, and each shop's bank details."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from backoffice import roles
from backoffice.csv_export import csv_download
from backoffice.filters import ShopFilterForm
from backoffice.orders.queries import shop_orders_for
from backoffice.periods import chosen_period
from backoffice.views import BackOfficeView, OrdersPermission
from townmarket import money
from townmarket.town import town as town_identity

from . import refunds, sepa
from .banking import formatted_iban
from .forms import CommissionForm, InStorePaymentForm, RefundForm, ShopPayoutAccountForm
from .models import Refund, ShopCommission, ShopPayoutAccount
from .receivers import EXPORT_TRANSFERS, SET_COMMISSION
from .settlement import settlements, totals
from .towns import EVERY_TOWN, chosen_towns, town_choices

Partner = get_model("partner", "Partner")


class ShopOrderActionView(OrdersPermission, BackOfficeView):
    """A POST on one shop's order the user may change (a merchant: their own shop's)."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(roles.CHANGE_ORDERS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        shop_order = get_object_or_404(shop_orders_for(request.user), pk=pk)
        self.act(request, shop_order)
        return HttpResponseRedirect(reverse("backoffice_order", args=[shop_order.pk]))

    @staticmethod
    def form_errors(request, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)


def announce(request, row, still_pending):
    """Done, or still waiting for Stripe's answer (`still_pending` may use %(amount)s)."""
    amount = {"amount": money.amount(row.amount)}
    if row.status == Refund.Status.DONE:
        messages.success(request, _("%(amount)s € remboursés au client.") % amount)
    else:
        messages.warning(request, still_pending % amount)


class RefundView(ShopOrderActionView):
    def act(self, request, shop_order):
        form = RefundForm(request.POST, prefix="refund")
        if not form.is_valid():
            return self.form_errors(request, form)
        try:
            row = refunds.refund(shop_order, form.cleaned_data["amount"], form.cleaned_data["reason"], request.user)
        except refunds.RefundRefused as refusal:
            messages.error(request, refusal.message)
            return
        announce(request, row, _("Le service de paiement n'a pas répondu : le remboursement de %(amount)s € est "
                                 "en attente. Cliquez « Réessayer » dans un moment."))


class RetryRefundView(ShopOrderActionView):
    def post(self, request, pk):
        row = get_object_or_404(Refund.objects.filter(shop_order__in=shop_orders_for(request.user)), pk=pk)
        if row.status == Refund.Status.PENDING:
            try:
                row = refunds.send(row)
            except refunds.RefundRefused as refusal:
                messages.error(request, refusal.message)
            else:
                announce(request, row, _("Le service de paiement ne répond toujours pas. Réessayez plus tard."))
        return HttpResponseRedirect(reverse("backoffice_order", args=[row.shop_order_id]))


class InStorePaymentView(ShopOrderActionView):
    def act(self, request, shop_order):
        form = InStorePaymentForm(request.POST, prefix="paid")
        if not form.is_valid():
            return self.form_errors(request, form)
        payment = form.save(commit=False)
        payment.shop_order, payment.recorded_by = shop_order, request.user
        try:
            with transaction.atomic():
                payment.save()
        except IntegrityError:  # one payment per shop order: a second tap, or a colleague
            messages.error(request, _("Le paiement de cette commande est déjà enregistré."))
            return
        messages.success(request, _("Paiement de %(amount)s € enregistré.") % {"amount": money.amount(payment.amount)})


class SettlementMixin(OrdersPermission):
    """The settlement of one town's shops (`?ville=`, see towns.py; a town's staff: theirs,
    another town's is a 404), or of every town's for the platform administrator."""

    def report(self, request):
        self.town, self.towns = chosen_towns(request)
        form, start, end = chosen_period(request.GET)
        town_partners = self.partners.filter(town__in=self.towns)
        shops = ShopFilterForm(request.GET or None, partners=town_partners)
        if form.is_bound and not form.is_valid():  # the form says why, in French: nothing computed
            return form, shops, start, end, None
        shop = shops.shop()
        partners = [shop] if shop else list(town_partners)
        rows = settlements(partners, start, end)
        return form, shops, start, end, rows


class SettlementView(SettlementMixin, BackOfficeView):
    template_name = "payments/settlement.html"
    page_title = gettext_lazy("Règlements des ventes")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, shops, start, end, rows = self.report(self.request)
        context.update(form=form, filter_form=shops, start=start, end=end, rows=rows or [], totals=totals(rows or []),
                       wrong_period=rows is None,
                       can_set_commission=self.request.user.has_perm(SET_COMMISSION),
                       query_string=self.request.GET.urlencode(), town_choices=town_choices(self.request),
                       chosen_town=EVERY_TOWN if self.town is None else str(self.town.pk))
        if self.town is None:  # every town: each town's totals, then their sum
            context["town_totals"] = [
                {"name": town_identity(site=site).name,
                 "totals": totals([row for row in rows or [] if row.partner.town_id == site.pk])}
                for site in self.towns]
        elif rows and self.request.user.has_perm(EXPORT_TRANSFERS):
            context["transfers"] = sepa.plan(rows, start, end, site=self.town)
        return context


SETTLEMENT_COLUMNS = [
    gettext_lazy("Commerce"), gettext_lazy("Du"), gettext_lazy("Au"), gettext_lazy("Commandes"),
    gettext_lazy("Payé en ligne"), gettext_lazy("Payé au retrait ou à la livraison"),
    gettext_lazy("Cartes cadeaux du commerce"), gettext_lazy("Carte de la ville"), gettext_lazy("Ventes TTC"),
    gettext_lazy("Remboursements"), gettext_lazy("Carte de la ville au comptoir"), gettext_lazy("Frais Stripe"),
    gettext_lazy("Paiements aux frais Stripe non connus"), gettext_lazy("Taux de commission (%)"),
    gettext_lazy("Commission"), gettext_lazy("Dû par l'association"), gettext_lazy("Dû par le commerce"),
    gettext_lazy("Solde à verser"),
]


def settlement_line(row, start, end):
    return [row.partner.name, f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}", row.orders,
            *(money.csv_number(getattr(row, name)) for name in ("online", "in_store", "shop_cards", "town_card",
                                                                 "sales", "refunds", "town_card_counter",
                                                                 "stripe_fees")),
            row.unknown_fees, *(money.csv_number(getattr(row, name)) for name in ("rate", "commission", "owed_to_shop",
                                                                       "owed_by_shop", "due"))]


class SettlementExportView(SettlementMixin, BackOfficeView):
    template_name = "payments/settlement.html"

    def get(self, request):
        _form, _shops, start, end, rows = self.report(request)
        if rows is None:  # a wrong period: the page, with the form's French message
            return SettlementView.as_view()(request)
        return csv_download(f"reglements-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv", SETTLEMENT_COLUMNS,
                            (settlement_line(row, start, end) for row in rows))


class SepaTransferView(SettlementMixin, BackOfficeView):
    """The association's SEPA transfer file for the period; why there is none, in French,
    on the settlement page otherwise."""

    def get(self, request):
        if not request.user.has_perm(EXPORT_TRANSFERS):
            raise Http404  # a merchant: the association's file is not theirs to know of
        _form, _shops, start, end, rows = self.report(request)
        if rows is None:
            return SettlementView.as_view()(request)
        found = sepa.plan(rows, start, end, site=self.town) if self.town is not None else None
        refusal = found.refusal if found else _("Choisissez une ville : chaque association a son propre fichier "
                                                "de virements.")
        if refusal:
            messages.error(request, refusal)
            query = request.GET.urlencode()
            return HttpResponseRedirect(reverse("payments_settlement") + (f"?{query}" if query else ""))
        response = HttpResponse(sepa.transfer_file(found), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="virements-{start:%Y-%m-%d}-{end:%Y-%m-%d}.xml"'
        return response


class PayoutAccountView(BackOfficeView):
    """A shop's bank details: the merchant for their own shop, the association for any."""

    template_name = "payments/payout_account.html"
    page_title = gettext_lazy("Coordonnées bancaires")
    header_icon = "doc-full"

    def allowed(self, user):
        return user.has_perm(roles.CHANGE_ORDERS)

    def find_shop(self, wanted):
        """The shop asked for among the user's own, else a 404."""
        self.partner = self.chosen_shop(wanted)
        self.instance = (ShopPayoutAccount.objects.filter(partner=self.partner).first()
                         or ShopPayoutAccount(partner=self.partner, holder=self.partner.name[:70]))

    def get(self, request, *args, **kwargs):
        self.find_shop(request.GET.get("shop"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=kwargs.get("form") or ShopPayoutAccountForm(instance=self.instance), partner=self.partner,
                       saved_iban=formatted_iban(self.instance.iban) if self.instance.pk else "")
        if self.several_shops:
            context["shops"] = self.partners.order_by("name")
        return context

    def post(self, request, *args, **kwargs):
        self.find_shop(request.POST.get("shop"))
        form = ShopPayoutAccountForm(request.POST, instance=self.instance)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        account = form.save(commit=False)
        account.updated_by = request.user
        account.save()
        messages.success(request, _("Coordonnées bancaires de %(shop)s enregistrées.") % {"shop": self.partner.name})
        return HttpResponseRedirect(reverse("payments_payout_account") + f"?shop={self.partner.pk}")


class CommissionView(BackOfficeView):
    template_name = "payments/commission.html"
    header_icon = "doc-full"
    index_url_name = "payments_settlement"
    index_label = gettext_lazy("Règlements des ventes")

    def allowed(self, user):
        return user.has_perm(SET_COMMISSION)

    def dispatch(self, request, *args, **kwargs):
        if self.allowed(request.user):  # a shop of the user's towns only
            self.partner = get_object_or_404(roles.managed_partners(request.user), pk=kwargs["partner_pk"])
            self.commission = ShopCommission.objects.filter(partner=self.partner).first() or ShopCommission(partner=self.partner)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Commission de %(shop)s") % {"shop": self.partner.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CommissionForm(instance=self.commission))
        context["partner"] = self.partner
        return context

    def post(self, request, *args, **kwargs):
        form = CommissionForm(request.POST, instance=self.commission)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, _("Commission de %(shop)s : %(rate)s %%.") % {
            "shop": self.partner.name, "rate": money.amount(form.cleaned_data["rate"])})
        return HttpResponseRedirect(reverse("payments_settlement"))
