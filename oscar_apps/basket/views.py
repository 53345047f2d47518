from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.apps.basket.views import *  # noqa: F401,F403
from oscar.apps.basket.views import BasketAddView as CoreBasketAddView
from oscar.apps.basket.views import BasketView as CoreBasketView

from .grouping import group_lines_by_shop


class BasketView(CoreBasketView):
    """Oscar's basket page, with lines grouped by shop and a subtotal per shop."""

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
        if formset.is_valid():
            return self.formset_valid(formset)
        return self.formset_invalid(formset)

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
        if not wants_json(self.request):
            return super().form_invalid(form)
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        message = " ".join(errors) or _("Ce produit n'a pas pu être ajouté au panier.")
        return self.json_answer(False, message, status=400)

    def json_answer(self, ok, message, status=200):
        return JsonResponse(
            {"ok": ok, "message": message, "basket_count": self.request.basket.num_items or 0},
            status=status,
        )
