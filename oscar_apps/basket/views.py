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
