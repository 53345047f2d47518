"""The steps of an order taken by phone: who phones (found or created), the basket
(searched in the catalogue, across the shops the staff member handles), each shop's
fulfilment and the payment, then the order placed by the checkout's own placement
(PhoneCheckoutView is the checkout's IndexView with another basket, customer and
e-mails) and its printable summary."""
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from backoffice import roles
from backoffice.views import BackOfficeView
from storefront_search import engine as search_engine
from oscar_apps.basket.grouping import group_lines_by_shop
from oscar_apps.catalogue.listing import products_for_listing, with_listing_price
from oscar_apps.checkout.confirmation import send_order_confirmation
from oscar_apps.checkout.views import IndexView
from oscar_apps.order.notifications import notify_shops
from oscar_apps.order.parts import shop_parts
from townmarket import extensions
from townmarket.mail import send_templated
from townmarket.text import is_row_id
from townmarket.town import town

from . import customers, session
from .forms import CustomerForm, PhoneCheckoutForm, QuantityForm, SearchForm
from .summary import payment_notes, render_summary

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
RESULTS = 20


def may_take_phone_orders(user):
    """Association staff (every shop) and merchants (their own): whoever handles orders."""
    return roles.can_see_orders(user)


class PhoneOrderPermission:
    def allowed(self, user):
        return may_take_phone_orders(user)


class PhoneOrderView(PhoneOrderPermission, BackOfficeView):
    header_icon = "mobile-alt"
    page_title = gettext_lazy("Prendre une commande par téléphone")


class CustomerView(PhoneOrderView):
    """Step 1: who phones. Search by name or phone, or type a new customer in."""

    template_name = "backoffice/phone_orders/customer.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        search = SearchForm(self.request.GET or None)
        text = search.text()
        current = session.customer(self.request)
        if form is None:
            form = CustomerForm(initial=self.initial_from(current))
        context.update(search_form=search, query=text, form=form, current=current,
                       found=customers.search(text, self.request.user) if text else [])
        return context

    @staticmethod
    def initial_from(current):
        if not current:
            return {}
        return {**current, "phone": customers.Customer("", "", "", current["phone"], "").phone_national}

    def post(self, request):
        action = request.POST.get("action")
        user_id = None
        if action == "choose":
            found = customers.find(request.POST.get("customer"), request.user)
            if found is None:
                raise Http404
            data = found.as_session()
            data["phone"] = request.POST.get("phone") or found.phone_national
            form = CustomerForm(data)
            user_id = found.user_id
        else:
            form = CustomerForm(request.POST)
            current = session.customer(request) or {}
            # The account chosen before stays, unless its e-mail is changed.
            if current.get("user_id") and request.POST.get("email", "").strip().lower() == current.get("email"):
                user_id = current["user_id"]
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=200)
        session.set_customer(request, form.as_session(user_id=user_id))
        return redirect("backoffice_phone_order_basket")


class RestartView(PhoneOrderView):
    """« Nouvelle commande »: forget the customer and the basket being taken."""

    http_method_names = ["post"]

    def post(self, request):
        basket = session.basket(request)
        if basket is not None:
            basket.flush()
        session.forget(request)
        return redirect("backoffice_phone_order")


class CustomerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if self.allowed(request.user) and session.customer(request) is None:
            messages.info(request, _("Indiquez d'abord qui commande."))
            return redirect("backoffice_phone_order")
        return super().dispatch(request, *args, **kwargs)


