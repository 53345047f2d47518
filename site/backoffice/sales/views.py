import io
from decimal import Decimal

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import roles
from backoffice.csv_export import as_text_cell, csv_download
from backoffice.filters import ShopFilterForm
from backoffice.orders.queries import shop_orders_for
from backoffice.orders.views import OrderFilterForm
from backoffice.periods import bounds, chosen_span
from backoffice.views import BackOfficeView, OrdersPermission
from oscar_apps.order.statuses import HIDDEN_FROM_SHOPS
from townmarket import extensions
from townmarket.money import csv_number, euros

from . import stats
from .charts import bar_chart

DAILY_BARS_UP_TO = 62  # days; longer periods are drawn by week only


def period_query(request):
    """The period part of the page's query, for the export links."""
    return {name: request.GET[name] for name in ("periode", "du", "au") if request.GET.get(name)}


class SalesView(OrdersPermission, BackOfficeView):
    template_name = "backoffice/sales/index.html"
    page_title = gettext_lazy("Ventes")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ShopFilterForm(self.request.GET or None, partners=self.partners)
        period_form, start, end = chosen_span(self.request.GET)
        context.update(filter_form=form, period_form=period_form, start=start, end=end,
                       query=self.request.GET.urlencode(),
                       can_report=self.request.user.has_perm(roles.MARKETPLACE_SALES))
        if start is None:
            return context  # the form says what is wrong; nothing is computed
        shop_orders = shop_orders_for(self.request.user)
        shop = form.shop()
        if shop:
            shop_orders = shop_orders.filter(partner=shop)
        daily = stats.by_day(shop_orders, start, end)
        days = [period for _, period in daily]
        weeks = stats.by_week(daily)
        context.update(
            shop=shop, total=stats.totals(shop_orders, start, end), weeks=weeks,
            daily_chart=bar_chart(_("Chiffre d'affaires par jour"), days) if len(days) <= DAILY_BARS_UP_TO else None,
            weekly_chart=bar_chart(_("Chiffre d'affaires par semaine"), weeks, bar_width=30 if len(weeks) < 20 else 10,
                                   gap=6 if len(weeks) < 20 else 3),
            top_products=stats.top_products(shop_orders, start, end),
        )
        if self.request.user.has_perm(roles.MARKETPLACE_SALES) and not shop:
            shops = stats.by_shop(shop_orders, start, end)
            best = max((period.revenue for period in shops), default=0) or 1
            context["shops"] = [(period, round(period.revenue * 100 / best)) for period in shops]
        return context


# --- The partners' report -------------------------------------------------------------
class ReportPermission:
    def allowed(self, user):
        return user.has_perm(roles.MARKETPLACE_SALES)


def report(start, end, partners):
    """Every figure of the partners' report as (title, [(label, value)]) sections;
    values are ints (counts) or Decimals (euros). Nobody's name, e-mail, phone or
    address: customers are counted, never listed. Only the shops in `partners` (the
    user's: their towns' shops, roles.managed_partners)."""
    shop_orders = shop_orders_for_everyone().filter(partner__in=partners)  # the user's towns' shops
    total = stats.totals(shop_orders, start, end)
    customers, returning = stats.customers(shop_orders, start, end)
    summary = [
        (_("Commandes des clients"), total.customer_orders),
        (_("Parts de commerces"), total.orders),
        (_("Montant des ventes (TTC)"), total.revenue),
        (_("Clients"), customers),
        (_("Clients revenus (au moins deux commandes)"), returning),
        *((figure.label, figure.value) for figure in extensions.report_figures(start, end, partners)),
    ]

    def rows(periods):
        return [(period.label, period.customer_orders, period.orders, period.revenue) for period in periods]

    return {
        "summary": summary,
        "shops": rows(stats.by_shop(shop_orders, start, end)),
        "kinds": rows(stats.by_kind(shop_orders, start, end)),
    }


def shop_orders_for_everyone():
    return stats.ShopOrder.objects.exclude(order__status__in=HIDDEN_FROM_SHOPS)


class ReportView(ReportPermission, BackOfficeView):
    """« Rapport pour les partenaires » (town hall, chamber of commerce): association only."""

    template_name = "backoffice/sales/report.html"
    page_title = gettext_lazy("Rapport pour les partenaires")
    header_icon = "table"
    index_url_name = "backoffice_sales"
    index_label = gettext_lazy("Ventes")

    def get(self, request, *args, **kwargs):
        period_form, start, end = chosen_span(request.GET)
        export = request.GET.get("format")
        if start is not None and export in ("csv", "xlsx"):
            figures = report(start, end, self.partners)
            name = f"rapport-{start:%Y-%m-%d}-{end:%Y-%m-%d}"
            return (report_csv if export == "csv" else report_xlsx)(name, start, end, figures)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period_form, start, end = chosen_span(self.request.GET)
        context.update(period_form=period_form, start=start, end=end,
                       query=self.request.GET.urlencode())
        if start is not None:
            figures = report(start, end, self.partners)
            shops = [stats.Period(label, orders, revenue) for label, _c, orders, revenue in figures["shops"]]
            context.update(
                summary=[(label, euros(value) if is_money(value) else value) for label, value in figures["summary"]],
                shops=[(label, customer_orders, orders, euros(revenue))
                       for label, customer_orders, orders, revenue in figures["shops"]],
                kinds=[(label, customer_orders, orders, euros(revenue))
                       for label, customer_orders, orders, revenue in figures["kinds"]],
                chart=bar_chart(_("Ventes par commerce"), shops, bar_width=30, gap=6) if shops else None,
            )
        return context


