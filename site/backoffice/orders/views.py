from django import forms
from django.db.models import Q
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from backoffice import roles
from backoffice.filters import ShopFilterForm
from backoffice.views import BackOfficeView, OrdersPermission
from oscar_apps.order import workflow
from townmarket import extensions
from oscar_apps.order.parts import shop_lines

from .packing_slip import render_packing_slip
from .queries import shop_orders_for

ShopOrder = get_model("order", "ShopOrder")

STATUS_ACTIONS = {
    ShopOrder.Status.PREPARING: gettext_lazy("Je la prépare"),
    ShopOrder.Status.READY: gettext_lazy("Elle est prête (le client est prévenu)"),
    ShopOrder.Status.COLLECTED: gettext_lazy("Retirée par le client"),
    ShopOrder.Status.DELIVERED: gettext_lazy("Livrée"),
    ShopOrder.Status.CANCELLED: gettext_lazy("Annuler (le client est prévenu)"),
}
# A customer without e-mail (an order taken by phone): nobody tells them but the shop.
STATUS_ACTIONS_WITHOUT_EMAIL = {
    **STATUS_ACTIONS,
    ShopOrder.Status.READY: gettext_lazy("Elle est prête (pas d'e-mail : appelez le client)"),
    ShopOrder.Status.CANCELLED: gettext_lazy("Annuler (pas d'e-mail : appelez le client)"),
}


class OrderFilterForm(ShopFilterForm):
    statut = forms.ChoiceField(label=gettext_lazy("Statut"), required=False,
                               choices=[("", gettext_lazy("Tous"))] + list(ShopOrder.Status.choices))
    q = forms.CharField(label=gettext_lazy("N° de commande ou client"), required=False, max_length=100)

    def apply(self, queryset):
        """The shop orders matching the filters (all of `queryset` if they are invalid)."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["statut"]:
            queryset = queryset.filter(status=data["statut"])
        if data["boutique"]:
            queryset = queryset.filter(partner=data["boutique"])
        if data["q"]:
            queryset = queryset.filter(Q(order__number__icontains=data["q"]) | Q(order__customer_name__icontains=data["q"]))
        return queryset


class OrderListView(OrdersPermission, BackOfficeView):
    template_name = "backoffice/orders/index.html"
    page_title = gettext_lazy("Commandes")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = OrderFilterForm(self.request.GET or None, partners=self.partners)
        queryset = form.apply(shop_orders_for(self.request.user).order_by("-date_created", "-pk"))
        page, page_range = self.paginate(queryset)
        context.update(filter_form=form, page=page, page_range=page_range, query_string=self.request.GET.urlencode())
        return context


class ShopOrderMixin(OrdersPermission):
    index_url_name = "backoffice_orders"
    index_label = gettext_lazy("Commandes")

    def dispatch(self, request, *args, **kwargs):
        if self.allowed(request.user):
            self.shop_order = get_object_or_404(shop_orders_for(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def lines(self):
        return list(shop_lines(self.shop_order))


class OrderDetailView(ShopOrderMixin, BackOfficeView):
    template_name = "backoffice/orders/detail.html"
    header_icon = "list-ul"

    def get_page_title(self):
        return _("Commande %(number)s") % {"number": self.shop_order.order.number}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        has_email = bool(self.shop_order.order.email)
        labels = STATUS_ACTIONS if has_email else STATUS_ACTIONS_WITHOUT_EMAIL
        actions = [(status, labels[status]) for status in workflow.next_statuses(self.shop_order)]
        context.update(shop_order=self.shop_order, order=self.shop_order.order, lines=self.lines(), actions=actions,
                       can_change=self.request.user.has_perm(roles.CHANGE_ORDERS),
                       panels=[(panel.title, render_to_string(panel.template_name, panel.context, request=self.request))
                               for panel in extensions.shop_order_panels(self.request, self.shop_order)],
                       # one tap on a phone must not cancel a customer's order by mistake
                       cancel_question=_("Annuler cette commande ? Le client sera prévenu par e-mail.") if has_email
                       else _("Annuler cette commande ? Le client n'a pas d'e-mail : appelez-le."))
        return context


class OrderStatusView(ShopOrderMixin, BackOfficeView):
    http_method_names = ["post"]

    def post(self, request, pk):
        if not request.user.has_perm(roles.CHANGE_ORDERS):
            return HttpResponse(status=403)
        new_status = request.POST.get("status", "")
        try:
            workflow.change_status(self.shop_order, new_status, user=request.user)
        except workflow.StatusConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, _("Commande %(number)s : %(status)s.") % {
                "number": self.shop_order.order.number, "status": self.shop_order.get_status_display()})
        return HttpResponseRedirect(reverse("backoffice_order", args=[self.shop_order.pk]))


class PackingSlipView(ShopOrderMixin, BackOfficeView):
    def get(self, request, pk):
        pdf = render_packing_slip(self.shop_order, self.lines(), request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="commande-{self.shop_order.order.number}.pdf"'
        return response
