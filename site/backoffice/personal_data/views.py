import dataclasses
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from backoffice import roles
from backoffice.views import BackOfficeView
from townmarket import extensions
from townmarket.personal_data import erasure, export, subjects


def may_handle_personal_data(user):
    """Association staff: every shop's orders and the users (merchants and volunteers have not both)."""
    return user.has_perm(roles.MARKETPLACE_SALES) and user.has_perm("auth.change_user")


def guest_orders(q, user):
    """The orders without account of the guest named by `q` (an e-mail, else a phone
    number) in the towns `user` works for."""
    email, phone = (q, "") if "@" in q else ("", q)
    return roles.town_orders(user, subjects.guest_orders(email, phone))


def guest_subject(q, user):
    """The guest named by `q` (an e-mail, else a phone number), with their orders in the
    towns `user` works for only; 404 when they have no order without account there."""
    q = (q or "").strip()[:254]
    email, phone = (q, "") if "@" in q else ("", q)
    orders = guest_orders(q, user) if q else None
    if not q or not orders.exists():
        raise Http404(_("Aucune commande sans compte pour cette adresse ou ce numéro."))
    subject = subjects.of_guest(email, phone)
    return dataclasses.replace(subject, orders=subject.orders.filter(pk__in=orders.values("pk")))


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("E-mail ou téléphone du client"), max_length=254, required=False)


class PersonalDataPermission:
    def allowed(self, user):
        return may_handle_personal_data(user)


class GuestSearchView(PersonalDataPermission, BackOfficeView):
    template_name = "backoffice/personal_data/search.html"
    page_title = gettext_lazy("Données personnelles")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        q = form.cleaned_data["q"].strip() if form.is_valid() else ""
        orders, has_account = [], False
        if q:
            email, phone = (q, "") if "@" in q else ("", q)
            orders = list(guest_orders(q, self.request.user).prefetch_related("shop_orders__partner")
                          .order_by("-date_placed")[:100])
            has_account = bool(email) and get_user_model().objects.filter(email__iexact=email).exists()
        context.update(form=form, q=q, orders=orders, has_account=has_account,
                       in_progress={order.pk for order in erasure.orders_in_progress(
                           subjects.Order.objects.filter(pk__in=[o.pk for o in orders]))} if orders else set())
        return context


class GuestExportView(PersonalDataPermission, BackOfficeView):
    def get(self, request):
        subject = guest_subject(request.GET.get("q"), request.user)
        response = HttpResponse(export.as_json(export.sections(subject)), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="donnees-client-{timezone.localdate():%Y-%m-%d}.json"'
        return response


class GuestErasureView(PersonalDataPermission, BackOfficeView):
    http_method_names = ["post"]

    def post(self, request):
        q = request.POST.get("q", "")
        subject = guest_subject(q, request.user)
        back = redirect(f"{reverse('backoffice_personal_data')}?{urlencode({'q': q})}")
        if not request.POST.get("identity_checked"):
            messages.error(request, _("Cochez « J'ai vérifié que la demande vient de cette personne » pour effacer."))
            return back
        count = subject.orders.count()
        try:
            erasure.erase(subject)
        except extensions.ErasureRefused as refused:
            messages.error(request, refused.message)
            return back
        messages.success(request, ngettext("Coordonnées effacées sur %(count)s commande.",
                                           "Coordonnées effacées sur %(count)s commandes.", count) % {"count": count})
        return redirect("backoffice_personal_data")
