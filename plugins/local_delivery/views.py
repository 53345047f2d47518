"""Back-office pages of the plugin: the volunteers' rounds, and each shop's choice of
delivery methods. The marketplace rules themselves are a Wagtail setting (Paramètres)."""
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import roles
from backoffice.orders.queries import shop_orders_for
from backoffice.views import BackOfficeView, OrdersPermission
from oscar_apps.order.statuses import ShopOrderStatus

from townmarket import money

from . import clock, collection
from .dates import date_label
from .forms import DoorPaymentForm, MarkStopForm, PaidBeforeSendingForm, RoundDateForm, ShopDeliveryForm
from .models import DeliveryStop, DoorPayment, ShopDelivery
from .privacy import DETAILS_DAYS_AFTER, may_see_stops
from .rounds import AlreadyMarked, mark_stop, stops_on, upcoming_rounds
from .run_sheet import render_run_sheet
from .towns import town_names, town_query

RUN_ROUNDS = "local_delivery.run_rounds"


class RoundsPermission:
    def allowed(self, user):
        return user.has_perm(RUN_ROUNDS)


class RoundsIndexView(RoundsPermission, BackOfficeView):
    """The rounds of the user's towns (a town's staff: their town's; the platform
    administrator: every town's, each named)."""

    template_name = "local_delivery/rounds_index.html"
    page_title = gettext_lazy("Tournées de livraison")
    header_icon = "calendar-alt"

    def get(self, request, *args, **kwargs):
        form = RoundDateForm(request.GET or None)
        if form.is_bound and form.is_valid():
            town = roles.chosen_town(request)
            return HttpResponseRedirect(reverse("local_delivery_round", args=[form.cleaned_data["date"]])
                                        + town_query(request, town.pk))
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.now().date()
        towns = list(roles.staffed_towns(self.request.user).order_by("pk"))
        names = town_names(towns) if len(towns) > 1 else {}
        context["rounds"] = [(day, stops, date_label(day), day < today, names.get(town_id, ""),
                              f"?ville={town_id}" if names else "")
                             for town_id, day, stops in upcoming_rounds(today, towns)]
        context["several_towns"] = bool(names)
        context["towns"] = sorted(names.items(), key=lambda item: item[1])
        context["chosen_town"] = roles.chosen_town(self.request).pk if names else None
        context["form"] = kwargs.get("form") or RoundDateForm(initial={"date": today})
        return context


class RoundView(RoundsPermission, BackOfficeView):
    template_name = "local_delivery/round.html"
    header_icon = "calendar-alt"
    index_url_name = "local_delivery_rounds"
    index_label = gettext_lazy("Tournées de livraison")

    def get_page_title(self):
        return _("Tournée du %(date)s") % {"date": date_label(self.kwargs["day"])}

    def get(self, request, *args, **kwargs):
        self.town = roles.chosen_town(request)  # before the page: another town's round is a 404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = self.kwargs["day"]
        stops = stops_on(day, self.town)
        details = may_see_stops(self.request.user, day)
        several = roles.staffed_towns(self.request.user).count() > 1
        context.update(day=day, stops=stops if details else [], stop_count=len(stops), details=details,
                       town_query=town_query(self.request, self.town.pk), town_name=town_names([self.town])[self.town.pk] if several else "",
                       days_after=DETAILS_DAYS_AFTER, Status=DeliveryStop.Status,
                       door_means=DoorPaymentForm.base_fields["means"].choices)
        return context


class RunSheetView(RoundsPermission, BackOfficeView):
    def get(self, request, day):
        town = roles.chosen_town(request)
        if not may_see_stops(request.user, day):
            raise Http404
        response = HttpResponse(render_run_sheet(day, stops_on(day, town), site=town), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="tournee-{day.isoformat()}.pdf"'
        return response


class MarkStopView(RoundsPermission, BackOfficeView):
    http_method_names = ["post"]

    def post(self, request, pk):
        stop = get_object_or_404(DeliveryStop.objects.select_related("order")
                                 .filter(town__in=roles.staffed_towns(request.user)), pk=pk)
        if not may_see_stops(request.user, stop.date):
            raise Http404
        back = HttpResponseRedirect(reverse("local_delivery_round", args=[stop.date]) + town_query(request, stop.town_id)
                                    + f"#arret-{stop.pk}")
        form = MarkStopForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["status"][0])
            return back
        try:
            not_ready = mark_stop(stop, form.cleaned_data["status"], request.user)
        except AlreadyMarked as refusal:
            messages.error(request, str(refusal))
            return back
        customer = stop.order.customer_name or stop.order.email
        if stop.status == DeliveryStop.Status.DELIVERED:
            messages.success(request, _("%(name)s : livré. Le client est prévenu par e-mail.") % {"name": customer})
        else:
            messages.warning(request, _("%(name)s : absent. Le client est prévenu par e-mail.") % {"name": customer})
        for parcel in not_ready:
            messages.warning(request, _("Le colis de %(shop)s n'était pas marqué « prête » : le commerçant "
                                        "mettra sa commande à jour.") % {"shop": parcel.partner.name})
        return back


