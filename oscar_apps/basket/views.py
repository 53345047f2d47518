from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.basket.views import *  # noqa: F401,F403
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