def is_money(value):
    return isinstance(value, Decimal)


HEADINGS = [gettext_lazy("Commandes des clients"), gettext_lazy("Parts de commerces"),
            gettext_lazy("Montant TTC (€)")]


def report_table(start, end, figures, money):
    """The report as rows of cells, for the CSV and the XLSX alike."""
    yield [_("Rapport pour les partenaires"), _("du %(start)s au %(end)s") % {
        "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}]
    yield []
    for label, value in figures["summary"]:
        yield [label, money(value) if is_money(value) else value]
    for title, rows in ((_("Commerce"), figures["shops"]), (_("Type de commerce"), figures["kinds"])):
        yield []
        yield [title, *map(str, HEADINGS)]
        for label, customer_orders, orders, revenue in rows:
            yield [label, customer_orders, orders, money(revenue)]


def report_csv(name, start, end, figures):
    rows = list(report_table(start, end, figures, csv_number))
    return csv_download(f"{name}.csv", rows[0], rows[1:], stream=False)


def report_xlsx(name, start, end, figures):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rapport")
    for row in report_table(start, end, figures, lambda value: value):
        sheet.append([as_text_cell(cell) if isinstance(cell, str) else cell for cell in row])
        for cell in sheet[sheet.max_row]:
            if is_money(cell.value):
                cell.number_format = '#,##0.00 "€"'
    sheet.column_dimensions["A"].width = 45
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- The orders export ----------------------------------------------------------------
class ExportForm(OrderFilterForm):
    donnees_personnelles = forms.BooleanField(
        label=gettext_lazy("Avec les données personnelles des clients (nom, téléphone, e-mail, adresse)"),
        required=False)


COLUMNS = [gettext_lazy("Date"), gettext_lazy("Commande"), gettext_lazy("Commerce")]
PERSONAL_COLUMNS = [gettext_lazy("Client"), gettext_lazy("Téléphone"), gettext_lazy("E-mail"),
                    gettext_lazy("Adresse de livraison")]
AFTER_COLUMNS = [gettext_lazy("Retrait ou livraison"), gettext_lazy("Statut"), gettext_lazy("Montant TTC"),
                 gettext_lazy("Frais de livraison")]


def delivery_address(order):
    address = order.shipping_address
    return ", ".join(address.active_address_fields()) if address else ""


class OrdersExportView(OrdersPermission, BackOfficeView):
    """The orders of the list (same filters), over a period if one is given, as a CSV
    file Excel opens in French; customers' personal data only when asked for."""

    def get(self, request):
        form = ExportForm(request.GET or None, partners=self.partners)
        queryset = form.apply(shop_orders_for(request.user).order_by("-date_created", "-pk"))
        if any(request.GET.get(name) for name in ("periode", "du", "au")):
            period_form, start, end = chosen_span(request.GET)
            if start is None:
                errors = " ".join(str(error) for errors in period_form.errors.values() for error in errors)
                return HttpResponse(_("Période invalide : %(errors)s") % {"errors": errors}, status=400,
                                    content_type="text/plain; charset=utf-8")
            since, until = bounds(start, end)
            queryset = queryset.filter(date_created__gte=since, date_created__lt=until)
        # Customers' names, phones, e-mails and addresses only when asked for: by the
        # association, or by a merchant for their own shop's customers (they phone them
        # back, and see them on each order already; the export holds only their shops).
        personal = form.is_valid() and form.cleaned_data["donnees_personnelles"]
        if personal:
            queryset = queryset.select_related("order__shipping_address")

        def rows():
            for shop_order in queryset.iterator(chunk_size=500):
                order = shop_order.order
                row = [timezone.localtime(shop_order.date_created).strftime("%d/%m/%Y %H:%M"), order.number,
                       shop_order.partner.name]
                if personal:
                    row += [order.customer_name, order.customer_phone.as_national if order.customer_phone else "",
                            order.email, delivery_address(order)]
                yield row + [shop_order.fulfilment_label, shop_order.get_status_display(),
                             csv_number(shop_order.subtotal), csv_number(shop_order.fulfilment_fee)]

        header = COLUMNS + (PERSONAL_COLUMNS if personal else []) + AFTER_COLUMNS
        return csv_download(f"commandes-{timezone.localdate():%Y-%m-%d}.csv", header, rows())
