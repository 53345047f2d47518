from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.apps.customer.forms import generate_username
from oscar.apps.customer.signals import user_registered
from oscar.apps.customer.views import *  # noqa: F401,F403
from oscar.apps.customer.views import AccountAuthView as CoreAccountAuthView
from oscar.apps.customer.views import AccountRegistrationView as CoreAccountRegistrationView
from oscar.apps.customer.views import AccountSummaryView as CoreAccountSummaryView
from oscar.apps.customer.views import AddressListView as CoreAddressListView
from oscar.apps.customer.views import OrderDetailView as CoreOrderDetailView
from oscar.apps.customer.views import OrderHistoryView as CoreOrderHistoryView
from oscar.apps.customer.views import ProfileView as CoreProfileView
from oscar.core.compat import get_user_model

from oscar_apps.order import tracking
from oscar_apps.order.parts import shop_parts
from townmarket import ratelimit
from townmarket.absolute_urls import absolute_url
from townmarket.sites import current_site

from . import registration
from .forms import AccountCreationForm, RegistrationForm
from .personal_data import AccountErasureView, PersonalDataDownloadView, PersonalDataView  # noqa: F401

ProfileDeleteView = AccountErasureView  # Oscar's « Delete profile » URL erases as townmarket.personal_data says

EMAIL_BACKEND = "oscar.apps.customer.auth_backends.EmailBackend"


def registration_answered(request, form):
    registration.answer(request, form.cleaned_data["email"], form.cleaned_data["redirect_url"])
    return redirect("customer:register-check-inbox")


class AccountAuthView(CoreAccountAuthView):
    """Oscar's login-or-register page; registering e-mails a link (customer.registration)."""

    registration_form_class = RegistrationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            return registration_answered(self.request, form)
        return self.render_to_response(self.get_context_data(registration_form=form))


class AccountRegistrationView(CoreAccountRegistrationView):
    form_class = RegistrationForm

    def form_valid(self, form):
        return registration_answered(self.request, form)


class RegistrationCheckInboxView(generic.TemplateView):
    template_name = "oscar/customer/registration/check_inbox.html"


CLAIM_SCOPE, CLAIM_LIMIT = "phone-order-claim", (5, 60)  # wrong order numbers per address and hour


class RegistrationConfirmView(generic.View):
    """The link e-mailed to a new address: choose a password, the account is created."""

    template_name = "oscar/customer/registration/confirm.html"
    invalid_template_name = "oscar/customer/registration/invalid_link.html"

    def dispatch(self, request, token):
        try:
            self.link = registration.read(token)
        except registration.InvalidLink:
            return render(request, self.invalid_template_name, status=400)
        User = get_user_model()
        self.new_user = User(email=self.link["email"], username=generate_username())
        return super().dispatch(request, token)

    def get(self, request, token):
        return self.show(AccountCreationForm(self.new_user))

    def post(self, request, token):
        form = AccountCreationForm(self.new_user, request.POST)
        if ratelimit.is_blocked(request, CLAIM_SCOPE, *CLAIM_LIMIT):  # guessing order numbers for a phone
            form.is_valid()
            form.add_error(None, _("Trop d'essais de numéro de commande : réessayez dans une heure, ou appelez "
                                   "l'association."))
            return self.show(form, status=429)
        if not form.is_valid():
            if getattr(form, "claim_refused", False):
                ratelimit.count(request, CLAIM_SCOPE, *CLAIM_LIMIT)
            return self.show(form, status=400)
        with transaction.atomic():
            if registration.has_account(self.link["email"]):  # the same link used twice at once
                return render(request, self.invalid_template_name, status=400)
            user = form.save()
            # The address is verified (the link was e-mailed to it): its guest orders join the account.
            registration.attach_guest_orders(user, phone=form.cleaned_data["phone"])
        user_registered.send_robust(sender=self, request=request, user=user)
        auth_login(request, user, backend=EMAIL_BACKEND)
        messages.success(request, _("Bienvenue ! Votre compte est créé."))
        return redirect(self.link.get("next") or settings.LOGIN_REDIRECT_URL)

    def show(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "email": self.link["email"]}, status=status)


class AccountSummaryView(CoreAccountSummaryView):
    """« Mon compte » opens on the customer's orders: what they come for."""

    pattern_name = "customer:order-list"


class OrderHistoryView(CoreOrderHistoryView):
    """« Mes commandes »: each order with its shops' parts and their own status."""

    page_title = _("Mes commandes")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("shop_orders__partner", "lines")  # num_items reads lines


class AddressListView(CoreAddressListView):
    page_title = _("Mes adresses")


class ProfileView(CoreProfileView):
    page_title = _("Mes informations")


class OrderDetailView(CoreOrderDetailView):
    """One order, shop by shop: each part's status, how it reaches the customer, the shop's phone."""

    def get_page_title(self):
        return _("Commande n° %(number)s") % {"number": self.object.number}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shop_parts"] = shop_parts(self.object)
        return context


class OrderTrackingView(generic.TemplateView):
    """The order's page reached from the confirmation e-mail's signed link: no account,
    no login; a forged or altered link is a 404 (oscar_apps.order.tracking)."""

    template_name = "oscar/customer/order/tracking.html"

    def get(self, request, *args, **kwargs):
        self.order = tracking.order_for(kwargs["token"])
        if self.order is None:
            raise Http404("Lien de suivi invalide")
        if self.order.town_id and self.order.town_id != current_site(request).pk:  # opened on another town's address
            return redirect(absolute_url(request.get_full_path(), request, site=self.order.town))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(order=self.order, shop_parts=shop_parts(self.order))
        return context


class AnonymousOrderDetailView(generic.View):
    """Oscar's guest-order link (order number and signed hash, in e-mails sent before the
    tracking page existed) opened an English form asking the e-mail again: a valid link
    now leads to the order's tracking page, any other is a 404."""

    def get(self, request, order_number, hash):
        from oscar.core.loading import get_model

        order = get_object_or_404(get_model("order", "Order"), number=order_number)
        if not order.check_verification_hash(hash):
            raise Http404("Lien de suivi invalide")
        return redirect(tracking.path_for(order))

    post = get


AnonymousOrderFormView = AnonymousOrderDetailView