class BasketView(CustomerRequiredMixin, PhoneOrderView):
    """Step 2: the basket, built from a search of the catalogue (the shops the staff
    member handles only). Every change is a POST followed by a redirect."""

    template_name = "backoffice/phone_orders/basket.html"

    def products(self):
        """The products the staff member may sell: public, with a stock record of one of their shops."""
        return Product.objects.filter(is_public=True, stockrecords__partner__in=self.partners).exclude(
            structure=Product.PARENT).distinct()

    def search(self, text):
        """The catalogue's own search, best first, among the products the user may sell."""
        ranked = search_engine.search(text).product_ids
        allowed = set(self.products().filter(pk__in=ranked).values_list("pk", flat=True))
        shown = [pk for pk in ranked if pk in allowed][:RESULTS]
        products = products_for_listing(with_listing_price(Product.objects.filter(pk__in=shown))).in_bulk()
        return [products[pk] for pk in shown]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = SearchForm(self.request.GET or None)
        text = search.text()
        results = []
        if text:
            for product in self.search(text):
                stockrecord = product.stockrecords.all()[0] if product.stockrecords.all() else None
                results.append({"product": product, "stockrecord": stockrecord,
                                "choice": extensions.product_choice(self.request, product)})
        basket = session.basket(self.request)
        lines = list(basket.all_lines()) if basket is not None else []
        context.update(search_form=search, query=text, results=results, customer=session.customer(self.request),
                       basket=basket, groups=group_lines_by_shop(lines), max_quantity=QuantityForm.base_fields[
                           "quantity"].max_value)
        return context

    def post(self, request):
        action = request.POST.get("action")
        query = request.POST.get("q", "")[:100]
        back = reverse("backoffice_phone_order_basket") + (f"?{urlencode({'q': query})}" if query else "")
        if action == "add":
            self.add(request)
        elif action in ("set", "remove"):
            self.change_line(request, action)
        return HttpResponseRedirect(back)

    def add(self, request):
        product_id = request.POST.get("product")
        product = self.products().filter(pk=int(product_id)).first() if is_row_id(product_id) else None
        if product is None:  # unknown, or another shop's: the same words
            messages.error(request, _("Ce produit n'est pas proposé ici."))
            return
        choice = extensions.product_choice(request, product)
        if choice is not None:
            messages.error(request, choice.refusal)
            return
        form = QuantityForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["quantity"][0])
            return
        basket = session.basket(request, create=True)
        # One order, one town (Basket.town): the town of the shop that sells the product.
        town_id = product.stockrecords.filter(partner__in=self.partners).values_list("partner__town", flat=True).first()
        if basket.town_id != town_id:
            if not basket.is_empty:
                messages.error(request, _("Ce produit est vendu dans une autre ville que ceux du panier : "
                                          "prenez une commande par ville."))
                return
            basket.town_id = town_id
            basket.save(update_fields=["town"])
        quantity = form.cleaned_data["quantity"]
        in_basket = sum(line.quantity for line in basket.all_lines() if line.product_id == product.pk)
        if not self.purchase_permitted(request, basket, product, in_basket + quantity):
            return
        basket.add_product(product, quantity)
        messages.success(request, _("« %(product)s » × %(quantity)d ajouté au panier.")
                         % {"product": product.get_title(), "quantity": quantity})

    def change_line(self, request, action):
        basket = session.basket(request)
        line_id = request.POST.get("line")
        line = basket.all_lines().filter(pk=int(line_id)).first() if basket and is_row_id(line_id) else None
        if line is None:
            messages.error(request, _("Cet article n'est plus dans le panier."))
            return
        if action == "remove":
            line.delete()
            basket.reset_offer_applications()
            messages.success(request, _("« %(product)s » retiré du panier.") % {"product": line.product.get_title()})
            return
        form = QuantityForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["quantity"][0])
            return
        quantity = form.cleaned_data["quantity"]
        if self.purchase_permitted(request, basket, line.product, quantity):
            line.quantity = quantity
            line.save()
            basket.reset_offer_applications()

    @staticmethod
    def purchase_permitted(request, basket, product, quantity):
        info = basket.strategy.fetch_for_product(product)
        availability = info.availability
        if info.stockrecord is None or not availability.is_available_to_buy:
            messages.error(request, _("« %(product)s » n'est plus disponible.") % {"product": product.get_title()})
            return False
        permitted, _reason = availability.is_purchase_permitted(quantity)
        if not permitted:
            left = getattr(availability, "num_available", 0)
            messages.error(request, _("Il ne reste que %(left)d « %(product)s » en stock.")
                           % {"left": max(left, 0), "product": product.get_title()})
        return permitted


