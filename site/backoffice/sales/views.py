from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import roles
from backoffice.csv_export import csv_download
from backoffice.filters import ShopFilterForm
from backoffice.orders.queries import shop_orders_for
from backoffice.orders.views import OrderFilterForm
from backoffice.views import BackOfficeView, OrdersPermission

from . import stats
from .charts import bar_chart

DAYS = 90


class SalesView(OrdersPermission, BackOfficeView):
    template_name = "backoffice/sales/index.html"
    page_title = gettext_lazy("Ventes des 90 derniers jours")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ShopFilterForm(self.request.GET or None, partners=self.partners)
        shop_orders = shop_orders_for(self.request.user)
        shop = form.shop()
        if shop:
            shop_orders = shop_orders.filter(partner=shop)
        daily = stats.by_day(shop_orders, DAYS)
        days = [period for _, period in daily]
        weeks = stats.by_week(daily)
        context.update(
            filter_form=form, shop=shop,
            total=stats.totals(days), weeks=weeks,
            daily_chart=bar_chart(_("Chiffre d'affaires par jour"), days),
            weekly_chart=bar_chart(_("Chiffre d'affaires par semaine"), weeks, bar_width=30, gap=6),
            top_products=stats.top_products(shop_orders, DAYS),
        )
        if self.request.user.has_perm(roles.MARKETPLACE_SALES) and not shop:
            shops = stats.by_shop(shop_orders, DAYS)
            best = max((period.revenue for period in shops), default=0) or 1
            context["shops"] = [(period, round(period.revenue * 100 / best)) for period in shops]
        return context


EXPORT_COLUMNS = [
    gettext_lazy("Date"), gettext_lazy("Commande"), gettext_lazy("Commerce"), gettext_lazy("Client"),
    gettext_lazy("Téléphone"), gettext_lazy("E-mail"), gettext_lazy("Retrait ou livraison"), gettext_lazy("Statut"),
    gettext_lazy("Montant TTC"), gettext_lazy("Frais de livraison"),
]


class OrdersExportView(OrdersPermission, BackOfficeView):
    """The orders of the list (same filters) as a CSV file Excel opens in French."""

    def get(self, request):
        form = OrderFilterForm(request.GET or None, partners=self.partners)
        queryset = form.apply(shop_orders_for(request.user).order_by("-date_created", "-pk"))

        def rows():
            for shop_order in queryset.iterator(chunk_size=500):
                order = shop_order.order
                yield [
                    timezone.localtime(shop_order.date_created).strftime("%d/%m/%Y %H:%M"), order.number,
                    shop_order.partner.name, order.customer_name,
                    order.customer_phone.as_national if order.customer_phone else "", order.email,
                    shop_order.fulfilment_label, shop_order.get_status_display(),
                    str(shop_order.subtotal).replace(".", ","), str(shop_order.fulfilment_fee).replace(".", ","),
                ]

        return csv_download(f"commandes-{timezone.localdate():%Y-%m-%d}.csv", EXPORT_COLUMNS, rows())
