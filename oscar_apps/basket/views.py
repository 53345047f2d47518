from django.contrib import messages
from django.contrib.sessions.serializers import JSONSerializer
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.apps.basket.views import *  # noqa: F401,F403
from oscar.apps.basket.views import BasketAddView as CoreBasketAddView
from oscar.apps.basket.views import BasketView as CoreBasketView
from oscar.core.utils import redirect_to_referrer

from townmarket.text import is_row_id

from .grouping import group_lines_by_shop


class BasketView(CoreBasketView):
    """Oscar's basket page, with lines grouped by shop and a subtotal per shop."""

    def get_upsell_messages(self, basket):
        """No offer is partly met by an empty basket: no need to look them all up."""
        if basket.is_empty:
            return []
        return super().get_upsell_messages(basket)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formset = context.get("formset")
        forms = list(formset.forms) if formset is not None else []
        context["shop_groups"] = group_lines_by_shop(self.request.basket.all_lines(), forms)
        return context

    def post(self, request, *args, **kwargs):
        """A formset that does not describe this basket's lines (a forged or missing
        management form, a page left open while the basket changed) is not applied:
        Oscar's handling of it assumes a well-formed submission."""
        self.object_list = self.get_queryset()
        formset = self.construct_formset()
        if not self.describes_the_basket(formset):
            messages.warning(request, _("Votre panier a changé entre-temps : vérifiez les quantités puis validez à nouveau."))
            return redirect("basket:summary")
        change = self.line_change(request.POST)
        if change is False:
            messages.warning(request, _("Cet article n'est plus dans votre panier."))
            return redirect("basket:summary")
        if change is not None:
            self.changed_line = change
            formset = self.construct_formset()
        if formset.is_valid():
            removed = change[0].product.get_title() if change is not None and change[1] == 0 else None
            response = self.formset_valid(formset)
            if removed:
                messages.success(request, _("« %(title)s » est retiré de votre panier.") % {"title": removed})
            return response
        return self.formset_invalid(formset)

    def line_change(self, data):
        """What a line's − / + button (« line_quantity »: "<line id>:<quantity>") or its
        « Retirer » button (« remove_line »: "<line id>") asks: (line, quantity); None
        when neither was pressed; False when the button names no line of this basket."""
        if "remove_line" in data:
            line_id, quantity = data.get("remove_line", ""), "0"
        elif "line_quantity" in data:
            line_id, _sep, quantity = data.get("line_quantity", "").partition(":")
        else:
            return None
        if not is_row_id(line_id) or not is_row_id(quantity) or len(quantity) > 6:
            return False
        line = next((line for line in self.object_list if line.pk == int(line_id)), None)
        return (line, int(quantity)) if line is not None else False

    def get_formset_kwargs(self):
        """A line's button changes that line only: the other lines keep their stored
        quantities (whatever was typed beside them), so one press saves one change or,
        refused (not enough stock), nothing."""
        kwargs = super().get_formset_kwargs()
        changed = getattr(self, "changed_line", None)
        if changed is not None:
            changed_line, quantity = changed
            prefix = kwargs.get("prefix") or self.get_formset().get_default_prefix()
            lines = list(self.object_list)
            data = {f"{prefix}-TOTAL_FORMS": str(len(lines)), f"{prefix}-INITIAL_FORMS": str(len(lines)),
                    f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
            for index, line in enumerate(lines):
                data[f"{prefix}-{index}-id"] = str(line.pk)
                data[f"{prefix}-{index}-quantity"] = str(quantity if line.pk == changed_line.pk else line.quantity)
            kwargs["data"] = data
        return kwargs

    def describes_the_basket(self, formset):
        management = formset.management_form
        if not management.is_valid():
            return False
        lines = len(self.object_list)
        return (management.cleaned_data["TOTAL_FORMS"] == lines
                and management.cleaned_data["INITIAL_FORMS"] == lines
                and all(form.instance.pk for form in formset.forms))


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


class BasketAddView(CoreBasketAddView):
    """Oscar's add-to-basket view; asked for JSON (the storefront's script, which posts
    the same form without leaving the page) it answers the message to announce and
    the basket's new count instead of redirecting. A plain POST redirects as before."""

    def form_valid(self, form):
        if not wants_json(self.request):
            return super().form_valid(form)
        quantity = form.cleaned_data["quantity"]
        self.line, self.line_created = self.request.basket.add_product(
            form.product, quantity, form.cleaned_options()
        )
        self.add_signal.send(sender=self, product=form.product, user=self.request.user, request=self.request)
        message = ngettext(
            "« %(title)s » a été ajouté à votre panier.",
            "%(quantity)d × « %(title)s » ont été ajoutés à votre panier.",
            quantity,
        ) % {"title": form.product.get_title(), "quantity": quantity}
        return self.json_answer(True, message)

    def form_invalid(self, form):
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        message = " ".join(errors) or _("Ce produit n'a pas pu être ajouté au panier.")
        if wants_json(self.request):
            return self.json_answer(False, message, status=400)
        # As Oscar's, with the errors as typed: Oscar joins their as_text(), escaped once
        # already, and the page escapes them again (« n&#x27;est » shown).
        messages.error(self.request, message)
        self.request.session[f"add_to_basket_form_post_data_{self.product.pk}"] = (
            JSONSerializer().dumps(self.request.POST).decode("latin-1"))
        return redirect_to_referrer(self.request, "basket:summary")

    def get_success_url(self):
        """Back to the page the form was on: « next » when the post was asked once more
        (townmarket.page_cache: the Referer is then this view's own address), else the Referer."""
        following = self.request.POST.get("next", "")
        if following and url_has_allowed_host_and_scheme(following, {self.request.get_host()},
                                                         self.request.is_secure()):
            return following
        return super().get_success_url()

    def json_answer(self, ok, message, status=200):
        return JsonResponse(
            {"ok": ok, "message": message, "basket_count": self.request.basket.num_items or 0},
            status=status,
        )