class PhoneCheckoutView(PhoneOrderPermission, WagtailAdminTemplateMixin, IndexView):
    """Step 3: each shop's fulfilment, the address if something is delivered, the payment;
    the order is placed by the checkout's own placement (one transaction, stock locked,
    reservations, e-mails in the outbox, retries)."""

    template_name = "backoffice/phone_orders/checkout.html"
    form_class = PhoneCheckoutForm
    pre_conditions = []
    page_title = gettext_lazy("Prendre une commande par téléphone")
    header_icon = "mobile-alt"
    basket_url = "backoffice_phone_order_basket"

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        placed = self.order_of_basket(request.POST.get("basket")) if request.method == "POST" else None
        if placed is not None:  # a second click on « Valider la commande »
            return self.show_placed(placed)
        self.customer = session.customer(request)
        if self.customer is None:
            return redirect("backoffice_phone_order")
        self._basket = session.basket(request)
        if self._basket is None or self._basket.is_empty:
            messages.error(request, _("Le panier est vide : ajoutez au moins un article."))
            return redirect("backoffice_phone_order_basket")
        partners = set(roles.managed_partners(request.user).values_list("pk", flat=True))
        if any(line.stockrecord.partner_id not in partners for line in self._basket.all_lines()):
            raise Http404  # a merchant whose shops changed meanwhile: not theirs to sell
        return super().dispatch(request, *args, **kwargs)

    @property
    def basket(self):
        return self._basket

    def get_adjustments(self, checkout):
        """No gift card here: those applied in a session are the staff member's own."""
        return []

    def get_payment_methods(self):
        """Paid later online only through a link e-mailed to the customer."""
        if not hasattr(self, "_payment_methods"):
            has_email = bool(self.customer["email"])
            offered = extensions.payment_methods(self.basket, self.get_checkout_context())
            self._payment_methods = [m for m in offered if not m.awaits_payment or (m.payment_link and has_email)]
            self.online_without_email = any(m.awaits_payment and m.payment_link for m in offered) and not has_email
        return self._payment_methods

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["customer"] = self.customer
        return kwargs

    def get_initial(self):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(customer=self.customer, customer_phone=customers.Customer(
            "", "", "", self.customer["phone"], "").phone_national,
            online_without_email=getattr(self, "online_without_email", False))
        return context

    def order_user(self):
        """The customer's account: the one chosen, or the one of the e-mail given."""
        User = get_user_model()
        if self.customer.get("user_id"):
            user = User.objects.filter(pk=self.customer["user_id"], is_active=True).first()
            if user is not None:
                return user
        if self.customer["email"]:
            accounts = list(User.objects.filter(email__iexact=self.customer["email"], is_active=True)[:2])
            if len(accounts) == 1:
                return accounts[0]
        return AnonymousUser()

    def order_fields(self, form):
        fields = super().order_fields(form)
        fields.update(channel=Order.Channel.PHONE, taken_by=self.request.user)
        fields.pop("guest_email", None)
        if self.customer["email"] and not self.order_user().is_authenticated:
            fields["guest_email"] = self.customer["email"]
        return fields

    def tell_about_order(self, order, payment):
        """The shops as for any order; the customer only if they have an address: the
        confirmation, or the link to pay online (then the shops once it is paid)."""
        if payment.awaits_payment:
            send_templated("backoffice/emails/phone_order_payment_link", {
                "order": order, "shop_parts": shop_parts(order),
                "payment_url": payment.payment_link(order, self.request),
                "marketplace": town(site=order.town)}, [order.email])
            return
        notify_shops(order)
        if order.email:
            send_order_confirmation(order, self.request)

    def order_placed(self, order, payment):
        session.forget(self.request)
        messages.success(self.request, _("Commande %(number)s enregistrée.") % {"number": order.number})
        return redirect("backoffice_phone_order_done", pk=order.pk)

    def order_of_basket(self, basket_id):
        if not is_row_id(basket_id):
            return None
        return Order.objects.filter(basket_id=int(basket_id), taken_by=self.request.user).first()

    def show_placed(self, order):
        return redirect("backoffice_phone_order_done", pk=order.pk)

    def get_breadcrumbs_items(self):
        return []


class PhoneOrderMixin(PhoneOrderPermission):
    """An order taken by phone that the user may see: association staff any, a merchant
    those with a part from their shop (then only their parts)."""

    def dispatch(self, request, *args, **kwargs):
        if self.allowed(request.user):
            orders = customers.orders_seen_by(request.user).filter(channel=Order.Channel.PHONE).distinct()
            self.order = get_object_or_404(orders.select_related("taken_by"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def parts(self):
        partners = set(self.partners.values_list("pk", flat=True))
        return [part for part in shop_parts(self.order) if part.partner.pk in partners]


class DoneView(PhoneOrderMixin, PhoneOrderView):
    """Step 4: the order placed, its summary to print, and a new order."""

    template_name = "backoffice/phone_orders/done.html"

    def get_page_title(self):
        return _("Commande %(number)s") % {"number": self.order.number}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parts = self.parts()
        notes = payment_notes(self.order, parts)
        for part in parts:
            part.note = notes[part.shop_order.pk]
        context.update(order=self.order, parts=parts)
        return context


class SummaryView(PhoneOrderMixin, PhoneOrderView):
    def get(self, request, pk):
        pdf = render_summary(self.order, self.parts(), request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="commande-telephone-{self.order.number}.pdf"'
        return response