class RecordPaymentView(RoundsPermission, BackOfficeView):
    """« Payé » (amount, means) or « Pas payé » for one shop's part of a stop, from the
    round page. A stop of another day, a part not on that stop, or a round the volunteer
    may not see: 404. Bad input: a French message, nothing saved."""

    http_method_names = ["post"]

    def post(self, request, day, pk, part):
        stop = get_object_or_404(DeliveryStop.objects.select_related("order")
                                 .filter(town__in=roles.staffed_towns(request.user)), pk=pk, date=day)
        if not may_see_stops(request.user, stop.date):
            raise Http404
        shop_order = get_object_or_404(stop.parcels.exclude(status=ShopOrderStatus.CANCELLED).select_related("partner", "order"),
                                       pk=part)
        back = HttpResponseRedirect(reverse("local_delivery_round", args=[stop.date]) + town_query(request, stop.town_id)
                                    + f"#arret-{stop.pk}")
        shop = shop_order.partner.name
        due = collection.to_collect(shop_order)
        if due <= 0:
            messages.error(request, _("%(shop)s : commande déjà payée, rien à encaisser.") % {"shop": shop})
            return back
        form = DoorPaymentForm(request.POST, due=due)
        if not form.is_valid():
            messages.error(request, f"{shop} : {form.first_error()}")
            return back
        data = form.cleaned_data
        try:
            collection.record(stop, shop_order, data["outcome"], request.user, amount=data["amount"],
                              means=data["means"])
        except collection.RecordRefused as refusal:
            messages.error(request, refusal.message)
            return back
        if data["outcome"] == DoorPayment.Outcome.PAID:
            messages.success(request, _("%(shop)s : %(amount)s reçus (%(means)s).") % {
                "shop": shop, "amount": money.euros(data["amount"]),
                "means": DoorPayment.Means(data["means"]).label})
        else:
            messages.warning(request, _("%(shop)s : pas payé.") % {"shop": shop})
        return back


class PaidBeforeSendingView(OrdersPermission, BackOfficeView):
    """The shop records the cheque or transfer of a parcel held until paid: the parcel
    may leave. Only a shop part the user may change (a merchant: their own shop's)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        from .panels import held_until_paid

        if not request.user.has_perm(roles.CHANGE_ORDERS):
            raise Http404
        shop_order = get_object_or_404(shop_orders_for(request.user).select_related("order", "partner"), pk=pk)
        if not held_until_paid(shop_order):
            raise Http404
        back = HttpResponseRedirect(reverse("backoffice_order", args=[shop_order.pk]))
        due = collection.to_collect(shop_order)
        if due <= 0:
            messages.error(request, _("Cette commande est déjà payée."))
            return back
        form = PaidBeforeSendingForm(request.POST, due=due)
        if not form.is_valid():
            messages.error(request, form.first_error())
            return back
        try:
            collection.record(None, shop_order, DoorPayment.Outcome.PAID, request.user,
                              amount=form.cleaned_data["amount"], means=form.cleaned_data["means"])
        except collection.RecordRefused as refusal:
            messages.error(request, refusal.message)
            return back
        messages.success(request, _("Paiement de %(amount)s noté : le colis peut partir.") % {
            "amount": money.euros(form.cleaned_data["amount"])})
        return back


class ShopDeliveryView(BackOfficeView):
    """A shop's delivery methods: the merchant for their own shop, the association for any."""

    template_name = "local_delivery/shop_delivery.html"
    page_title = gettext_lazy("Retrait et livraison")
    header_icon = "calendar-alt"

    def allowed(self, user):
        return user.has_perm(roles.CHANGE_ORDERS)

    def get(self, request, *args, **kwargs):
        self.find_shop(request.GET.get("shop"))
        return super().get(request, *args, **kwargs)

    def find_shop(self, wanted):
        """The shop asked for among the user's own (BackOfficeView set self.partners), else a 404."""
        self.partner = self.chosen_shop(wanted)
        self.instance = ShopDelivery.objects.filter(partner=self.partner).first() or ShopDelivery(partner=self.partner)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=kwargs.get("form") or ShopDeliveryForm(instance=self.instance), partner=self.partner)
        if self.several_shops:
            context["shops"] = self.partners.order_by("name")
        return context

    def post(self, request, *args, **kwargs):
        self.find_shop(request.POST.get("shop"))
        form = ShopDeliveryForm(request.POST, instance=self.instance)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, _("Retrait et livraison de %(shop)s enregistrés.") % {"shop": self.partner.name})
        return HttpResponseRedirect(reverse("local_delivery_shop") + f"?shop={self.partner.pk}")
